"""A chat's messages: numbered 1, 2, 3... per session with no gaps, each written exactly once.

Appending reads nothing but the session the caller already holds, then writes in one
transaction: the session's `last_seq` moves from n to n+1 only if it still reads n, and the
message n+1 is put beside it. A writer that loses the race re-reads and tries n+2. A client
`ref` is remembered on the session, so a retried send is acknowledged with its first seq.
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import TransactWriteError

from . import clock
from .data import access
from .data.access import LIVE_STATUSES
from .data.models import ChatSession, Message, transaction
from .errors import SessionEnded

_MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class Author:
    role: str  # patron | librarian | system
    name: str | None = None
    key: str = "system"  # who owns a client ref: "patron" or the librarian's e-mail


SYSTEM = Author("system", "Refdesk")


@dataclass
class Appended:
    message: Message | None  # None when the ref had been seen: nothing new was written
    seq: int
    session: ChatSession  # the session as it stands after the append

    @property
    def duplicate(self) -> bool:
        return self.message is None


def _seen_ref(session: ChatSession, ref_key: str | None) -> int | None:
    if ref_key is None:
        return None
    seq = session.refs.as_dict().get(ref_key)
    return int(seq) if seq is not None else None


def append(
    session: ChatSession,
    author: Author,
    text: str,
    *,
    kind: str = "chat",
    ref: str | None = None,
    staff_only: bool = False,
    require_live: bool = True,
) -> Appended:
    ref_key = f"{author.key}:{ref}" if ref else None
    for _ in range(_MAX_ATTEMPTS):
        seen = _seen_ref(session, ref_key)
        if seen is not None:
            return Appended(None, seen, session)
        if require_live and session.status not in LIVE_STATUSES:
            raise SessionEnded("This chat has ended.")
        seq = int(session.last_seq) + 1
        message = _message(session.session_id, seq, author, kind, text, clock.iso(clock.now()), staff_only)
        condition = ChatSession.last_seq == session.last_seq
        if require_live:
            condition &= ChatSession.status.is_in(*LIVE_STATUSES)
        actions = [ChatSession.last_seq.set(seq)]
        if ref_key:
            actions.append(ChatSession.refs[ref_key].set(seq))
        try:
            with transaction() as writes:
                writes.update(session, actions=actions, condition=condition)
                writes.save(message, condition=Message.seq.does_not_exist())
        except TransactWriteError as error:
            if not _lost_race(error):
                raise
            session = access.session(session.session_id)
            continue
        session.last_seq = seq
        if ref_key:
            session.refs[ref_key] = seq
        return Appended(message, seq, session)
    raise RuntimeError(f"could not append to {session.session_id}: too much contention")


def _lost_race(error: TransactWriteError) -> bool:
    reasons = getattr(error, "cancellation_reasons", None) or []
    return any(reason is not None and reason.code == "ConditionalCheckFailed" for reason in reasons)


def first_messages(session: ChatSession, items: list[tuple[Author, str, str]]) -> list[Message]:
    """Messages 1..n of a new chat, to be written with the session in one transaction."""
    sent_at = clock.iso(clock.now())
    return [
        _message(session.session_id, seq, author, kind, text, sent_at)
        for seq, (author, kind, text) in enumerate(items, start=1)
    ]


def _message(
    session_id: str, seq: int, author: Author, kind: str, text: str, sent_at: str, staff_only: bool = False
) -> Message:
    return Message(
        session_id=session_id,
        seq=seq,
        kind=kind,
        from_role=author.role,
        from_name=author.name,
        text=text,
        sent_at=sent_at,
        staff_only=staff_only,
    )


def history(session_id: str, after_seq: int = 0, *, for_staff: bool) -> list[Message]:
    """What a reader may see after `after_seq`, in order; patrons never see staff-only notes."""
    return access.messages_after(session_id, after_seq, staff=for_staff)
