"""An admin removes a patron's personal data from the Questions tab's detail, after confirming;
the detail then shows the question and transcript without the name, e-mail or page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from devstack.client import http
from tests.browser.monitor_pages import sign_in
from tests.browser.support import axe_violations, screenshot

NAME, PAGE = "Robin Private", "https://home.example.org/catalog?q=robin"


def _ended_chat(scenario) -> str:
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(
        "Do you keep parish registers?", name=NAME, email=scenario.email("robin"), page_url=PAGE
    )
    session_id = requested["session_id"]
    librarian.call("accept", session_id=session_id)
    patron.call("send_message", session_id=session_id, text="From the 1850s, please")
    librarian.call("send_message", session_id=session_id, text="They are on microfilm.")
    librarian.call("end_chat", session_id=session_id)
    return session_id


def _open_question(page, scenario, email: str):
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, email)
    page.get_by_role("tab", name=re.compile("^Questions")).click()
    panel = page.get_by_role("tabpanel", name=re.compile("^Questions"))
    panel.get_by_role("list", name="Your library's questions").get_by_role("button").filter(
        has_text="Do you keep parish registers?"
    ).click()
    detail = panel.get_by_role("region", name=f"Question from {NAME}")
    expect(detail.get_by_role("heading", name=f"Question from {NAME}")).to_be_focused()
    return panel, detail


def test_an_admin_removes_a_patrons_personal_data_from_the_question_detail(scenario, new_page):
    session_id = _ended_chat(scenario)

    # A librarian who is not an admin is not offered it.
    _, detail = _open_question(new_page(), scenario, scenario.librarian)
    expect(detail).to_contain_text(scenario.email("robin"))
    expect(detail.get_by_role("button", name="Remove patron's personal data")).to_have_count(0)

    page = new_page()
    panel, detail = _open_question(page, scenario, scenario.admin)
    remove = detail.get_by_role("button", name="Remove patron's personal data")
    expect(remove).to_be_visible()
    remove.click()
    confirm = detail.locator(".confirm-forget")
    expect(confirm).to_contain_text(
        f"Remove {NAME}'s name, e-mail address and page from this question and its chat?"
    )
    cancel = confirm.get_by_role("button", name="Cancel")
    expect(cancel).to_be_focused()
    assert axe_violations(page) == []
    cancel.click()  # nothing removed
    expect(remove).to_be_focused()
    token = scenario.stack.login(scenario.admin)
    kept = http("GET", f"{scenario.stack.base}/api/questions/{session_id}", token=token)[1]
    assert kept["patron"]["name"] == NAME

    remove.click()
    confirm.get_by_role("button", name="Remove personal data").click()
    detail = panel.get_by_role("region", name="Question from Anonymous patron")
    expect(detail.get_by_role("heading", name="Question from Anonymous patron")).to_be_focused()
    expect(detail.get_by_role("status")).to_have_text("The patron's personal data has been removed.")
    facts = detail.locator(".facts")
    expect(facts).to_contain_text("Anonymous patron")
    expect(facts).to_contain_text("Personal data")
    expect(detail).not_to_contain_text(NAME)
    expect(detail).not_to_contain_text(scenario.email("robin"))
    transcript = detail.locator(".question-transcript")
    expect(transcript).to_contain_text("From the 1850s, please")
    expect(transcript).to_contain_text("They are on microfilm.")
    expect(transcript.locator(".from-patron .sender").first).to_have_text("Patron")
    expect(detail.get_by_role("button", name="Remove patron's personal data")).to_have_count(0)
    row = (
        panel.get_by_role("list", name="Your library's questions")
        .get_by_role("button")
        .filter(has_text="Do you keep parish registers?")
    )
    expect(row).to_contain_text("Anonymous patron")
    expect(row).not_to_contain_text(NAME)
    assert axe_violations(page) == []
    screenshot(page, "monitor-privacy")

    removed = http("GET", f"{scenario.stack.base}/api/questions/{session_id}", token=token)[1]
    assert removed["patron"] == {"name": None, "email": None}
    assert removed["session"]["page_url"] is None and NAME not in str(removed)
    assert page.console_errors == []
