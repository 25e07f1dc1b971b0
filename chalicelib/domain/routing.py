"""Cooperative routing, as QuestionPoint's 24/7 cooperative did it: a request is offered first
to the queue it waits in (its own library's), then, after that library's `escalate_after_s`
(at once when nobody of that library is monitoring), to the librarians of its cooperative
partners too; after `give_up_after_s` a request nobody took ends as unanswered and its patron
is offered the follow-up form. The escalate_waiting job does both, reading a sparse index.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import clock, notify
from ..data import access, sessions
from ..data.models import ChatSession, Library


def deadlines(library: Library, now: datetime) -> tuple[str | None, str]:
    """When a request waiting in `library`'s queue from `now` is offered to the cooperative
    (None: never) and when it is given up."""
    give_up_at = clock.iso(now + timedelta(seconds=library.give_up_after_s()))
    after = library.escalate_after_s()
    if after is None or not library.cooperative:
        return None, give_up_at
    if after > 0 and not access.anyone_monitoring(library.library_id, of_library=library.library_id):
        after = 0  # nobody of the library is here: the cooperative gets it at once
    return clock.iso(now + timedelta(seconds=after)), give_up_at


def offered_to(session: ChatSession, librarian_library: str) -> bool:
    """Whether a librarian of `librarian_library` (who may serve the patron) is offered this
    request yet: its own queue's librarians always, partners once it is escalated."""
    return librarian_library == session.waiting_in() or bool(session.escalated)


def escalate(session: ChatSession) -> None:
    """Offer a waiting request to the cooperative (ChatChanged if it moved on meanwhile)."""
    sessions.escalate(session)
    notify.escalated(session)


def position(session: ChatSession) -> int:
    """The request's place in its queue's line: 1 is next."""
    return access.place_in_line(session.waiting_in() or session.library, session.created_at)
