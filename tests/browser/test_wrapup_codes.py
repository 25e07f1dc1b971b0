"""Wrap-up feeding reports, in headless Chromium against the local stack: closing an ended chat
with no resolution code asks first (in the pane, never a browser dialog), a coded one closes
at once, "Close all ended" closes the coded chats and asks about the rest; and the question
detail shows codes by their labels, and the patron's rating."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from devstack.client import http
from tests.browser.monitor_pages import accept, coded_and_rated_chat, sign_in
from tests.browser.support import axe_violations, screenshot

ASK = (
    "This chat has no resolution code. Choose one and save it, or close without a code "
    "(reports count it as uncoded)."
)


def open_monitor(new_page, scenario, email: str):
    page = new_page()
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, email)
    return page


def question(scenario, session_id: str) -> dict:
    token = scenario.stack.login(scenario.librarian)
    status, body = http("GET", f"{scenario.stack.base}/api/questions/{session_id}", token=token)
    assert status == 200, body
    return body


def chat_entry(page, name: str):
    return page.locator("#mine-list .chat-item").filter(has=page.locator(".chat-item-name", has_text=name))


def end_in_pane(pane) -> None:
    pane.get_by_role("button", name="End chat").click()
    expect(pane.locator("details.wrapup")).to_have_attribute("open", "")


def test_closing_an_ended_chat_without_a_code_asks_first(scenario, new_page):
    page = open_monitor(new_page, scenario, scenario.librarian)

    # No code: Close chat asks, in the wrap-up; "Choose a code" goes to the resolution code.
    patron, requested = scenario.chat("Do you have the 1901 census?", name="Pat")
    pane = accept(page, "Pat")
    end_in_pane(pane)
    patron.wait_type("session_update", status="ended")
    close = pane.get_by_role("button", name="Close chat")
    close.click()
    ask = pane.get_by_role("group", name="Close without a code?")
    expect(ask).to_be_visible()
    expect(ask).to_have_accessible_description(ASK)
    expect(ask.get_by_role("button", name="Choose a code")).to_be_focused()
    assert axe_violations(page) == []
    screenshot(page, "wrapup-close-uncoded")
    ask.get_by_role("button", name="Choose a code").click()
    expect(ask).to_be_hidden()
    expect(pane.get_by_label("Resolution code")).to_be_focused()
    expect(page.get_by_role("region", name="Chat with Pat")).to_be_visible()

    # Escape keeps the chat too, back on Close chat.
    close.click()
    expect(ask).to_be_visible()
    page.keyboard.press("Escape")
    expect(ask).to_be_hidden()
    expect(close).to_be_focused()

    # "Close without a code" closes it, uncoded.
    close.click()
    ask.get_by_role("button", name="Close without a code").click()
    expect(page.get_by_role("region", name="Chat with Pat")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Closed the chat with Pat.")).to_be_visible()
    assert question(scenario, requested["session_id"])["resolution"] is None

    # Coded and saved here: Close chat closes at once.
    _, second = scenario.chat("Can I book the meeting room?", name="Quinn")
    pane = accept(page, "Quinn")
    end_in_pane(pane)
    pane.get_by_label("Resolution code").select_option("answered")
    pane.get_by_role("button", name="Save codes").click()
    expect(pane.get_by_role("status").filter(has_text="Codes saved")).to_be_visible()
    pane.get_by_role("button", name="Close chat").click()
    expect(page.get_by_role("region", name="Chat with Quinn")).to_have_count(0)
    expect(page.get_by_text(ASK)).to_have_count(0)
    assert question(scenario, second["session_id"])["resolution"] == "answered"

    # Coded from another window of the librarian's: the wrap-up's pre-fill knows, and it closes at once.
    other_window = scenario.monitoring(scenario.librarian)
    _, third = scenario.chat("Are dogs allowed in the garden?", name="Rae")
    pane = accept(page, "Rae")
    coded = other_window.call(
        "set_codes", session_id=third["session_id"], resolution="referred", descriptive=[]
    )
    assert coded["type"] == "ack", coded
    end_in_pane(pane)
    expect(pane.get_by_label("Resolution code")).to_have_value("referred")
    pane.get_by_role("button", name="Close chat").click()
    expect(page.get_by_role("region", name="Chat with Rae")).to_have_count(0)
    expect(page.get_by_text(ASK)).to_have_count(0)
    assert page.dialogs == []
    assert page.console_errors == []


def test_close_all_ended_closes_the_coded_chats_and_asks_about_the_rest(scenario, new_page):
    page = open_monitor(new_page, scenario, scenario.librarian)
    chats = {}
    for name in ("Ann", "Ben", "Cy"):
        chats[name] = scenario.chat(f"A question from {name}", name=name)
        accept(page, name)
    # Ann's chat coded; Ann's and Ben's end; Cy's goes on.
    chat_entry(page, "Ann").click()
    pane = page.get_by_role("region", name="Chat with Ann")
    pane.get_by_text("Wrap-up", exact=True).click()
    pane.get_by_label("Resolution code").select_option("answered")
    pane.get_by_role("button", name="Save codes").click()
    expect(pane.get_by_role("status").filter(has_text="Codes saved")).to_be_visible()
    for name in ("Ann", "Ben"):
        patron, requested = chats[name]
        patron.call("end_chat", session_id=requested["session_id"])
        expect(chat_entry(page, name)).to_contain_text("closed by patron")

    close_all = page.get_by_role("button", name="Close all ended (2)")
    close_all.click()
    asked = page.get_by_role("group", name=re.compile(r"^Close 2 ended chats\?"))
    expect(asked).to_contain_text("1 has no resolution code (Ben): reports count it as uncoded.")
    only_coded = asked.get_by_role("button", name="Close the coded chat")
    expect(only_coded).to_be_focused()
    expect(asked.get_by_role("button", name="Close all, uncoded too")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "close-all-ended-uncoded")
    only_coded.click()
    expect(chat_entry(page, "Ann")).to_have_count(0)
    expect(chat_entry(page, "Ben")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Closed 1 ended chat.")).to_contain_text(
        "1 chat with no resolution code is still in My Active."
    )
    close_all = page.get_by_role("button", name="Close all ended (1)")
    expect(close_all).to_be_focused()

    # Ben's alone: asked again, and closed without a code.
    close_all.click()
    asked = page.get_by_role("group", name=re.compile(r"^Close 1 ended chat\?"))
    expect(asked).to_contain_text("It has no resolution code: reports count it as uncoded.")
    asked.get_by_role("button", name="Close without codes").click()
    expect(chat_entry(page, "Ben")).to_have_count(0)
    expect(chat_entry(page, "Cy")).to_be_visible()
    expect(page.get_by_role("tab", name="My Active (1)")).to_be_visible()
    assert question(scenario, chats["Ann"][1]["session_id"])["resolution"] == "answered"
    assert question(scenario, chats["Ben"][1]["session_id"])["resolution"] is None

    # Every chat coded: a plain question.
    chat_entry(page, "Cy").click()
    pane = page.get_by_role("region", name="Chat with Cy")
    end_in_pane(pane)
    pane.get_by_label("Resolution code").select_option("answered")
    pane.get_by_role("button", name="Save codes").click()
    expect(pane.get_by_role("status").filter(has_text="Codes saved")).to_be_visible()
    page.get_by_role("button", name="Close all ended (1)").click()
    asked = page.get_by_role("group", name="Close 1 ended chat?")
    expect(asked).to_have_text(re.compile(r"^Close 1 ended chat\?"))
    asked.get_by_role("button", name="Close them").click()
    expect(page.get_by_role("tab", name="My Active (0)")).to_be_visible()
    assert page.dialogs == []
    assert page.console_errors == []


def fact(detail, term: str):
    """The value beside a term in the question's facts."""
    return detail.locator(".facts dt", has_text=re.compile(f"^{re.escape(term)}$")).locator("+ dd")


def test_the_question_detail_shows_code_labels_and_the_patrons_rating(scenario, new_page):
    desk = scenario.monitoring(scenario.librarian)
    comment = 'Very helpful, thank you! <img src=x onerror="window.__pwned=1">'
    coded_and_rated_chat(scenario, desk, resolution="followup_by_me", rating=4, comment=comment)
    _, other = scenario.chat("Is the café open?", name="Quinn")
    assert desk.call("accept", session_id=other["session_id"])["type"] == "accepted"
    desk.call("end_chat", session_id=other["session_id"])

    page = open_monitor(new_page, scenario, scenario.librarian)
    page.get_by_role("tab", name="Questions").click()
    panel = page.get_by_role("tabpanel", name="Questions")
    panel.get_by_role("button").filter(has_text="Where are the parish registers?").click()
    detail = panel.get_by_role("region", name="Question from Pat")
    expect(fact(detail, "Resolution code")).to_have_text("Follow-up by me")
    expect(fact(detail, "Descriptive codes")).to_have_text("Genealogy and family history, Local history")
    expect(fact(detail, "Patron's rating")).to_have_text("4 of 5")
    expect(fact(detail, "Patron's comment")).to_have_text(comment)
    assert page.locator("img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert axe_violations(page) == []
    screenshot(page, "question-detail-labels-rating")

    # No rating: nothing said about one.
    panel.get_by_role("button").filter(has_text="Is the café open?").click()
    detail = panel.get_by_role("region", name="Question from Quinn")
    expect(detail.get_by_role("heading", name="Question from Quinn")).to_be_visible()
    expect(detail.locator(".facts")).not_to_contain_text("Patron's rating")
    expect(detail.locator(".facts")).not_to_contain_text("Patron's comment")

    # A code taken out of the library's list is shown as its code.
    token = scenario.stack.login(scenario.admin)
    lists_url = f"{scenario.stack.base}/api/libraries/{scenario.home}/codes"
    lists = http("GET", lists_url, token=token)[1]
    lists["descriptive"] = [c for c in lists["descriptive"] if c["code"] != "local_history"]
    assert http("PUT", lists_url, lists, token)[0] == 200
    page.reload()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    page.get_by_role("tab", name="Questions").click()
    panel.get_by_role("button").filter(has_text="Where are the parish registers?").click()
    detail = panel.get_by_role("region", name="Question from Pat")
    expect(fact(detail, "Descriptive codes")).to_have_text("Genealogy and family history, local_history")
    assert page.console_errors == []
