"""The monitor's Reports tab in headless Chromium against the local stack: chats made over real
WebSockets (one accepted, coded, rated and ended; one nobody took), then the report for
today (totals, the weekday x hour grid through its table, chats by day and by code), the CSV
downloaded, an empty period, and an admin choosing a partner library."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect

from chalicelib import clock
from devstack.client import http
from tests.browser.monitor_pages import coded_and_rated_chat, sign_in
from tests.browser.support import axe_violations, screenshot

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _later(**delta: float) -> str:
    return clock.iso(clock.now() + timedelta(**delta))


def open_reports(new_page, scenario, email: str):
    page = new_page()
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, email)
    page.get_by_role("tab", name="Reports").click()
    panel = page.get_by_role("tabpanel", name="Reports")
    expect(panel.get_by_role("heading", level=2, name="Reports")).to_be_visible()
    return page, panel


def total(panel, term: str):
    """A total's value, by its term ("Chats", "Median wait")."""
    card = panel.locator(".report-total").filter(
        has=panel.page.locator("dt", has_text=re.compile(f"^{term}$"))
    )
    return card.locator("dd")


def created(scenario, session_id: str) -> datetime:
    token = scenario.stack.login(scenario.librarian)
    status, question = http("GET", f"{scenario.stack.base}/api/questions/{session_id}", token=token)
    assert status == 200, question
    return clock.parse(question["created_at"])


def make_chats(scenario) -> tuple[str, str]:
    """One chat accepted, coded, rated and ended; one given up because nobody took it."""
    desk = scenario.monitoring(scenario.librarian)
    answered = coded_and_rated_chat(scenario, desk, resolution="answered", rating=4, comment="Very helpful")
    waiting, second = scenario.chat("Is anyone there?", name="Una")
    unanswered = second["session_id"]
    scenario.stack.run_job("escalate_waiting", _later(seconds=601))
    assert waiting.wait_type("session_update", status="ended")["ended_by"] == "unanswered"
    return answered, unanswered


def test_a_librarian_reports_todays_chats_and_downloads_them(scenario, new_page):
    answered, unanswered = make_chats(scenario)
    started = [created(scenario, answered), created(scenario, unanswered)]
    day = started[0].date().isoformat()
    page, panel = open_reports(new_page, scenario, scenario.librarian)

    # Shown at once: the last 30 days, today included; only one library, so no choice of library.
    expect(total(panel, "Chats")).to_have_text("2")
    today = date.fromisoformat(panel.get_by_label("To", exact=True).input_value())
    assert panel.get_by_label("From", exact=True).input_value() == (today - timedelta(days=29)).isoformat()
    expect(panel.get_by_label("Library", exact=True)).to_be_hidden()

    # Today only.
    panel.get_by_label("From", exact=True).fill(day)
    panel.get_by_label("To", exact=True).fill(day)
    panel.get_by_role("button", name="Show report").click()
    expect(panel.get_by_role("status")).to_have_text("Report shown: 2 chats.")
    title = panel.get_by_role("heading", level=3).first
    expect(title).to_contain_text("Home Library")
    for term, value in [
        ("Chats", "2"),
        ("Accepted", "1"),
        ("Unanswered", "1"),
        ("Served by the cooperative", "0"),
        ("No resolution code", "1"),
        ("Ratings", "1"),
        ("Average rating", "4 of 5"),
    ]:
        expect(total(panel, term)).to_have_text(value)
    for term in ("Median wait", "90th-percentile wait", "Median length", "90th-percentile length"):
        expect(total(panel, term)).to_have_text(re.compile(r"^\d+ s$"))

    # The grid's table: each chat in the cell of the weekday and UTC hour it started.
    grid = panel.get_by_role("table", name=re.compile("^Chats by weekday and hour"))
    expect(grid).to_contain_text("Hours in UTC")
    for (weekday, hour), chats in Counter((t.weekday(), t.hour) for t in started).items():
        row = grid.get_by_role("row").filter(has=page.get_by_role("rowheader", name=WEEKDAYS[weekday]))
        expect(row.get_by_role("cell").nth(hour)).to_have_text(str(chats))
    assert sum(int(n) for n in grid.get_by_role("cell").all_text_contents()) == 2
    expect(grid.get_by_role("columnheader")).to_have_count(25)  # the weekday's column and 24 hours

    # Chats by day: a summarised picture, and its numbers as a table.
    expect(panel.get_by_role("img", name=re.compile(r"^Chats by day, .*: 2 chats"))).to_be_visible()
    panel.get_by_text("Show as a table").click()
    by_day = panel.get_by_role("table", name="Chats by day (UTC dates)")
    expect(by_day.get_by_role("row")).to_have_count(2)  # the header and today
    expect(by_day.get_by_role("row").nth(1).get_by_role("cell")).to_have_text("2")

    # By code and by librarian, by their labels.
    resolution = panel.get_by_role("table", name="Chats by resolution code")
    expect(resolution.get_by_role("row").filter(has_text="Answered")).to_contain_text("1")
    expect(resolution.get_by_role("row").filter(has_text="No code")).to_contain_text("50%")
    descriptive = panel.get_by_role("table", name=re.compile("^Chats by descriptive code"))
    expect(descriptive.get_by_role("rowheader")).to_have_text(
        ["Genealogy and family history", "Local history"]
    )
    librarians = panel.get_by_role("table", name="Chats by librarian")
    expect(librarians.get_by_role("row").filter(has_text=scenario.librarian)).to_contain_text("1")

    assert axe_violations(page) == []
    screenshot(page, "reports-today")

    # The CSV: a byte-order mark, the header row, a row per chat, CRLF.
    with page.expect_download() as downloading:
        panel.get_by_role("button", name="Download CSV").click()
    download = downloading.value
    assert download.suggested_filename == f"refdesk-{scenario.home}-{day}-{day}.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = rows[0]
    assert header[0] == "session_id"
    assert {"library", "resolution", "rating"} <= set(header)
    by_session = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_session) == {answered, unanswered}
    assert by_session[answered]["resolution"] == "answered"
    assert by_session[answered]["rating"] == "4"
    assert by_session[unanswered]["ended_by"] == "unanswered"
    expect(panel.get_by_role("status")).to_have_text(f"CSV downloaded: {download.suggested_filename}")

    # A period with no chats, and dates that will not do.
    panel.get_by_label("From", exact=True).fill("2020-01-01")
    panel.get_by_label("To", exact=True).fill("2020-01-31")
    panel.get_by_role("button", name="Show report").click()
    expect(panel.get_by_text("No chats in this period.")).to_be_visible()
    expect(panel.get_by_role("button", name="Download CSV")).to_be_hidden()
    panel.get_by_label("From", exact=True).fill("2020-02-01")
    panel.get_by_role("button", name="Show report").click()
    expect(panel.get_by_role("alert")).to_have_text("From must be on or before To.")
    expect(panel.get_by_label("From", exact=True)).to_be_focused()
    expect(panel.get_by_label("From", exact=True)).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.dialogs == []


def test_an_admin_reports_on_a_partner_library(scenario, new_page):
    page, panel = open_reports(new_page, scenario, scenario.admin)
    expect(panel.get_by_text("No chats in this period.")).to_be_visible()
    library = panel.get_by_label("Library", exact=True)
    expect(library).to_have_value(scenario.home)
    expect(library.locator("option")).to_have_text(["Home Library", "Partner Library"])
    library.select_option(label="Partner Library")
    panel.get_by_role("button", name="Show report").click()
    expect(panel.get_by_role("heading", level=3).first).to_contain_text("Partner Library")
    expect(panel.get_by_text("No chats in this period.")).to_be_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_a_csv_of_several_pages_downloads_as_one_file(scenario, new_page):
    """Past 5,000 rows the CSV comes a page at a time (X-Next-Cursor, then &after=): the pages
    are joined as they came, the first page's byte-order mark and header once."""
    first = "\ufeffsession_id,library\r\ns-1,home\r\ns-2,home\r\n".encode()
    second = 's-3,home\r\n"s-4, \u00e9",home\r\n'.encode()
    asked = []

    def pages(route) -> None:
        url = route.request.url
        asked.append(url)
        if "after=" not in url:
            route.fulfill(
                body=first, content_type="text/csv; charset=utf-8", headers={"X-Next-Cursor": "next+page/1"}
            )
        else:
            route.fulfill(body=second, content_type="text/csv; charset=utf-8")

    # The demo library's month of chats (a real report); its CSV pages are made up, as a test
    # cannot wait for 5,000 chats.
    page, panel = open_reports(new_page, scenario, "bob@demo-public.example")
    page.route(re.compile(r"/api/reports\?.*format=csv"), pages)
    with page.expect_download() as downloading:
        panel.get_by_role("button", name="Download CSV").click()
    data = Path(downloading.value.path()).read_bytes()
    assert data == first + second
    assert len(asked) == 2
    assert "after=next%2Bpage%2F1" in asked[1]
    assert "library=demo-public" in asked[1] and "from=" in asked[1] and "to=" in asked[1]
    assert page.console_errors == []


# --- the README's picture ------------------------------------------------------------------------


def scroll_panel_to(panel, node) -> None:
    """Scroll the tab's panel (only it: the page never scrolls) so `node` is at its top."""
    node.evaluate(
        """node => {
            const panel = node.closest('[role=tabpanel]');
            panel.scrollTop += node.getBoundingClientRect().top - panel.getBoundingClientRect().top - 8;
        }"""
    )


def test_the_reports_picture(scenario, new_page):
    """The README's picture (docs/images/reports.png, copied from test-artifacts), signed in as a
    demo librarian: the demo library's month of past chats (devstack/demo_reports.py), as the
    server reports it."""
    token = scenario.stack.login("bob@demo-public.example")
    status, month = http("GET", f"{scenario.stack.base}/api/reports?library=demo-public", token=token)
    assert status == 200 and month["totals"]["chats"] > 100, month
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, "bob@demo-public.example")
    page.get_by_role("tab", name="Reports").click()
    panel = page.get_by_role("tabpanel", name="Reports")
    expect(total(panel, "Chats")).to_have_text(str(month["totals"]["chats"]))
    expect(total(panel, "Served by the cooperative")).to_have_text(
        str(month["totals"]["served_by_cooperative"])
    )
    expect(total(panel, "Ratings")).to_have_text(str(month["totals"]["rating"]["count"]))
    panel.get_by_text("Show as a table").click()
    assert axe_violations(page) == []
    panel.get_by_text("Show as a table").click()
    # The picture: the report's title, totals and the weekday x hour grid (the panel scrolled).
    scroll_panel_to(panel, panel.get_by_role("heading", level=3).first)
    screenshot(page, "reports")  # the README's picture, copied to docs/images/reports.png
    scroll_panel_to(panel, panel.get_by_role("heading", name="Chats by day"))
    screenshot(page, "reports-month-charts")
    assert page.console_errors == []
