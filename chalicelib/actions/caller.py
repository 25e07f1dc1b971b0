"""Who sent a frame, read lazily: hot actions authorise against the session alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import delivery
from ..data import access
from ..data.models import Connection
from ..errors import Forbidden, Unauthorized
from ..statuses import Role
from ..wire.events import Event


@dataclass
class Caller:
    connection_id: str
    ref: str | None = None
    replied: bool = False
    _connection: Connection | None = field(default=None, repr=False)

    def connection(self) -> Connection:
        if self._connection is None:
            self._connection = access.connection(self.connection_id)
            if self._connection is None:
                raise Unauthorized("This connection is not known; reconnect.")
        return self._connection

    def librarian(self) -> Connection:
        connection = self.connection()
        if connection.role != Role.LIBRARIAN:
            raise Unauthorized("Only a signed-in librarian may do that.")
        return connection

    def patron(self) -> Connection:
        connection = self.connection()
        if connection.role != Role.PATRON:
            raise Forbidden("That is something a patron does, not a librarian.")
        return connection

    def reply(self, event: Event) -> None:
        """Answer this request: the client's ref goes back on the reply."""
        event.ref = self.ref
        delivery.send([self.connection_id], event)
        self.replied = True
