"""Reports counted on write: percentiles from histograms, days across a month's end, and a
recount that loses a race to another being counted once."""

from __future__ import annotations

import csv
import io
import statistics
from datetime import UTC, datetime

import pytest

from chalicelib import clock
from chalicelib.actions import reports as report_route
from chalicelib.data import access, report_counts
from chalicelib.domain import percentiles, reports
from chalicelib.domain.auth import Librarian
from chalicelib.errors import BadRequest, Forbidden
from chalicelib.wire import cursors
from chalicelib.wire.reports import ReportQuery

REAL_NOW = clock.now
ANN = Librarian(email="a@lib-a.example", name="Ann", library="lib-a", is_admin=False)


def test_percentiles_are_exact_in_seconds_below_100_and_close_above():
    for values in ([3], [10, 20], [1, 2, 3, 4, 50], [0, 0, 7, 99, 12, 40]):
        histogram: dict[int, int] = {}
        for value in values:
            histogram[percentiles.bucket(value)] = histogram.get(percentiles.bucket(value), 0) + 1
        assert percentiles.percentile(histogram, 0.5) == pytest.approx(statistics.median(values))
    for seconds in (100, 150, 1_000, 86_400):
        back = percentiles.value_of(percentiles.bucket(seconds))
        assert abs(back - seconds) / seconds <= 0.026, (seconds, back)
    assert percentiles.percentile({}, 0.5) is None
    ninety = {percentiles.bucket(v): 1 for v in range(1, 11)}  # 1..10
    assert percentiles.percentile(ninety, 0.9) == pytest.approx(9.1)  # as numpy's default


def _at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def _chat(lambda_app, monkeypatch, librarian: str, made: datetime, *, waited_s: int, lasted_s: int) -> str:
    """A chat made at `made`, accepted after `waited_s` and ended `lasted_s` later."""
    from datetime import timedelta

    _at(monkeypatch, made)
    patron = lambda_app.connect()
    session_id = lambda_app.send(patron, action="request_chat", library="lib-a", question="q")["session_id"]
    _at(monkeypatch, made + timedelta(seconds=waited_s))
    assert lambda_app.send(librarian, action="accept", session_id=session_id)["type"] == "accepted"
    _at(monkeypatch, made + timedelta(seconds=waited_s + lasted_s))
    lambda_app.send(librarian, action="end_chat", session_id=session_id)
    return session_id


def test_a_report_over_a_month_boundary_counts_each_chat_on_its_own_day_and_hour(lambda_app, monkeypatch):
    librarian = lambda_app.connect(token=lambda_app.token())
    lambda_app.send(librarian, action="monitor")
    october = _chat(
        lambda_app,
        monkeypatch,
        librarian,
        datetime(2026, 10, 31, 23, 50, tzinfo=UTC),
        waited_s=10,
        lasted_s=300,
    )
    november = _chat(
        lambda_app, monkeypatch, librarian, datetime(2026, 11, 1, 0, 5, tzinfo=UTC), waited_s=30, lasted_s=600
    )
    _chat(
        lambda_app, monkeypatch, librarian, datetime(2026, 11, 3, 9, 0, tzinfo=UTC), waited_s=20, lasted_s=60
    )

    both = report_route.report(ANN, ReportQuery.model_validate({"from": "2026-10-31", "to": "2026-11-01"}))
    assert both.totals.chats == 2 and both.totals.accepted == 2
    assert [(d.day, d.chats) for d in both.by_day] == [("2026-10-31", 1), ("2026-11-01", 1)]
    cells = {(c.weekday, c.hour): c.chats for c in both.by_weekday_hour if c.chats}
    assert cells == {(5, 23): 1, (6, 0): 1}  # Saturday 23:00 and Sunday 00:00, UTC
    assert both.totals.wait_s.median == 20  # exact below 100 s
    assert both.totals.duration_s.median == pytest.approx(450, rel=0.03)  # within 2.5% above
    assert both.by_librarian[0].librarian == "a@lib-a.example" and both.by_librarian[0].chats == 2

    november_only = report_route.report(
        ANN, ReportQuery.model_validate({"from": "2026-11-01", "to": "2026-11-30"})
    )
    assert november_only.totals.chats == 2 and len(november_only.by_day) == 30
    page = report_route.report(
        ANN, ReportQuery.model_validate({"from": "2026-10-01", "to": "2026-10-31", "format": "csv"})
    )
    assert october in page.text and november not in page.text


def test_bad_ranges_and_other_libraries_are_refused(lambda_app):
    with pytest.raises(BadRequest):
        report_route.report(ANN, ReportQuery.model_validate({"from": "2026-02-30"}))
    with pytest.raises(BadRequest):
        report_route.report(ANN, ReportQuery.model_validate({"from": "2026-11-02", "to": "2026-11-01"}))
    with pytest.raises(BadRequest):
        report_route.report(ANN, ReportQuery.model_validate({"from": "2025-01-01", "to": "2026-11-01"}))
    with pytest.raises(Forbidden):
        report_route.report(ANN, ReportQuery.model_validate({"library": "lib-b"}))


def test_a_recount_that_read_an_old_question_loses_to_the_newer_one_and_counts_again(lambda_app, monkeypatch):
    """Codes saved while another recount is between reading the row and writing it: the
    stale write is refused (the row's revision moved) and the chat is counted once, with the
    new codes."""
    librarian = lambda_app.connect(token=lambda_app.token())
    lambda_app.send(librarian, action="monitor")
    session_id = _chat(
        lambda_app, monkeypatch, librarian, datetime(2026, 11, 5, 10, tzinfo=UTC), waited_s=5, lasted_s=50
    )
    monkeypatch.setattr(clock, "now", REAL_NOW)

    real_question = access.question
    raced = []

    def stale_then_newer(question_id, **options):
        stale = real_question(question_id, **options)
        if not raced:  # once: a colleague codes the chat after this recount read its question
            raced.append(True)
            lambda_app.send(librarian, action="set_codes", session_id=session_id, resolution="referred")
        return stale

    monkeypatch.setattr(access, "question", stale_then_newer)
    reports.recount(session_id)
    monkeypatch.setattr(access, "question", real_question)

    (day,) = access.report_days("lib-a", "2026-11-05", "2026-11-05")
    counted = {name: n for name, n in day.counters.items() if n}
    assert counted[report_counts.CHATS] == 1
    assert counted[report_counts.resolution("referred")] == 1
    assert report_counts.resolution(None) not in counted  # the uncoded count went back to 0
    session = access.session(session_id)
    row = access.report_row("lib-a", report_counts.row_key(session.created_at, session_id))
    assert row is not None and row.resolution == "referred"  # the CSV agrees with the counters


def test_taken_out_of_analytics_counts_for_nothing_and_back_in_counts_once(lambda_app, monkeypatch):
    librarian = lambda_app.connect(token=lambda_app.token())
    lambda_app.send(librarian, action="monitor")
    session_id = _chat(
        lambda_app, monkeypatch, librarian, datetime(2026, 11, 6, 10, tzinfo=UTC), waited_s=5, lasted_s=50
    )
    monkeypatch.setattr(clock, "now", REAL_NOW)
    query = ReportQuery.model_validate({"from": "2026-11-06", "to": "2026-11-06"})
    out = {"action": "set_codes", "session_id": session_id, "resolution": "answered", "analytics": False}
    assert lambda_app.send(librarian, **out)["type"] == "ack"
    assert report_route.report(ANN, query).totals.chats == 0
    for _ in range(2):  # saved twice: counted once
        assert (
            lambda_app.send(librarian, **{**out, "analytics": True, "descriptive": ["genealogy"]})["type"]
            == "ack"
        )
    again = report_route.report(ANN, query)
    assert again.totals.chats == 1 and [(c.code, c.chats) for c in again.by_descriptive] == [("genealogy", 1)]
    assert [c.label for c in again.by_descriptive] == ["Genealogy and family history"]


def test_csv_cells_that_would_start_a_formula_are_led_by_an_apostrophe():
    from chalicelib.wire.reports import CSV_COLUMNS, csv_text

    text = csv_text(
        [{"rating_comment": '=HYPERLINK("x")', "librarian": "+1@x.example", "rating": 5}], first_page=True
    )
    header, row, end = text.split("\r\n")
    assert header == "\ufeff" + ",".join(CSV_COLUMNS) and end == ""
    cells = next(csv.reader([row]))
    assert cells[CSV_COLUMNS.index("rating_comment")] == '\'=HYPERLINK("x")'
    assert cells[CSV_COLUMNS.index("librarian")] == "'+1@x.example"
    assert cells[CSV_COLUMNS.index("rating")] == "5"
    assert csv_text([], first_page=False) == ""


def test_the_csv_comes_a_page_at_a_time_and_the_pages_join_to_every_row(lambda_app, monkeypatch):
    from chalicelib import limits

    librarian = lambda_app.connect(token=lambda_app.token())
    lambda_app.send(librarian, action="monitor")
    made = [
        _chat(
            lambda_app,
            monkeypatch,
            librarian,
            datetime(2026, 11, 7, 9, n, tzinfo=UTC),
            waited_s=3,
            lasted_s=30,
        )
        for n in range(5)
    ]
    monkeypatch.setattr(clock, "now", REAL_NOW)
    monkeypatch.setattr(limits, "REPORT_CSV_ROWS", 2)
    query = {"from": "2026-11-07", "to": "2026-11-07", "format": "csv"}
    pages, after = [], None
    while True:
        page = report_route.report(ANN, ReportQuery.model_validate({**query, "after": after}))
        pages.append(page.text)
        if not page.next:
            break
        after = page.next
    assert len(pages) == 3
    assert pages[0].startswith("\ufeffsession_id,") and not any(
        p.startswith(("\ufeff", "session_id")) for p in pages[1:]
    )
    rows = list(csv.DictReader(io.StringIO("".join(pages).lstrip("\ufeff"))))
    assert [row["session_id"] for row in rows] == made  # oldest first, each once
    elsewhere = cursors.encode({"library": {"S": "lib-b"}, "row_key": {"S": "2026-11-07T09:00:00.000Z#x"}})
    with pytest.raises(BadRequest):  # another library's cursor is not this report's
        report_route.report(ANN, ReportQuery.model_validate({**query, "after": elsewhere}))
