"""A librarian passing their chat on: `transfer` to their own or a cooperative partner's queue."""

from __future__ import annotations

from ..data import access
from ..domain import directory, handoff, messages
from ..errors import BadRequest, Forbidden, SessionEnded
from ..statuses import IN_PROGRESS, Kind
from ..wire import actions as wire
from .caller import Caller


def transfer(caller: Caller, request: wire.Transfer) -> None:
    """The chat's librarian passes it to a queue: their library's, or a partner's that may
    serve this patron. A note goes with it, for the next librarian only."""
    librarian = caller.librarian()
    session = access.session(request.session_id)
    if session.librarian != librarian.librarian:
        raise Forbidden("Only the chat's librarian may transfer it.")
    if session.status not in IN_PROGRESS:
        raise SessionEnded("Only a chat in progress can be transferred.")
    if request.librarian:
        raise BadRequest("Transfer to a named librarian is not available yet; transfer to a queue.")
    target = access.library(request.library or session.library)
    if not directory.may_serve(target.library_id, session.library):
        raise Forbidden(f"{target.name} is not in this patron's cooperative.")
    if request.note:
        author = messages.librarian(librarian.librarian or "", librarian.name)
        session = messages.post(session, author, f"Transfer note: {request.note}", Kind.NOTE).session
    text = handoff.TRANSFERRED.format(librarian=librarian.name or "Your librarian", library=target.name)
    handoff.requeue(session, to_queue=target.library_id, text=text)
