"""Past chats for the demo's Reports tab: a month of a public library's chats as reports
count them (a row each and its day's counters), with no transcripts behind them. Written in
batches, as `domain.reports.recount` would have left them; `bench/reports.py` seeds its
10,000 chats the same way."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import boto3

from chalicelib.data import report_counts
from chalicelib.data.models import ReportDay, ReportRow
from chalicelib.domain import reports

# Chats an hour, by hour (UTC), on a weekday; weekends are quieter.
WEEKDAY_RATE = {9: 1.0, 10: 1.8, 11: 2.2, 12: 1.4, 13: 2.0, 14: 2.6, 15: 2.3, 16: 1.6, 17: 0.8, 18: 0.4}
WEEKEND_RATE = {10: 0.5, 11: 0.9, 12: 0.6, 13: 0.3}
RESOLUTIONS = ["answered"] * 7 + ["followup_by_me", "referred", "patron_left", None]
DESCRIPTIVE = [
    "catalog_search",
    "account_renewals",
    "database_help",
    "genealogy",
    "local_history",
    "hours_locations",
]


def past_chats(
    library: str,
    librarians: list[str],
    *,
    last: date,
    days: int,
    partner: tuple[str, str] | None = None,
    seed: int = 7,
) -> list[ReportRow]:
    """Chats made over the `days` days up to `last` (UTC), by the hourly rates above; a few
    served by `partner` (a library and its librarian)."""
    rng = random.Random(seed)
    rows: list[ReportRow] = []
    for offset in range(days):
        day = last - timedelta(days=days - 1 - offset)
        rates = WEEKDAY_RATE if day.weekday() < 5 else WEEKEND_RATE
        for hour, rate in rates.items():
            for _ in range(_poisson(rng, rate)):
                made = datetime.combine(day, time(hour), UTC) + timedelta(seconds=rng.randrange(3600))
                rows.append(_chat(rng, library, librarians, made, partner, f"demo{len(rows):05d}"))
    return rows


def _poisson(rng: random.Random, rate: float) -> int:
    count, total = 0, rng.expovariate(1)
    while total < rate:
        count, total = count + 1, total + rng.expovariate(1)
    return count


def _chat(
    rng: random.Random,
    library: str,
    librarians: list[str],
    made: datetime,
    partner: tuple[str, str] | None,
    session_id: str,
) -> ReportRow:
    accepted = rng.random() > 0.03
    by_partner = accepted and partner is not None and rng.random() < 0.08
    wait = round(rng.lognormvariate(3.2, 0.7)) if accepted else None
    took = round(rng.lognormvariate(6.0, 0.6)) if accepted else None
    created = made.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def at(seconds: int) -> str:
        return (made + timedelta(seconds=seconds)).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    return ReportRow(
        library=library,
        row_key=report_counts.row_key(created, session_id),
        revision=1,
        counted=rng.random() > 0.02,
        session_id=session_id,
        created_at=created,
        served_by_library=(partner[0] if partner and by_partner else library) if accepted else None,
        librarian=(partner[1] if partner and by_partner else rng.choice(librarians)) if accepted else None,
        accepted_at=at(wait) if wait is not None else None,
        ended_at=at((wait or 0) + (took or 600)),
        ended_by=rng.choice(["librarian", "librarian", "patron"]) if accepted else "unanswered",
        wait_s=wait,
        duration_s=took,
        resolution=rng.choice(RESOLUTIONS) if accepted else None,
        descriptive=rng.sample(DESCRIPTIVE, rng.choice([0, 1, 1, 2])) or None,
        rating=rng.choice([3, 4, 4, 5, 5, 5]) if accepted and rng.random() < 0.25 else None,
    )


def save(rows: list[ReportRow]) -> None:
    """The rows and their days' counters, in batches of 25."""
    days: dict[tuple[str, str], Counter[str]] = {}
    with ReportRow.batch_write() as batch:
        for row in rows:
            batch.save(row)
            days.setdefault((row.library, row.created_at[:10]), Counter()).update(reports.contribution(row))
    items = [
        {"library": {"S": library}, "day": {"S": day}, **{k: {"N": str(v)} for k, v in counts.items() if v}}
        for (library, day), counts in days.items()
    ]
    client = boto3.client("dynamodb")
    for start in range(0, len(items), 25):
        writes = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        client.batch_write_item(RequestItems={ReportDay.Meta.table_name: writes})
