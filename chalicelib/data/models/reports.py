"""What reports read: a library's chats counted by day as they end, are coded and rated, and
one row per counted chat (the CSV's rows, and what the day's counters hold of that chat)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from .base import table_meta


class ReportDay(Model):
    """A library's chats made on one UTC day, as counters (`chats`, `h#13`, `r#answered`...,
    named in data/report_counts.py) that a chat's row adds to with ADD. The counters are
    attributes of their own, so no update ever needs a map to exist first; they are read raw."""

    Meta = table_meta("report_days")
    library = UnicodeAttribute(hash_key=True)
    day = UnicodeAttribute(range_key=True)  # YYYY-MM-DD, UTC

    counters: dict[str, int]

    @classmethod
    def from_raw_data(cls, data: dict[str, Any]) -> ReportDay:
        """The declared keys as PynamoDB reads them, and every number beside them as a counter."""
        day = super().from_raw_data(data)
        day.counters = {name: int(value["N"]) for name, value in data.items() if "N" in value}
        return day


class ReportRow(Model):
    """One ended chat as reports see it. Its `revision` orders every change to what the chat
    contributes: a change is written together with the counters' deltas, on condition that
    the row is still the revision it was computed from. A chat taken out of analytics keeps a
    row with `counted` false, so revisions only ever go up."""

    Meta = table_meta("report_rows")
    library = UnicodeAttribute(hash_key=True)  # the patron's library
    row_key = UnicodeAttribute(range_key=True)  # "<created_at>#<session_id>": a date range is a key range
    revision = NumberAttribute()
    counted = BooleanAttribute()
    session_id = UnicodeAttribute()
    created_at = UnicodeAttribute()
    served_by_library = UnicodeAttribute(null=True)
    librarian = UnicodeAttribute(null=True)
    accepted_at = UnicodeAttribute(null=True)
    ended_at = UnicodeAttribute(null=True)
    ended_by = UnicodeAttribute(null=True)
    wait_s = NumberAttribute(null=True)
    duration_s = NumberAttribute(null=True)
    resolution = UnicodeAttribute(null=True)
    descriptive: ListAttribute[Any] = ListAttribute(of=UnicodeAttribute, null=True)
    rating = NumberAttribute(null=True)
    rating_comment = UnicodeAttribute(null=True)
