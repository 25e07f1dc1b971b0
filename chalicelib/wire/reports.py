"""`GET /reports`: its query, its JSON reply, and its CSV (one row per chat, a page at a time)."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import Id, Inbound, Outbound

Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class ReportQuery(Inbound):
    library: Id | None = None  # default: the librarian's own
    from_: Day | None = Field(default=None, alias="from")  # UTC dates, inclusive
    to: Day | None = None
    format: Literal["json", "csv"] = "json"
    after: str | None = None  # CSV: the cursor a page's X-Next-Cursor gave


class Percentiles(Outbound):
    median: float | None
    p90: float | None


class Rating(Outbound):
    count: int
    average: float | None


class Totals(Outbound):
    chats: int
    accepted: int
    unanswered: int
    served_by_cooperative: int
    uncoded: int  # chats counted with no resolution code
    wait_s: Percentiles  # request to accept, accepted chats only
    duration_s: Percentiles  # accept to end, accepted chats only
    rating: Rating


class DayCount(Outbound):
    day: str
    chats: int


class HourCount(Outbound):
    weekday: int  # 0 = Monday ... 6 = Sunday
    hour: int  # 0-23, UTC
    chats: int


class LibrarianCount(Outbound):
    librarian: str
    chats: int


class CodeCount(Outbound):
    code: str | None  # None: no resolution code
    label: str
    chats: int


class ReportableLibrary(Outbound):
    library_id: str
    name: str


class Report(Outbound):
    library: str
    library_name: str
    from_: str = Field(alias="from")
    to: str
    libraries: list[ReportableLibrary]  # the libraries this librarian may report on
    totals: Totals
    by_day: list[DayCount]
    by_weekday_hour: list[HourCount]
    by_librarian: list[LibrarianCount]
    by_resolution: list[CodeCount]
    by_descriptive: list[CodeCount]


CSV_COLUMNS = (
    "session_id",
    "library",
    "served_by_library",
    "librarian",
    "created_at",
    "accepted_at",
    "ended_at",
    "ended_by",
    "wait_s",
    "duration_s",
    "resolution",
    "descriptive",
    "rating",
    "rating_comment",
    "resolution_label",
    "descriptive_labels",
)
CsvCell = str | int | float | None
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: CsvCell) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula (a patron's comment
    "=HYPERLINK(...)") is led by an apostrophe."""
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def csv_text(rows: list[dict[str, CsvCell]], *, first_page: bool) -> str:
    """RFC 4180 lines (CRLF). The first page starts with a UTF-8 byte-order mark, so that
    spreadsheets read it as UTF-8, and the header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if first_page:
        out.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


class CsvPage(Outbound):
    """A page of the CSV: `http` sends it as text/csv, `next` as X-Next-Cursor."""

    filename: str
    text: str
    next: str | None
