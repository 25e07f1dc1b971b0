"""Exiting the system (seed 000): a librarian who logs out with chats in progress.

Each chat they have in progress ends (`ended_by: "exit"`), its patron is told and gets the
transcript by e-mail, and its question is filed `answered` with the label `in_progress`
(which the clear_in_progress job removes within two hours). Requests still waiting stay
waiting for everyone else; this librarian's socket stops being offered them.
"""

from __future__ import annotations

from . import chat, queue, wire
from .caller import Caller
from .data import access
from .errors import SessionEnded


def logout(caller: Caller, request: wire.Logout) -> None:
    librarian = caller.librarian()
    queue.stop_offering(librarian)
    ended = []
    for session in access.open_sessions_of(librarian.librarian):
        if session.status not in ("active", "reconnecting"):
            continue
        try:
            chat.end(session, "exit", by_name=librarian.name, close=True)  # and leaves My Active
        except SessionEnded:
            continue
        ended.append(session.session_id)
    caller.reply(wire.LoggedOut(ended=ended))
