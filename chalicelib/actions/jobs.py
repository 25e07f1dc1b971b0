"""Scheduled jobs. Each reads only what it must, through a sparse index, and returns how many
items it changed. `now` is a parameter so the local stack can run a job "as if" at any time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from .. import clock, delivery
from ..data import access
from ..domain import chats, handoff, presence, privacy, questions, routing
from ..errors import SessionEnded
from ..observability import logger
from ..statuses import EndedBy, Role, Status

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


def escalate_waiting(now: datetime) -> int:
    """Offer to the cooperative the requests their own library has not taken in time, and
    give up those nobody took (ended_by "unanswered"). Each change is a conditional write,
    so a job that runs twice, or overlaps itself, or races an accept, changes a request once."""
    deadline = clock.iso(now)
    changed = 0
    for session_id in access.requests_due_for_routing(deadline):
        session = access.session(session_id)
        if session.status != Status.WAITING:
            continue
        try:
            if session.give_up_at and session.give_up_at <= deadline:
                chats.end(session, EndedBy.UNANSWERED)
            elif not session.escalated and session.escalate_at and session.escalate_at <= deadline:
                routing.escalate(session)
            else:
                continue
        except SessionEnded:  # taken, ended or offered by someone else first
            continue
        changed += 1
    return changed


def expire_transfer_offers(now: datetime) -> int:
    """Offers of a chat to a colleague that were not answered within a minute go back to the
    offering librarian, who is told."""
    return handoff.lapse_offers(clock.iso(now))


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


def purge_personal_data(now: datetime) -> int:
    """Remove the patron's name, e-mail and page from chats and questions that ended more than
    their library's retention_days ago (the words and the codes stay); a bounded page a run."""
    return privacy.purge_due(clock.iso(now))


JOBS: dict[str, Callable[[datetime], int]] = {
    "expire_reconnects": expire_reconnects,
    "escalate_waiting": escalate_waiting,
    "expire_transfer_offers": expire_transfer_offers,
    "sweep_connections": sweep_connections,
    "clear_in_progress": clear_in_progress,
    "purge_personal_data": purge_personal_data,
}


def run(name: str, now: datetime | None = None) -> int:
    logger.append_keys(job=name)
    changed = JOBS[name](now or clock.now())
    logger.info("job ran", extra={"job": name, "changed": changed})
    return changed
