"""Coming back after a drop: `resume` rebinds a patron's new socket to their chat, and
`history` lets anyone in a chat fetch what they missed."""

from __future__ import annotations

from .. import serialize
from ..data import access
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
    missed = messages.history(session.session_id, request.after_seq, for_staff=False)
    caller.reply(
        Resumed(
            session=serialize.session_view(session, for_staff=False),
            messages=[serialize.message_view(m) for m in missed],
            follow_up=serialize.follow_up(session) if session.status == Status.ENDED else None,
            position=routing.position(session) if session.status == Status.WAITING else None,
        )
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
