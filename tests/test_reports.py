"""Ratings and reports end to end: chats made over real sockets (accepted, unanswered, coded,
rated, taken out of analytics, served by a partner), then GET /api/reports as JSON and CSV."""

from __future__ import annotations

import csv
import io
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta

from chalicelib import clock
from devstack.client import http


def _later(**delta: float) -> str:
    return clock.iso(clock.now() + timedelta(**delta))


def _report(scenario, email: str, **query: str) -> tuple[int, dict]:
    path = "&".join(f"{key}={value}" for key, value in query.items())
    return http("GET", f"{scenario.stack.base}/api/reports?{path}", token=scenario.stack.login(email))


def _csv(scenario, email: str, **query: str) -> tuple[str, dict[str, str]]:
    path = "&".join(f"{key}={value}" for key, value in {**query, "format": "csv"}.items())
    request = urllib.request.Request(f"{scenario.stack.base}/api/reports?{path}")
    request.add_header("Authorization", f"Bearer {scenario.stack.login(email)}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode("utf-8"), dict(response.headers)


def _served(scenario, librarian, question: str, **fields):
    patron, requested = scenario.chat(question, **fields)
    session_id = requested["session_id"]
    assert librarian.call("accept", session_id=session_id)["type"] == "accepted"
    patron.wait_type("session_update", status="active")
    return patron, requested


def _end(client, session_id: str) -> None:
    assert client.call("end_chat", session_id=session_id)["type"] == "ack"


def test_totals_grids_and_csv_rows_match_the_chats_made(scenario):
    home = scenario.monitoring(scenario.librarian)
    partner = scenario.monitoring(scenario.partner_librarian)

    # 1. answered, coded, rated 5 during the chat
    patron, coded = _served(scenario, home, "Family history of the Ortiz family?")
    assert (
        patron.call("rate", session_id=coded["session_id"], rating=5, comment="Great help")["type"] == "ack"
    )
    _end(home, coded["session_id"])
    codes = {"resolution": "answered", "descriptive": ["genealogy", "local_history"]}
    assert home.call("set_codes", session_id=coded["session_id"], **codes)["type"] == "ack"

    # 2. not coded, rated 2 then 3 after the end, from a new window with the patron token
    patron, uncoded = _served(scenario, home, "Do you have the census?")
    _end(patron, uncoded["session_id"])
    reloaded = scenario.connect()
    token = uncoded["patron_token"]
    for rating in (2, 3):  # the last rating stands
        reply = reloaded.call("rate", session_id=uncoded["session_id"], patron_token=token, rating=rating)
        assert reply["type"] == "ack", reply

    # 3. taken out of analytics at wrap-up: in neither the JSON nor the CSV
    _, test_chat = _served(scenario, home, "Just testing")
    _end(home, test_chat["session_id"])
    out = {"resolution": "test_or_spam", "analytics": False}
    assert home.call("set_codes", session_id=test_chat["session_id"], **out)["type"] == "ack"

    # 4. served by a partner after escalation
    _, escalated = scenario.chat("Anyone there late?")
    scenario.stack.run_job("escalate_waiting", _later(seconds=41))
    partner.wait(lambda f: f.get("op") == "added" and f["session"]["session_id"] == escalated["session_id"])
    assert partner.call("accept", session_id=escalated["session_id"])["type"] == "accepted"
    _end(partner, escalated["session_id"])

    # 5. unanswered: nobody took it before the library gave up
    waiting, unanswered = scenario.chat("Nobody will come")
    scenario.stack.run_job("escalate_waiting", _later(seconds=601))
    waiting.wait_type("session_update", status="ended", ended_by="unanswered")

    today = clock.now().date()
    status, report = _report(
        scenario, scenario.librarian, library=scenario.home, **{"from": str(today), "to": str(today)}
    )
    assert status == 200, report
    totals = report["totals"]
    assert (totals["chats"], totals["accepted"], totals["unanswered"], totals["served_by_cooperative"]) == (
        4,
        3,
        1,
        1,
    )
    assert totals["uncoded"] == 3
    assert totals["rating"] == {"count": 2, "average": 4.0}
    assert totals["wait_s"]["median"] is not None and totals["duration_s"]["p90"] is not None
    assert report["by_day"] == [{"day": str(today), "chats": 4}]
    assert {r["code"]: r["chats"] for r in report["by_resolution"]} == {"answered": 1, None: 3}
    assert {r["code"]: r["label"] for r in report["by_descriptive"]} == {
        "genealogy": "Genealogy and family history",
        "local_history": "Local history",
    }
    assert {r["librarian"]: r["chats"] for r in report["by_librarian"]} == {
        scenario.librarian: 2,
        scenario.partner_librarian: 1,
    }

    text, headers = _csv(
        scenario, scenario.librarian, library=scenario.home, **{"from": str(today), "to": str(today)}
    )
    assert headers["Content-Type"].startswith("text/csv") and "attachment" in headers["Content-Disposition"]
    assert text.startswith("\ufeffsession_id,library,served_by_library,librarian,created_at,")
    rows = {row["session_id"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    expected = {coded["session_id"], uncoded["session_id"], escalated["session_id"], unanswered["session_id"]}
    assert set(rows) == expected
    assert rows[coded["session_id"]]["descriptive"] == "genealogy;local_history"
    assert rows[coded["session_id"]]["resolution_label"] == "Answered"
    assert (rows[coded["session_id"]]["rating"], rows[uncoded["session_id"]]["rating"]) == ("5", "3")
    assert rows[escalated["session_id"]]["served_by_library"] == scenario.partner
    assert rows[unanswered["session_id"]]["ended_by"] == "unanswered"
    assert rows[unanswered["session_id"]]["accepted_at"] == rows[unanswered["session_id"]]["wait_s"] == ""
    for row in rows.values():
        assert clock.parse(row["created_at"]).date() == today  # ISO timestamps
    # The grid counts each chat in the weekday and hour (UTC) it was made.
    cells = Counter(
        (clock.parse(r["created_at"]).weekday(), clock.parse(r["created_at"]).hour) for r in rows.values()
    )
    grid = {(c["weekday"], c["hour"]): c["chats"] for c in report["by_weekday_hour"]}
    assert len(grid) == 7 * 24 and {cell: n for cell, n in grid.items() if n} == dict(cells)
    # A wider range across a month's end (November into December) holds the same chats.
    wide = {"from": str(today - timedelta(days=today.day + 3)), "to": str(today + timedelta(days=2))}
    status, wider = _report(scenario, scenario.librarian, library=scenario.home, **wide)
    assert status == 200 and sum(d["chats"] for d in wider["by_day"]) == 4
    assert len({d["day"][:7] for d in wider["by_day"]}) >= 2  # two months


def test_ratings_out_of_range_or_by_the_wrong_person_are_refused(scenario):
    home = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat("Rate me?")
    session_id = requested["session_id"]
    early = patron.call("rate", session_id=session_id, rating=4)
    assert early["code"] == "bad_request"  # nobody has taken it yet
    assert home.call("accept", session_id=session_id)["type"] == "accepted"
    for bad in (0, 6, "5", 4.5, None):
        assert patron.call("rate", session_id=session_id, rating=bad)["code"] == "bad_request", bad
    too_long = patron.call("rate", session_id=session_id, rating=4, comment="x" * 1001)
    assert too_long["code"] == "too_large"
    assert home.call("rate", session_id=session_id, rating=1)["code"] == "forbidden"
    stranger = scenario.connect()
    assert stranger.call("rate", session_id=session_id, rating=1)["code"] == "forbidden"
    wrong = stranger.call("rate", session_id=session_id, rating=1, patron_token=f"{session_id}.nope")
    assert wrong["code"] == "forbidden"
    hostile = '<img src=x onerror=alert(1)> =HYPERLINK("http://evil.example")'
    assert patron.call("rate", session_id=session_id, rating=4, comment=hostile)["type"] == "ack"
    _end(home, session_id)
    status, question = http(
        "GET",
        f"{scenario.stack.base}/api/questions/{session_id}",
        token=scenario.stack.login(scenario.librarian),
    )
    assert status == 200 and (question["rating"], question["rating_comment"]) == (4, hostile)
    today = str(clock.now().date())
    text, _ = _csv(scenario, scenario.librarian, library=scenario.home, **{"from": today, "to": today})
    (row,) = [r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))) if r["session_id"] == session_id]
    assert row["rating_comment"] == hostile  # it starts with "<": no formula, kept as written


def test_a_report_for_another_library_is_refused_except_an_admins_partner(scenario):
    assert _report(scenario, scenario.librarian, library=scenario.partner)[0] == 403
    assert _report(scenario, scenario.librarian, library=scenario.outsider)[0] == 403
    status, partner_report = _report(scenario, scenario.admin, library=scenario.partner)
    assert status == 200, partner_report
    assert {lib["library_id"] for lib in partner_report["libraries"]} == {scenario.home, scenario.partner}
    assert _report(scenario, scenario.admin, library=scenario.outsider)[0] == 403
    assert _report(scenario, scenario.librarian, **{"from": "2026-13-01"})[0] == 400
    assert _report(scenario, scenario.librarian, format="xml")[0] == 400
    try:
        _csv(scenario, scenario.librarian, after="not-a-cursor")
        raise AssertionError("a made-up cursor was taken")
    except urllib.error.HTTPError as error:
        assert error.code == 400
