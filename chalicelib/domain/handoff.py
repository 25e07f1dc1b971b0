"""A chat changing hands, transcript intact: back to the queue when its librarian is gone,
passed by its librarian to a queue, or offered to a named colleague who accepts or declines.

QuestionPoint ended a chat whose librarian's browser crashed; Refdesk keeps the patron and
offers the chat to the librarian's colleagues instead.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from .. import clock, notify
from ..data import access, sessions
from ..data.models import ChatSession
from ..errors import ChatChanged
from ..statuses import Kind
from ..wire.events import Person
from . import messages, routing
from .messages import SYSTEM

OFFER_LASTS = timedelta(minutes=1)
BACK_IN_QUEUE = (
    "{librarian} lost their connection, so your chat is back in the queue. The next librarian "
    "will see everything said so far; please stay on this page."
)
TRANSFERRED = (
    "{librarian} has passed your chat to {library}. The next librarian will see everything "
    "said so far; please stay on this page."
)
NOT_TAKEN = {
    "declined": "{name} declined the chat; it is still yours.",
    "timeout": "{name} did not answer your offer within a minute; the chat is still yours.",
    "offline": "{name} went offline before answering your offer; the chat is still yours.",
}


def requeue(session: ChatSession, *, to_queue: str | None = None, text: str | None = None) -> None:
    """Put an accepted chat back to waiting in `to_queue` (its own library's by default) and
    tell the patron with `text`; ChatChanged if it had moved on in the meantime. It is routed
    again as a new request in that queue would be."""
    queue = to_queue or session.library
    owner_name = session.staff_names.as_dict().get(session.librarian or "") or "Your librarian"
    now = clock.now()
    escalate_at, give_up_at = routing.deadlines(access.library(queue), now)
    sessions.requeue(session, queue, escalate_at=escalate_at, give_up_at=give_up_at, now=clock.iso(now))
    appended = messages.post(session, SYSTEM, text or BACK_IN_QUEUE.format(librarian=owner_name), Kind.SYSTEM)
    notify.session_update(appended.session)
    notify.queue_update("added", appended.session)
    notify.queue_positions(queue, appended.session.created_at)


def offer(session: ChatSession, to: str, to_sockets: list[str], sender: Person, note: str | None) -> None:
    """Offer the chat to a signed-in colleague, for a minute."""
    expires_at = clock.iso(clock.now() + OFFER_LASTS)
    sessions.offer(session, to, note, expires_at)
    notify.transfer_offer(to_sockets, session, sender, note, expires_at)


def not_taken(session: ChatSession, by: Person, reason: Literal["declined", "timeout", "offline"]) -> None:
    """The offer to `by` ends without a transfer (declined, lapsed, or they went offline):
    the offering librarian is told and keeps the chat. ChatChanged if the offer had already
    closed."""
    offering = session.offer_from or ""
    sessions.withdraw_offer(session, by.email or "")
    text = NOT_TAKEN[reason].format(name=by.name or by.email)
    notify.transfer_declined(session, offering, by, reason, text)


def lapse_offers(now: str | None = None, *, to: str | None = None) -> int:
    """Close the offers lapsed by `now`, or every open offer to `to` (who went offline)."""
    closed = 0
    for session_id in access.transfer_offers(until=now):
        session = access.session(session_id)
        if not session.offer_to or (to is not None and session.offer_to != to):
            continue
        if now is not None and (session.offer_expires_at or "") > now:
            continue
        member = access.staff_member(session.offer_to)
        by = Person(email=session.offer_to, name=member.name if member else None)
        try:
            not_taken(session, by, "timeout" if to is None else "offline")
        except ChatChanged:
            continue
        closed += 1
    return closed
