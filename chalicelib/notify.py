"""Who hears what: one function per kind of pushed event picks its recipients and builds it.

Operations call these after a state change; none of them picks connections or builds an
event itself. A request's own reply goes back through its Caller, so `skip` leaves out the
socket that already has the news in that reply.
"""

from __future__ import annotations

from typing import Literal

from . import delivery, serialize
from .data import access
from .data.models import ChatSession, Message
from .statuses import Role
from .wire.events import QueueUpdate, Sender, TypingEvent


def message(session: ChatSession, message: Message) -> None:
    """A new message in a chat: notes to its librarians only, everything else to everyone in it."""
    readers = session.staff_connection_ids() if message.staff_only else session.connection_ids()
    delivery.send(readers, serialize.message_event(message))


def session_update(session: ChatSession, *, skip: str | None = None) -> None:
    """The chat's status or librarian changed: everyone in it hears, but `skip`."""
    delivery.send(
        (c for c in session.connection_ids() if c != skip),
        serialize.session_update(session),
    )


def typing(session: ChatSession, role: Role, name: str | None, typing: bool, *, skip: str) -> None:
    """Someone in the chat started or stopped typing: the others hear."""
    delivery.send(
        (c for c in session.connection_ids() if c != skip),
        TypingEvent(session_id=session.session_id, typing=typing, sender=Sender(role=role, name=name)),
    )


def queue_update(
    op: Literal["added", "taken", "removed"], session: ChatSession, queue: str | None = None
) -> None:
    """A request arrived in, was taken from, or left a queue: everyone monitoring that queue
    hears (by default the one it waits in, else its library's)."""
    queue = queue or session.waiting_in() or session.library
    watchers = [monitor.connection_id for monitor in access.monitors_of(queue)]
    if watchers:
        delivery.send(
            watchers, QueueUpdate(op=op, queue=queue, session=serialize.session_view(session, for_staff=True))
        )
