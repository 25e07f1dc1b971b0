"""Coming back after a drop: `resume` rebinds a patron's new socket to their chat, and
`history` lets anyone in a chat fetch what they missed."""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from . import chat, delivery, directory, patron_token, transcript, views, wire
from .caller import Caller
from .data import access
from .data.models import ChatSession, Connection
from .errors import Forbidden

FOLLOW_UP = (
    "This chat has ended. Leave your question below and a librarian will answer by e-mail; "
    "they will see this chat's transcript with it."
)


def resume(caller: Caller, request: wire.Resume) -> None:
    patron = caller.patron()
    session, revived = _rebind(patron_token.session_for(request.patron_token), caller.connection_id)
    patron.update(actions=[Connection.session_id.set(session.session_id)])
    missed = transcript.history(session.session_id, request.after_seq, for_staff=False)
    caller.reply(
        wire.Resumed(
            session=views.session_view(session, for_staff=False),
            messages=[views.message_view(m) for m in missed],
            follow_up=_follow_up(session) if session.status == "ended" else None,
        )
    )
    if revived:
        delivery.send(session.staff_connection_ids(), views.session_update(session))


def _rebind(session: ChatSession, connection_id: str) -> tuple[ChatSession, bool]:
    """Make `connection_id` the chat's patron socket and end the patron's grace period. The
    old socket's $disconnect may land at the same moment and change the status, so a lost
    race is re-read and tried again; an ended chat is left as it is. Also says whether the
    chat came back from `reconnecting`, which is news for its librarians."""
    for _ in range(5):
        if session.status == "ended":
            return session, False
        actions = [
            ChatSession.patron_connection.set(connection_id),
            ChatSession.patron_away.remove(),
            ChatSession.patron_back_by.remove(),
        ]
        revived = session.status == "reconnecting"
        if revived:
            actions.append(ChatSession.status.set("active"))
        try:
            session.update(actions=actions, condition=ChatSession.status == session.status)
            return session, revived
        except UpdateError:
            session = access.session(session.session_id)
    raise RuntimeError(f"could not resume {session.session_id}: too much contention")


def _follow_up(session: ChatSession) -> wire.FollowUp:
    return wire.FollowUp(
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
        chat.author_in(session, caller, request.patron_token)
        for_staff = False
    else:
        librarian = caller.librarian()
        if not directory.may_serve(librarian.library, session.library):
            raise Forbidden("That chat is for a library you do not serve.")
        for_staff = True
    messages = transcript.history(session.session_id, request.after_seq, for_staff=for_staff)
    caller.reply(
        wire.HistoryEvent(
            session=views.session_view(session, for_staff=for_staff),
            messages=[views.message_view(m) for m in messages],
        )
    )
