"""Coming back after a drop: `resume` rebinds a patron's new socket to their chat, and
`history` lets anyone in a chat fetch what they missed."""

from __future__ import annotations

from .. import serialize
from ..data import access
from ..data.models import ChatSession, Connection
from ..domain import directory, messages, patron_token, presence, routing
from ..errors import Forbidden
from ..statuses import Status
from ..wire import actions as wire
from ..wire.events import HistoryEvent, Resumed
from .caller import Caller
from .chat import author_in


def resume(caller: Caller, request: wire.Resume) -> None:
    patron = caller.patron()
    session = presence.patron_back(patron, patron_token.session_for(request.patron_token))
    view = serialize.session_view(session, for_staff=False)
    follow_up = serialize.follow_up(session) if session.status == Status.ENDED else None
    position = routing.position(session) if session.status == Status.WAITING else None
    # The messages after after_seq, as many of the newest as fit: with more_before, the
    # patron's page fetches the gap with `history` {after_seq, before_seq}.
    caller.reply(
        serialize.with_messages(
            lambda found, more: Resumed(
                session=view, messages=found, more_before=more, follow_up=follow_up, position=position
            ),
            messages.newest_first(session.session_id, after_seq=request.after_seq, for_staff=False),
        )
    )


def _concerns(session: ChatSession, connection_id: str, librarian: Connection) -> bool:
    """Whether a librarian who may serve the chat's library may read it: its own library's
    librarians always; a cooperative partner's only once it concerns their library or them
    (offered to their library, served by it, offered to them by name, or they are in it)."""
    library = librarian.library or ""
    return (
        library == session.library
        or routing.offered_to(session, library)
        or session.served_by_library == library
        or (librarian.librarian is not None and session.offer_to == librarian.librarian)
        or connection_id in session.staff_connection_ids()
    )


def history(caller: Caller, request: wire.History) -> None:
    """Messages after `after_seq` (and before `before_seq`, when given): all of them for a
    librarian the chat concerns (see `_concerns`), the patron-visible ones for its patron; the
    newest of them that fit in one reply, and `more_before` when older ones did not."""
    session = access.session(request.session_id)
    if request.patron_token is not None or caller.connection_id == session.patron_connection:
        author_in(session, caller, request.patron_token)
        for_staff = False
    else:
        librarian = caller.librarian()
        if not directory.may_serve(librarian.library or "", session.library):
            raise Forbidden("That chat is for a library you do not serve.")
        if not _concerns(session, caller.connection_id, librarian):
            raise Forbidden("That chat is a partner library's, and was never offered to yours.")
        for_staff = True
    view = serialize.session_view(session, for_staff=for_staff)
    found = messages.newest_first(
        session.session_id, after_seq=request.after_seq, before_seq=request.before_seq, for_staff=for_staff
    )
    caller.reply(
        serialize.with_messages(
            lambda page, more: HistoryEvent(session=view, messages=page, more_before=more), found
        )
    )
