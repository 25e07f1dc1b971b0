"""A chat's messages: numbered 1, 2, 3... per session with no gaps, each written exactly once.

Appending reads nothing but the session the caller already holds, then writes in one
transaction (data.sessions.append): the session's `last_seq` moves from n to n+1 only if it
still reads n, and message n+1 is put beside it. A writer that loses the race re-reads and
tries n+2. A client `ref` is an item of its own, put in the same transaction (its condition
is that it is new), so a retried send is acknowledged with its first seq and the session item
does not grow with the chat. A chat holds at most CHAT_MESSAGES messages from people.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import NamedTuple

from .. import clock, limits, notify, observability
from ..data import access, sessions
from ..data.models import ChatSession, Message, MessageRef
from ..errors import ChatChanged, RateLimited, RefdeskError, SessionEnded, TooLarge
from ..statuses import LIVE, Kind, Role
from . import rate_limit

_MAX_ATTEMPTS = 20
# Writers that keep losing the race for the next number back off a little, at random, so that
# they do not collide again in step; one that still loses is told to try again in a moment
# (rate_limited): a crowded chat slows down, and nothing sent is lost (the pages resend).
_BACKOFF_S = 0.004
_BUSY_RETRY_S = 1
# How long a client's ref is kept. A retry comes within minutes (a page resends what was not
# acknowledged as soon as its socket is back), never a day later.
REF_LIFETIME = timedelta(days=1)


class Author(NamedTuple):
    role: Role
    name: str | None = None
    key: str = "system"  # who owns a client ref: "patron" or the librarian's e-mail


SYSTEM = Author(Role.SYSTEM, "Refdesk")


def librarian(email: str, name: str | None) -> Author:
    return Author(Role.LIBRARIAN, name, email)


def patron(session: ChatSession) -> Author:
    return Author(Role.PATRON, session.patron_name, "patron")


class Appended(NamedTuple):
    message: Message | None  # None when the ref had been seen: nothing new was written
    seq: int
    session: ChatSession  # the session as it stands after the append

    @property
    def duplicate(self) -> bool:
        return self.message is None


def append(
    session: ChatSession,
    author: Author,
    text: str,
    *,
    kind: Kind = Kind.CHAT,
    ref: str | None = None,
    require_live: bool = True,
    counted: bool | None = None,
) -> Appended:
    """Write one message (notes are for staff only); nothing is relayed here. A message that
    is `counted` (by default, any but a system notice) is refused once the chat holds
    CHAT_MESSAGES: TooLarge. A ref seen before is acknowledged with its first seq, even on a
    chat that has ended or is full."""
    ref_key = f"{author.key}:{ref}" if ref else None
    counted = author.role != Role.SYSTEM if counted is None else counted
    for attempt in range(_MAX_ATTEMPTS):
        refused = _refusal(session, require_live=require_live, counted=counted)
        if refused is not None:
            seen = access.ref_seq(session.session_id, ref_key) if ref_key else None
            if seen is not None:
                return Appended(None, seen, session)
            raise refused
        seq = int(session.last_seq) + 1
        now = clock.now()
        try:  # a patron's messages are paced per chat, in the write that appends them
            pace = rate_limit.next_patron_message(session, now) if author.role == Role.PATRON else None
        except RateLimited:
            seen = access.ref_seq(session.session_id, ref_key) if ref_key else None
            if seen is not None:
                return Appended(None, seen, session)
            raise
        message = _message(session.session_id, seq, author, kind, text, clock.iso(now))
        ref_item = (
            MessageRef(session_id=session.session_id, ref=ref_key, seq=seq, expires_at=now + REF_LIFETIME)
            if ref_key
            else None
        )
        try:
            sessions.append(session, message, ref_item, require_live=require_live, patron_send_tat=pace)
        except sessions.RefSeen:
            seen = access.ref_seq(session.session_id, ref_key or "")
            if seen is not None:
                return Appended(None, seen, session)
            continue  # the ref expired just now: write the message as new
        except ChatChanged:
            time.sleep(random.uniform(0, _BACKOFF_S * min(2**attempt, 16)))
            session = access.session(session.session_id)
            continue
        return Appended(message, seq, session)
    observability.count("AppendContention")
    raise RateLimited(
        "Many messages are arriving in this chat at once. Wait 1 second and try again.", _BUSY_RETRY_S
    )


def _refusal(session: ChatSession, *, require_live: bool, counted: bool) -> RefdeskError | None:
    if require_live and session.status not in LIVE:
        return SessionEnded("This chat has ended.")
    if counted and int(session.last_seq) >= limits.CHAT_MESSAGES:
        return TooLarge(
            f"This chat has reached its length limit of {limits.CHAT_MESSAGES:,} messages. "
            "End it, and start a new chat to go on."
        )
    return None


def post(
    session: ChatSession,
    author: Author,
    text: str,
    kind: Kind,
    *,
    ref: str | None = None,
    require_live: bool = True,
    counted: bool | None = None,
) -> Appended:
    """Append a message and relay it to whoever may read it."""
    appended = append(session, author, text, kind=kind, ref=ref, require_live=require_live, counted=counted)
    if appended.message is not None:
        notify.message(appended.session, appended.message)
        if author.role != Role.SYSTEM:
            observability.count("MessagesRelayed")
    return appended


def first_messages(session: ChatSession, items: list[tuple[Author, Kind, str]]) -> list[Message]:
    """Messages 1..n of a new chat, to be written with the session in one transaction."""
    sent_at = clock.iso(clock.now())
    return [
        _message(session.session_id, seq, author, kind, text, sent_at)
        for seq, (author, kind, text) in enumerate(items, start=1)
    ]


def _message(session_id: str, seq: int, author: Author, kind: Kind, text: str, sent_at: str) -> Message:
    return Message(
        session_id=session_id,
        seq=seq,
        kind=kind,
        from_role=author.role,
        from_name=author.name,
        text=text,
        sent_at=sent_at,
        staff_only=kind == Kind.NOTE,
    )


def history(session_id: str, after_seq: int = 0, *, for_staff: bool) -> list[Message]:
    """What a reader may see after `after_seq`, in order; patrons never see staff-only notes."""
    return access.messages_after(session_id, after_seq, staff=for_staff)


def newest_first(
    session_id: str, *, after_seq: int = 0, before_seq: int | None = None, for_staff: bool
) -> Iterator[Message]:
    """What a reader may see with after_seq < seq < before_seq, newest first, read lazily: a
    reply takes as many as fit."""
    return access.messages_newest_first(
        session_id, after_seq=after_seq, before_seq=before_seq, staff=for_staff
    )
