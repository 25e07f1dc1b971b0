"""Coming back after a drop: `resume` rebinds a patron's new socket to their chat, and
`history` lets anyone in a chat fetch what they missed."""

from __future__ import annotations

from .. import notify, serialize
from ..data import access, sessions
from ..data.models import ChatSession, Connection
from ..domain import directory, messages, patron_token
from ..errors import ChatChanged, Forbidden
from ..statuses import Status
from ..wire import actions as wire
from ..wire.events import FollowUp, HistoryEvent, Resumed
from .caller import Caller
from .chat import author_in

FOLLOW_UP = (
    "This chat has ended. Leave your question below and a librarian will answer by e-mail; "
    "they will see this chat's transcript with it."
)


def resume(caller: Caller, request: wire.Resume) -> None:
    patron = caller.patron()
    session, revived = _rebind(patron_token.session_for(request.patron_token), caller.connection_id)
    patron.update(actions=[Connection.session_id.set(session.session_id)])
    missed = messages.history(session.session_id, request.after_seq, for_staff=False)
    caller.reply(
        Resumed(
            session=serialize.session_view(session, for_staff=False),
            messages=[serialize.message_view(m) for m in missed],
            follow_up=_follow_up(session) if session.status == Status.ENDED else None,
        )
    )
    if revived:
        notify.session_update(session, skip=caller.connection_id)


def _rebind(session: ChatSession, connection_id: str) -> tuple[ChatSession, bool]:
    """Make `connection_id` the chat's patron socket. The old socket's $disconnect may land
    at the same moment and change the status, so a lost race is re-read and tried again; an
    ended chat is left as it is. Also says whether the chat came back from `reconnecting`,
    which is news for its librarians."""
    for _ in range(5):
        if session.status == Status.ENDED:
            return session, False
        try:
            return session, sessions.patron_back(session, connection_id)
        except ChatChanged:
            session = access.session(session.session_id)
    raise RuntimeError(f"could not resume {session.session_id}: too much contention")


def _follow_up(session: ChatSession) -> FollowUp:
    return FollowUp(
        library=session.library,
        session_id=session.session_id,
        question=session.question,
        name=session.patron_name,
        email=session.patron_email,
        message=FOLLOW_UP,
    )


def history(caller: Caller, request: wire.History) -> None:
    """Messages after `after_seq`: all of them for a librarian who may serve the chat's
    library, the patron-visible ones for its patron."""
    session = access.session(request.session_id)
    if request.patron_token is not None or caller.connection_id == session.patron_connection:
        author_in(session, caller, request.patron_token)
        for_staff = False
    else:
        librarian = caller.librarian()
        if not directory.may_serve(librarian.library or "", session.library):
            raise Forbidden("That chat is for a library you do not serve.")
        for_staff = True
    found = messages.history(session.session_id, request.after_seq, for_staff=for_staff)
    caller.reply(
        HistoryEvent(
            session=serialize.session_view(session, for_staff=for_staff),
            messages=[serialize.message_view(m) for m in found],
        )
    )
