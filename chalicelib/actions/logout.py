"""Exiting the system (QuestionPoint's "exit the system"): a librarian who logs out with chats
in progress.

Each chat they have in progress ends (`ended_by: "exit"`), its patron is told and gets the
transcript by e-mail, and its question is filed `answered` with the label `in_progress`
(which the clear_in_progress job removes within two hours). Requests still waiting stay
waiting for everyone else; this librarian's socket stops being offered them. Every token of
theirs is revoked, so each of their other windows is signed out too, and told why.
"""

from __future__ import annotations

from ..domain import accounts, presence
from ..wire import actions as wire
from ..wire.events import LoggedOut
from .caller import Caller


def logout(caller: Caller, request: wire.Logout) -> None:
    """This socket stops being offered requests; then the librarian leaves the service: their
    chats end, every sign-in of theirs ends, and their other windows are told and closed."""
    librarian = caller.librarian()
    presence.stop_offering(librarian)
    ended = accounts.log_out(librarian.librarian or "", librarian.name, keep=librarian.connection_id)
    caller.reply(LoggedOut(ended=ended))
