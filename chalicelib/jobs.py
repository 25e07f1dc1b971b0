"""Scheduled jobs. Each reads only what it must, through a sparse index, and returns how many
items it changed. `now` is a parameter so the local stack can run a job "as if" at any time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from . import chat, clock
from .data import access
from .errors import SessionEnded
from .observability import logger


def expire_reconnects(now: datetime) -> int:
    """End chats whose patron has been gone past the grace period (ended_by "disconnect")."""
    changed = 0
    for session_id in access.sessions_in_grace("patron", clock.iso(now)):
        session = access.session(session_id)
        if session.grace_for != "patron" or session.status == "ended":
            continue
        try:
            chat.end(session, "disconnect")
        except SessionEnded:
            continue
        changed += 1
    return changed


JOBS: dict[str, Callable[[datetime], int]] = {
    "expire_reconnects": expire_reconnects,
}


def run(name: str, now: datetime | None = None) -> int:
    changed = JOBS[name](now or clock.now())
    logger.info("job ran", extra={"job": name, "changed": changed})
    return changed
