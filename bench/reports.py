"""Reports over 10,000 chats: how long a year's report and its CSV take, and how many
DynamoDB requests they make (in-process moto; figures only).

The chats are seeded as the service leaves them (a row each, their day's counters added up
with `domain.reports.contribution`), in batches, so the seeding is not what is measured. Run
as `python -m bench.reports` (`make bench` runs it too).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

from botocore.handlers import BUILTIN_HANDLERS
from moto import mock_aws

from bench import inprocess  # noqa: F401 - the environment first

LIBRARY = "bench-library"
START = datetime(2025, 12, 1, tzinfo=UTC)


class Calls:
    """DynamoDB requests, counted by a botocore hook on every client made from now on."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        BUILTIN_HANDLERS.append(("before-call.dynamodb", self._count))

    def _count(self, event_name: str, **_: Any) -> None:
        self.counts[event_name.rsplit(".", 1)[1]] += 1

    def during(self, work: Callable[[], Any]) -> tuple[Any, float, Counter[str]]:
        before = Counter(self.counts)
        started = time.perf_counter()
        result = work()
        return result, time.perf_counter() - started, self.counts - before


def _seed(chats: int, days: int) -> tuple[int, int]:
    """`chats` ended chats spread over `days` days; returns (counted chats, day items)."""
    from chalicelib.data import report_counts
    from chalicelib.data.models import ReportRow
    from devstack import demo_reports

    rng = random.Random(7)
    librarians = [f"librarian{n}@bench.example" for n in range(12)]
    resolutions = ["answered", "followup_by_me", "referred", "patron_left", None]
    descriptive = ["genealogy", "local_history", "catalog_search", "database_help", "citation_help"]
    rows = []
    for n in range(chats):
        created = START + timedelta(days=rng.randrange(days), seconds=rng.randrange(8 * 3600, 22 * 3600))
        accepted = rng.random() > 0.08
        wait = rng.randint(2, 240)
        took = rng.randint(60, 2400)
        rows.append(
            ReportRow(
                library=LIBRARY,
                row_key=report_counts.row_key(created.isoformat(), f"s{n:06d}"),
                revision=1,
                counted=rng.random() > 0.03,
                session_id=f"s{n:06d}",
                created_at=created.isoformat(),
                served_by_library="bench-partner" if rng.random() < 0.15 else LIBRARY,
                librarian=rng.choice(librarians) if accepted else None,
                accepted_at=(created + timedelta(seconds=wait)).isoformat() if accepted else None,
                ended_at=(created + timedelta(seconds=wait + took)).isoformat(),
                ended_by="librarian" if accepted else "unanswered",
                wait_s=wait if accepted else None,
                duration_s=took if accepted else None,
                resolution=rng.choice(resolutions) if accepted else None,
                descriptive=rng.sample(descriptive, rng.randint(0, 3)) or None,
                rating=rng.randint(1, 5) if accepted and rng.random() < 0.3 else None,
            )
        )
    demo_reports.save(rows)
    return sum(bool(row.counted) for row in rows), len({row.created_at[:10] for row in rows})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    calls = Calls()
    with mock_aws():
        from chalicelib.actions import reports as route
        from chalicelib.data import access
        from chalicelib.data.models import ALL_MODELS
        from chalicelib.domain import reports
        from chalicelib.domain.auth import Librarian
        from chalicelib.wire.reports import CsvPage, ReportQuery
        from devstack.demo import save_library

        for model in ALL_MODELS:
            model.create_table(wait=True)
        save_library(LIBRARY, "Bench Library")
        counted, day_items = _seed(args.chats, args.days)
        librarian = Librarian(email="librarian0@bench.example", name="L", library=LIBRARY, is_admin=False)
        last = (START + timedelta(days=args.days - 1)).date()
        year = {"from": str(START.date()), "to": str(last)}

        def json_report() -> Any:
            return route.report(librarian, ReportQuery.model_validate(year))

        def csv_report() -> tuple[int, int]:
            rows = size = 0
            after = None
            while True:
                page = route.report(
                    librarian, ReportQuery.model_validate({**year, "format": "csv", "after": after})
                )
                assert isinstance(page, CsvPage)
                rows += page.text.count("\r\n") - (1 if after is None else 0)
                size += len(page.text.encode())
                if not page.next:
                    return rows, size
                after = page.next

        timings = []
        for _ in range(args.runs):
            report, seconds, requests = calls.during(json_report)
            timings.append(seconds * 1000)
        days = access.report_days(LIBRARY, year["from"], year["to"])
        library = access.library(LIBRARY)
        started = time.perf_counter()
        with patch.object(access, "report_days", lambda *_: days):
            reports.summarise(library, START.date(), last)
        own_ms = (time.perf_counter() - started) * 1000
        (rows, size), csv_seconds, csv_requests = calls.during(csv_report)
        agrees = report.totals.chats == counted == rows
        print(
            f"reports: {args.chats:,} chats over {args.days} days ({counted:,} counted, {day_items} day items)\n"
            f"  a year's report (JSON): median {statistics.median(timings):.0f} ms over {args.runs} runs, "
            f"{sum(requests.values())} DynamoDB requests ({', '.join(f'{op} {n}' for op, n in sorted(requests.items()))}); "
            f"no chat item read; of which Refdesk's own summing {own_ms:.0f} ms (the rest is moto)\n"
            f"  its CSV: {rows:,} rows, {size / 1e6:.1f} MB in {csv_seconds * 1000:.0f} ms, "
            f"{sum(csv_requests.values())} DynamoDB requests ({', '.join(f'{op} {n}' for op, n in sorted(csv_requests.items()))})\n"
            f"  totals, CSV rows and counted chats agree: {'yes' if agrees else 'NO'}; Scans: {calls.counts['Scan']}"
        )


if __name__ == "__main__":
    main()
