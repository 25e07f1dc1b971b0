"""Scheduled jobs. Each reads only what it must, through a sparse index, and returns how many
items it changed. `now` is a parameter so the local stack can run a job "as if" at any time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from .. import clock, delivery
from ..data import access
from ..domain import chats, handoff, presence, questions
from ..errors import SessionEnded
from ..observability import logger
from ..statuses import EndedBy, Role

# API Gateway closes a socket idle for ten minutes; one younger than that cannot have gone
# silently for long, so the sweep leaves it alone.
IDLE_TIMEOUT = timedelta(minutes=10)


def expire_reconnects(now: datetime) -> int:
    """Past the grace period, end chats whose patron has not come back (ended_by "disconnect")
    and return to the queue chats whose librarian has not."""
    deadline = clock.iso(now)
    changed = 0
    for session_id in access.chats_past_patron_grace(deadline):
        session = access.session(session_id)
        if not session.patron_overdue(deadline):
            continue  # came back, or went away again later, since the index was read
        try:
            chats.end(session, EndedBy.DISCONNECT)
        except SessionEnded:
            continue
        changed += 1
    for session_id in access.chats_past_librarian_grace(deadline):
        session = access.session(session_id)
        if not session.librarian_overdue(deadline):
            continue
        if session.librarian in session.staff_connections.as_dict().values():
            presence.librarian_back(session)  # a stale mark: a socket of theirs is in the chat
            continue
        try:
            handoff.requeue(session)
        except SessionEnded:
            continue
        changed += 1
    return changed


def sweep_connections(now: datetime) -> int:
    """Forget sockets that closed without a $disconnect (API Gateway sends it best-effort):
    ask the management API about each one old enough, and treat a 410 as a disconnect."""
    changed = 0
    opened_before = clock.iso(now - IDLE_TIMEOUT)
    for role in (Role.LIBRARIAN, Role.PATRON):
        for connection_id in access.connections_opened_before(role, opened_before):
            if delivery.is_gone(connection_id):
                presence.disconnect(connection_id)
                changed += 1
    return changed


def clear_in_progress(now: datetime) -> int:
    """Take the in_progress label off questions of chats ended by an exit."""
    changed = 0
    for question_id, until in access.questions_in_progress_until(clock.iso(now)):
        changed += questions.clear_in_progress(question_id, until)
    return changed


JOBS: dict[str, Callable[[datetime], int]] = {
    "expire_reconnects": expire_reconnects,
    "sweep_connections": sweep_connections,
    "clear_in_progress": clear_in_progress,
}


def run(name: str, now: datetime | None = None) -> int:
    logger.append_keys(job=name)
    changed = JOBS[name](now or clock.now())
    logger.info("job ran", extra={"job": name, "changed": changed})
    return changed
