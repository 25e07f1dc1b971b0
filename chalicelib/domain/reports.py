"""Reports: what each ended chat counts for, kept true as it is coded and rated, and a
library's report read from its days' counters.

Counting happens when things change, not when a report is read: `recount` brings an ended
chat's row (data/models/reports.py) and its day's counters up to date, and is called after
every change to what a chat counts for (its end, its codes, its rating). A report over a
date range is then one Query of at most a year of day items, however many chats there were;
the CSV is a Query of the rows, a page at a time. docs/data-model.md has the cost.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any, NamedTuple

from .. import clock
from ..data import access, report_counts
from ..data.models import ChatSession, Library, Question, ReportRow
from ..errors import ChatChanged
from ..observability import logger
from ..statuses import EndedBy, Status
from ..wire.reports import CodeCount, CsvCell
from ..wire.rest import CodeLists
from . import codes, percentiles

ATTEMPTS = 8  # a recount that loses the race to another reads again; this many times at most


def row_for(session: ChatSession, question: Question, revision: int) -> ReportRow:
    """An ended chat as reports see it (`question` holds its codes and rating)."""
    accepted, ended = session.accepted_at, session.ended_at
    wait = clock.parse(accepted) - clock.parse(session.created_at) if accepted else None
    took = clock.parse(ended) - clock.parse(accepted) if accepted and ended else None
    return ReportRow(
        library=session.library,
        row_key=report_counts.row_key(session.created_at, session.session_id),
        revision=revision,
        counted=question.in_analytics,
        session_id=session.session_id,
        created_at=session.created_at,
        served_by_library=session.served_by_library,
        librarian=session.librarian,
        accepted_at=accepted,
        ended_at=ended,
        ended_by=session.ended_by,
        wait_s=percentiles.whole_seconds(wait.total_seconds()) if wait is not None else None,
        duration_s=percentiles.whole_seconds(took.total_seconds()) if took is not None else None,
        resolution=question.resolution,
        descriptive=list(question.descriptive or []) or None,
        rating=question.rating,
        rating_comment=question.rating_comment,
    )


def contribution(row: ReportRow | None) -> Counter[str]:
    """What a row adds to its day's counters: nothing unless it is counted."""
    if row is None or not row.counted:
        return Counter()
    counts: Counter[str] = Counter(
        {
            report_counts.CHATS: 1,
            report_counts.hour(clock.parse(row.created_at).hour): 1,
            report_counts.resolution(row.resolution): 1,
        }
    )
    counts[report_counts.ACCEPTED] += bool(row.accepted_at)
    counts[report_counts.UNANSWERED] += row.ended_by == EndedBy.UNANSWERED
    counts[report_counts.BY_COOPERATIVE] += bool(
        row.served_by_library and row.served_by_library != row.library
    )
    if row.librarian:
        counts[report_counts.librarian(row.librarian)] += 1
    for code in row.descriptive or []:
        counts[report_counts.descriptive(code)] += 1
    if row.wait_s is not None:
        counts[report_counts.wait(percentiles.bucket(int(row.wait_s)))] += 1
    if row.duration_s is not None:
        counts[report_counts.duration(percentiles.bucket(int(row.duration_s)))] += 1
    if row.rating is not None:
        counts[report_counts.RATINGS] += 1
        counts[report_counts.RATING_SUM] += int(row.rating)
    return counts


def _deltas(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in before.keys() | after.keys()}


def recount(session_id: str) -> None:
    """Bring an ended chat's report row and its day's counters up to date with the chat and its
    question; a live chat counts for nothing yet. Made again, it changes nothing more.

    The row is read before the question, so a change to the question made before this call
    is in what the row is computed from, or in what a concurrent recount computed; the write
    holds only if the row is still the revision read (data/report_counts.py)."""
    for _ in range(ATTEMPTS):
        session = access.session(session_id)
        if session.status != Status.ENDED:
            return  # an ended chat stays ended, with its times and librarian as they are now
        before = access.report_row(
            session.library, report_counts.row_key(session.created_at, session.session_id)
        )
        question = access.question(session.question_id, consistent=True)
        after = row_for(session, question, revision=int(before.revision) + 1 if before else 1)
        try:
            report_counts.record(before, after, _deltas(contribution(before), contribution(after)))
            return
        except ChatChanged:
            continue
    raise RuntimeError(f"could not count {session_id} in its report: too much contention")


def recount_quietly(session_id: str) -> None:
    """`recount`, for callers whose own work is done whatever happens to the report (a chat
    that has ended has ended): a failure is logged, with the chat, for `recount` later."""
    try:
        recount(session_id)
    except Exception:
        logger.exception("report not updated", extra={"session_id": session_id})


# --- reading a report ------------------------------------------------------------------------------


class Summary(NamedTuple):
    """A library's report over a range of days, as `wire.reports.Report` shows it."""

    totals: Counter[str]
    wait: dict[str, float | None]
    duration: dict[str, float | None]
    by_day: list[tuple[str, int]]
    by_weekday_hour: list[tuple[int, int, int]]
    by_librarian: list[tuple[str, int]]
    by_resolution: list[CodeCount]
    by_descriptive: list[CodeCount]


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _with_prefix(counts: Counter[str], prefix: str) -> dict[str, int]:
    return {name[len(prefix) :]: n for name, n in counts.items() if name.startswith(prefix) and n > 0}


def _histogram(counts: Counter[str], prefix: str) -> dict[str, float | None]:
    buckets = {int(index): n for index, n in _with_prefix(counts, prefix).items()}
    return {"median": percentiles.percentile(buckets, 0.5), "p90": percentiles.percentile(buckets, 0.9)}


def _most_first(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def summarise(library: Library, first: date, last: date) -> Summary:
    """The report of `library`'s chats made from `first` to `last` (UTC, inclusive): one Query
    of its day items."""
    days = {d.day: Counter(d.counters) for d in access.report_days(library.library_id, str(first), str(last))}
    totals: Counter[str] = Counter()
    grid: Counter[tuple[int, int]] = Counter()
    by_day = []
    for day in days_between(first, last):
        counts = days.get(day.isoformat(), Counter())
        totals.update(counts)
        by_day.append((day.isoformat(), counts[report_counts.CHATS]))
        for hour in range(24):
            grid[(day.weekday(), hour)] += counts[report_counts.hour(hour)]
    lists = codes.lists_of(library)
    by_resolution = [
        CodeCount(code=code or None, label=lists.resolution_label(code) if code else "No code", chats=n)
        for code, n in _most_first(_with_prefix(totals, report_counts.RESOLUTION))
    ]
    by_descriptive = [
        CodeCount(code=code, label=lists.descriptive_label(code), chats=n)
        for code, n in _most_first(_with_prefix(totals, report_counts.DESCRIPTIVE))
    ]
    return Summary(
        totals=totals,
        wait=_histogram(totals, report_counts.WAIT),
        duration=_histogram(totals, report_counts.DURATION),
        by_day=by_day,
        by_weekday_hour=[
            (weekday, hour, grid[(weekday, hour)]) for weekday in range(7) for hour in range(24)
        ],
        by_librarian=_most_first(_with_prefix(totals, report_counts.LIBRARIAN)),
        by_resolution=by_resolution,
        by_descriptive=by_descriptive,
    )


def csv_row(row: ReportRow, lists: CodeLists) -> dict[str, CsvCell]:
    """A counted chat as a CSV row (wire.reports.CSV_COLUMNS): codes joined with ';', their
    labels (from the library's `lists`) beside them."""
    descriptive = list(row.descriptive or [])
    return {
        "session_id": row.session_id,
        "library": row.library,
        "served_by_library": row.served_by_library,
        "librarian": row.librarian,
        "created_at": row.created_at,
        "accepted_at": row.accepted_at,
        "ended_at": row.ended_at,
        "ended_by": row.ended_by,
        "wait_s": _whole(row.wait_s),
        "duration_s": _whole(row.duration_s),
        "resolution": row.resolution,
        "descriptive": ";".join(descriptive),
        "rating": _whole(row.rating),
        "rating_comment": row.rating_comment,
        "resolution_label": lists.resolution_label(row.resolution) if row.resolution else None,
        "descriptive_labels": ";".join(lists.descriptive_label(code) for code in descriptive),
    }


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def rows(
    library: str, first: date, last: date, size: int, start: dict[str, Any] | None
) -> tuple[list[ReportRow], dict[str, Any] | None]:
    """A page of the counted chats made from `first` to `last`, oldest first, and the key to
    start the next page from (None: this was the last)."""
    page = access.report_rows(library, str(first), str(last), size, start)
    found = list(page)
    return found, page.last_evaluated_key if len(found) == size else None
