"""A librarian passing their chat on: `transfer` to a queue (their library's or a partner's)
or to a named colleague who is signed in, and that colleague's `decline`."""

from __future__ import annotations

from ..data import access
from ..domain import directory, handoff, messages
from ..errors import BadRequest, Forbidden, NotFound, SessionEnded
from ..statuses import IN_PROGRESS, Kind
from ..wire import actions as wire
from ..wire.events import Person
from .caller import Caller


def transfer(caller: Caller, request: wire.Transfer) -> None:
    """The chat's librarian passes it to a queue that may serve this patron (a note goes with
    it, for the next librarian only), or offers it to a signed-in colleague."""
    librarian = caller.librarian()
    session = access.session(request.session_id)
    if session.librarian != librarian.librarian:
        raise Forbidden("Only the chat's librarian may transfer it.")
    if session.status not in IN_PROGRESS:
        raise SessionEnded("Only a chat in progress can be transferred.")
    if request.librarian and request.library:
        raise BadRequest("Transfer to a librarian or to a library's queue, not both.")
    if request.librarian:
        to = request.librarian.lower()
        if to == librarian.librarian:
            raise BadRequest("The chat is already yours.")
        member = access.staff_member(to)
        sockets = access.sockets_of(to) if member else []
        if member is None or not sockets:
            raise NotFound(f"{request.librarian} is not signed in; choose a colleague who is online.")
        if not directory.may_serve(member.library, session.library):
            raise Forbidden(f"{member.name} cannot serve this patron's library.")
        sender = Person(name=librarian.name, email=librarian.librarian)
        handoff.offer(session, to, sockets, sender, request.note)
        return
    target = access.library(request.library or session.library)
    if not directory.may_serve(target.library_id, session.library):
        raise Forbidden(f"{target.name} is not in this patron's cooperative.")
    if request.note:
        author = messages.librarian(librarian.librarian or "", librarian.name)
        note = f"Transfer note: {request.note}"  # a handoff's record: goes in even when the chat is full
        session = messages.post(session, author, note, Kind.NOTE, counted=False).session
    text = handoff.TRANSFERRED.format(librarian=librarian.name or "Your librarian", library=target.name)
    handoff.requeue(session, to_queue=target.library_id, text=text)


def decline(caller: Caller, request: wire.Decline) -> None:
    """The colleague a chat was offered to turns it down; it stays with its librarian."""
    librarian = caller.librarian()
    session = access.session(request.session_id)
    if session.offer_to != librarian.librarian:
        raise NotFound("There is no offer of that chat to you.")
    handoff.not_taken(session, Person(name=librarian.name, email=librarian.librarian), "declined")
