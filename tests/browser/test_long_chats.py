"""Long lines and long chats in the pages: the monitor's New tab shows a long line's oldest
requests and says how many more wait (and keeps it true as requests come and go), and a chat
too long for one reply opens with its newest messages and a "Show earlier messages" button, in
the monitor and in the patron's window, which brings back every message once, in order."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from chalicelib import limits
from tests.browser.monitor_pages import accept, sign_in
from tests.browser.support import axe_violations, screenshot


def _ask(scenario, name: str, question: str) -> tuple:
    """A patron on a network of their own asks (so no per-network limit meets the test's)."""
    patron = scenario.connect(source=scenario.another_network())
    requested = patron.call("request_chat", library=scenario.home, question=question, name=name)
    assert requested["type"] == "chat_requested", requested
    return patron, requested


def test_a_long_line_shows_its_oldest_and_how_many_more_wait(scenario, new_page):
    colleague = scenario.monitoring(scenario.admin)
    shown = limits.SNAPSHOT_NEW_PER_QUEUE
    requests = [_ask(scenario, f"Patron {n:02d}", f"Question number {n:02d}")[1] for n in range(shown + 3)]

    page = new_page()
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, scenario.librarian)
    new_list = page.locator("#new-list li")
    more = page.locator("#new-more")
    expect(new_list).to_have_count(shown)
    expect(more).to_contain_text("…and 3 more waiting")
    expect(page.get_by_role("tab", name=f"New ({shown + 3})")).to_be_visible()
    expect(new_list.first).to_contain_text("Patron 00")
    screenshot(page, "monitor-more-waiting")
    assert axe_violations(page) == []

    # A colleague takes the oldest: the next in line comes up, one fewer waits behind.
    assert colleague.call("accept", session_id=requests[0]["session_id"])["type"] == "accepted"
    expect(more).to_contain_text("…and 2 more waiting")
    expect(new_list).to_have_count(shown)
    expect(new_list.first).to_contain_text("Patron 01")
    expect(new_list.last).to_contain_text(f"Patron {shown:02d}")

    # A new request joins the back of the line, behind those not shown.
    late, requested = _ask(scenario, "Patron late", "Late question")
    expect(more).to_contain_text("…and 3 more waiting")
    expect(page.get_by_role("tab", name=f"New ({shown + 3})")).to_be_visible()
    expect(page.locator("#new-list")).not_to_contain_text("Patron late")

    # One of those not shown gives up waiting: the count says so.
    late.call("end_chat", session_id=requested["session_id"], patron_token=requested["patron_token"])
    expect(more).to_contain_text("…and 2 more waiting")
    assert page.console_errors == []


def _seqs(log) -> list[int]:
    return [int(seq) for seq in log.locator("[data-seq]").evaluate_all("ns => ns.map(n => n.dataset.seq)")]


def _show_all_earlier(page, scope, log) -> None:
    button = scope.get_by_role("button", name="Show earlier messages")
    for _ in range(20):
        if not button.is_visible():
            return
        button.click()
        page.wait_for_timeout(300)
    raise AssertionError("Show earlier messages never ran out")


def test_a_long_chat_opens_with_its_newest_messages_and_shows_earlier_ones_on_request(scenario, new_page):
    writer = scenario.monitoring(scenario.admin)  # someone is there: the chat page offers a chat
    patron = new_page()
    patron.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start = patron.get_by_role("region", name="Start a chat")
    start.get_by_label("Name").fill("Long Talker")
    start.get_by_label("Your question").fill("A question that takes a while")
    start.get_by_role("button", name="Start chat").click()
    expect(patron.get_by_role("status")).to_contain_text("Connecting you to a librarian")
    session_id = writer.wait(lambda f: f.get("type") == "queue_update" and f["op"] == "added")["session"][
        "session_id"
    ]
    assert writer.call("accept", session_id=session_id)["type"] == "accepted"
    for number in range(60):
        text = f"Part {number:02d}: " + "words " * 660
        assert writer.call("send_message", session_id=session_id, text=text[: limits.TEXT])["type"] == "ack"
    last = 62
    patron_log = patron.get_by_role("log", name="Conversation")
    expect(patron_log).to_contain_text("Part 59")
    assert writer.call("transfer", session_id=session_id)["type"] == "ack"  # back to the queue

    # The librarian accepts it in the monitor: the newest messages, and earlier ones on request.
    librarian = new_page()
    librarian.goto(f"{scenario.stack.base}/monitor/")
    sign_in(librarian, scenario.librarian)
    pane = accept(librarian, "Long Talker")
    transcript = pane.get_by_role("log", name="Transcript")
    expect(transcript).to_contain_text("Part 59")
    earlier = pane.get_by_role("button", name="Show earlier messages")
    expect(earlier).to_be_visible()
    assert 1 not in _seqs(transcript)
    screenshot(librarian, "monitor-show-earlier")
    assert axe_violations(librarian) == []
    _show_all_earlier(librarian, pane, transcript)
    seqs = _seqs(transcript)
    assert seqs[:last] == list(range(1, last + 1)) and seqs == sorted(set(seqs))
    expect(transcript).to_contain_text("A question that takes a while")

    # The patron's window reloads: it opens with the newest, and pages back to the first.
    patron.reload()
    expect(patron_log).to_contain_text("Part 59")
    patron_earlier = patron.get_by_role("button", name="Show earlier messages")
    expect(patron_earlier).to_be_visible()
    screenshot(patron, "patron-show-earlier")
    assert axe_violations(patron) == []
    _show_all_earlier(patron, patron, patron_log)
    seqs = _seqs(patron_log)
    assert seqs == sorted(set(seqs)) and seqs[0] == 1 and set(range(1, last + 1)) <= set(seqs)
    expect(patron_log).to_contain_text("A question that takes a while")
    assert re.search("Part 00", patron_log.inner_text())
    assert patron.console_errors == [] and librarian.console_errors == []
