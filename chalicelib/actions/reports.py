"""`GET /reports`: a library's chats counted over a range of days, as JSON or as CSV.

A librarian sees their own library's reports; an admin also those of the libraries in their
cooperative (covering each other's patrons, they plan coverage together).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from .. import clock, limits
from ..data import access
from ..data import report_counts as counters
from ..data.models import Library
from ..domain import codes, reports
from ..domain.auth import Librarian
from ..errors import BadRequest, Forbidden
from ..wire import cursors
from ..wire.reports import (
    CsvPage,
    DayCount,
    HourCount,
    LibrarianCount,
    Percentiles,
    Rating,
    Report,
    ReportableLibrary,
    ReportQuery,
    Totals,
    csv_text,
)

DEFAULT_DAYS = 30


def _reportable(librarian: Librarian, library_id: str) -> Library:
    """The library whose report is asked for, if this librarian may read it."""
    if library_id == librarian.library:
        return access.library(library_id)
    if librarian.is_admin:
        own = access.library(librarian.library)
        other = access.library(library_id)
        if own.cooperative and other.cooperative == own.cooperative:
            return other
    raise Forbidden("You may see your own library's reports only (admins: also their cooperative's).")


def _libraries(librarian: Librarian, library: Library) -> list[ReportableLibrary]:
    """What this librarian may report on: their library, and for an admin its cooperative's."""
    own = library if library.library_id == librarian.library else access.library(librarian.library)
    found = [own]
    if librarian.is_admin and own.cooperative:
        partners = [m for m in access.cooperative_members(own.cooperative) if m != own.library_id]
        found += sorted(access.libraries(partners), key=lambda partner: partner.name)
    return [ReportableLibrary(library_id=item.library_id, name=item.name) for item in found]


def _day(text: str | None, name: str, default: date) -> date:
    if text is None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"'{name}' is not a date: {text} (YYYY-MM-DD).") from None


def _range(query: ReportQuery) -> tuple[date, date]:
    last = _day(query.to, "to", clock.now().date())
    first = _day(query.from_, "from", last - timedelta(days=DEFAULT_DAYS - 1))
    if first > last:
        raise BadRequest("'from' must not be after 'to'.")
    if (last - first).days + 1 > limits.REPORT_DAYS:
        raise BadRequest(f"A report covers at most {limits.REPORT_DAYS} days; ask for a shorter range.")
    return first, last


def report(librarian: Librarian, query: ReportQuery) -> Report | CsvPage:
    library = _reportable(librarian, query.library or librarian.library)
    first, last = _range(query)
    if query.format == "csv":
        return _csv_page(library, first, last, query.after)
    summary = reports.summarise(library, first, last)
    totals = summary.totals
    ratings = totals[counters.RATINGS]
    return Report(
        library=library.library_id,
        library_name=library.name,
        from_=str(first),
        to=str(last),
        libraries=_libraries(librarian, library),
        totals=Totals(
            chats=totals[counters.CHATS],
            accepted=totals[counters.ACCEPTED],
            unanswered=totals[counters.UNANSWERED],
            served_by_cooperative=totals[counters.BY_COOPERATIVE],
            uncoded=totals[counters.resolution(None)],
            wait_s=Percentiles(**summary.wait),
            duration_s=Percentiles(**summary.duration),
            rating=Rating(
                count=ratings, average=round(totals[counters.RATING_SUM] / ratings, 2) if ratings else None
            ),
        ),
        by_day=[DayCount(day=day, chats=n) for day, n in summary.by_day],
        by_weekday_hour=[HourCount(weekday=w, hour=h, chats=n) for w, h, n in summary.by_weekday_hour],
        by_librarian=[LibrarianCount(librarian=email, chats=n) for email, n in summary.by_librarian],
        by_resolution=summary.by_resolution,
        by_descriptive=summary.by_descriptive,
    )


def _start(raw: str | None, library: str) -> dict[str, Any] | None:
    """A CSV cursor: a report row's key in this library, or BadRequest."""
    key = cursors.decode(raw)
    if key is None:
        return None
    fits = set(key) == {"library", "row_key"} and all(
        isinstance(value, dict) and isinstance(value.get("S"), str) and 0 < len(value["S"]) <= 1024
        for value in key.values()
    )
    if not fits or key["library"]["S"] != library:
        raise BadRequest("That cursor is not one this report gave out.")
    return key


def _csv_page(library: Library, first: date, last: date, after: str | None) -> CsvPage:
    start = _start(after, library.library_id)
    rows, next_key = reports.rows(library.library_id, first, last, limits.REPORT_CSV_ROWS, start)
    lists = codes.lists_of(library)
    safe_id = re.sub(r"[^A-Za-z0-9._-]+", "-", library.library_id)
    return CsvPage(
        filename=f"refdesk-{safe_id}-{first}-{last}.csv",
        text=csv_text([reports.csv_row(row, lists) for row in rows], first_page=start is None),
        next=cursors.encode(next_key),
    )
