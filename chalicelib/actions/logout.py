"""Exiting the system (QuestionPoint's "exit the system"): a librarian who logs out with chats
in progress.

Each chat they have in progress ends (`ended_by: "exit"`), its patron is told and gets the
transcript by e-mail, and its question is filed `answered` with the label `in_progress`
(which the clear_in_progress job removes within two hours). Requests still waiting stay
waiting for everyone else; this librarian's socket stops being offered them.
"""

from __future__ import annotations

from ..data import access
from ..domain import chats, presence
from ..errors import SessionEnded
from ..statuses import IN_PROGRESS, EndedBy
from ..wire import actions as wire
from ..wire.events import LoggedOut
from .caller import Caller


def logout(caller: Caller, request: wire.Logout) -> None:
    librarian = caller.librarian()
    presence.stop_offering(librarian)
    ended = []
    for session in access.open_sessions_of(librarian.librarian or ""):
        if session.status not in IN_PROGRESS:
            continue
        try:
            chats.end(session, EndedBy.EXIT, by_name=librarian.name, close=True)  # and leaves My Active
        except SessionEnded:
            continue
        ended.append(session.session_id)
    caller.reply(LoggedOut(ended=ended))
