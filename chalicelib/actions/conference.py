"""Working together on a chat: an admin of the chat's library `join`s it from the All tab
(QuestionPoint's conferencing), and `leave`s it again; the chat goes on with its librarian.
Joining again, from a new socket after a reload or a dropped connection, only moves the
admin's seat to that socket."""

from __future__ import annotations

from .. import notify, serialize
from ..data import access, sessions
from ..domain import messages
from ..domain.messages import SYSTEM
from ..errors import BadRequest, Forbidden, SessionEnded
from ..statuses import IN_PROGRESS, Kind, Status
from ..wire import actions as wire
from ..wire.events import Joined
from .caller import Caller

JOINED = "{name} joined the chat."
LEFT = "{name} left the chat."


def join(caller: Caller, request: wire.Join) -> None:
    librarian = caller.librarian()
    session = access.session(request.session_id)
    if not (librarian.is_admin and librarian.library == session.library):
        raise Forbidden("Only an admin of the chat's library may join it.")
    if session.status == Status.WAITING:
        raise BadRequest("That request is waiting: accept it instead of joining it.")
    if session.status not in IN_PROGRESS:
        raise SessionEnded("That chat has ended.")
    if librarian.librarian == session.librarian:
        raise BadRequest("That chat is already yours.")
    name = librarian.name or "A librarian"
    rejoining = librarian.librarian in session.guests.as_dict()  # from a new socket: no news
    sessions.join(session, librarian.connection_id, librarian.librarian or "", name)
    if not rejoining:
        session = messages.post(session, SYSTEM, JOINED.format(name=name), Kind.SYSTEM).session
        notify.session_update(session, skip=librarian.connection_id)
    view = serialize.session_view(session, for_staff=True)
    caller.reply(
        serialize.with_messages(
            lambda found, more: Joined(session=view, messages=found, more_before=more),
            messages.newest_first(session.session_id, for_staff=True),
        )
    )


def leave(caller: Caller, request: wire.Leave) -> None:
    librarian = caller.librarian()
    session = access.session(request.session_id)
    name = session.guests.as_dict().get(librarian.librarian or "")
    if name is None:
        raise BadRequest("You have not joined that chat; only a librarian who joined may leave it.")
    sessions.leave(session, librarian.librarian or "")
    session = messages.post(session, SYSTEM, LEFT.format(name=name), Kind.SYSTEM, require_live=False).session
    notify.session_update(session)
