"""The one write that changes what a chat counts for in reports: its row and its day's
counters together.

A day item's counters are attributes of their own, named here and nowhere else. A chat's
row says what the chat adds to its day; when the row changes (the chat ends, is coded,
rated, or taken out of analytics), the change and the counters' deltas (ADD, negative where
something is taken back) go in one transaction, on condition that the row is still the
revision the change was computed from. A writer that loses that race reads again, so two
changes at once are each counted once.
"""

from __future__ import annotations

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.operand import Path

from ..errors import ChatChanged
from .models import ReportDay, ReportRow, transaction

CHATS = "chats"
ACCEPTED = "accepted"
UNANSWERED = "unanswered"
BY_COOPERATIVE = "coop"  # served by a partner library's librarian
RATINGS = "ratings"
RATING_SUM = "rating_sum"
HOUR, LIBRARIAN, RESOLUTION, DESCRIPTIVE, WAIT, DURATION = "h#", "l#", "r#", "d#", "w#", "t#"


def hour(value: int) -> str:
    return f"{HOUR}{value:02d}"


def librarian(email: str) -> str:
    return f"{LIBRARIAN}{email}"


def resolution(code: str | None) -> str:
    """`r#` alone counts the chats with no resolution code."""
    return f"{RESOLUTION}{code or ''}"


def descriptive(code: str) -> str:
    return f"{DESCRIPTIVE}{code}"


def wait(bucket: int) -> str:
    return f"{WAIT}{bucket}"


def duration(bucket: int) -> str:
    return f"{DURATION}{bucket}"


def row_key(created_at: str, session_id: str) -> str:
    return f"{created_at}#{session_id}"


def record(before: ReportRow | None, after: ReportRow, deltas: dict[str, int]) -> None:
    """Write `after` in place of `before` (None: no row yet) and add `deltas` to its day's
    counters, all or nothing. ChatChanged if the row is no longer `before`."""
    condition = (
        ReportRow.row_key.does_not_exist() if before is None else ReportRow.revision == before.revision
    )
    changes = {name: delta for name, delta in sorted(deltas.items()) if delta}
    try:
        if not changes:
            after.save(condition=condition)
            return
        day = ReportDay(library=after.library, day=after.created_at[:10])
        with transaction() as writes:
            writes.save(after, condition=condition)
            writes.update(day, actions=[Path([name]).add(delta) for name, delta in changes.items()])
    except (PutError, TransactWriteError):
        raise ChatChanged("The chat's report row changed meanwhile.") from None
