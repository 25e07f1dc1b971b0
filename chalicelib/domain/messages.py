"""A chat's messages: numbered 1, 2, 3... per session with no gaps, each written exactly once.

Appending reads nothing but the session the caller already holds, then writes in one
transaction (data.sessions.append): the session's `last_seq` moves from n to n+1 only if it
still reads n, and message n+1 is put beside it. A writer that loses the race re-reads and
tries n+2. A client `ref` is remembered on the session, so a retried send is acknowledged
with its first seq.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import clock, notify, observability
from ..data import access, sessions
from ..data.models import ChatSession, Message
from ..errors import ChatChanged, SessionEnded
from ..statuses import LIVE, Kind, Role

_MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class Author:
    role: Role
    name: str | None = None
    key: str = "system"  # who owns a client ref: "patron" or the librarian's e-mail


SYSTEM = Author(Role.SYSTEM, "Refdesk")


def librarian(email: str, name: str | None) -> Author:
    return Author(Role.LIBRARIAN, name, email)


def patron(session: ChatSession) -> Author:
    return Author(Role.PATRON, session.patron_name, "patron")


@dataclass
class Appended:
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
) -> Appended:
    """Write one message (notes are for staff only); nothing is relayed here."""
    ref_key = f"{author.key}:{ref}" if ref else None
    for _ in range(_MAX_ATTEMPTS):
        seen = session.refs.as_dict().get(ref_key) if ref_key else None
        if seen is not None:
            return Appended(None, int(seen), session)
        if require_live and session.status not in LIVE:
            raise SessionEnded("This chat has ended.")
        seq = int(session.last_seq) + 1
        message = _message(session.session_id, seq, author, kind, text, clock.iso(clock.now()))
        try:
            sessions.append(session, message, ref_key, require_live=require_live)
        except ChatChanged:
            session = access.session(session.session_id)
            continue
        return Appended(message, seq, session)
    raise RuntimeError(f"could not append to {session.session_id}: too much contention")


def post(
    session: ChatSession,
    author: Author,
    text: str,
    kind: Kind,
    *,
    ref: str | None = None,
    require_live: bool = True,
) -> Appended:
    """Append a message and relay it to whoever may read it."""
    appended = append(session, author, text, kind=kind, ref=ref, require_live=require_live)
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
