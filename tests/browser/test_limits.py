"""The pages size their fields by the limits the server sends (chalicelib/limits.py): the monitor
from POST /api/login and GET /api/me, the patron's window from the library's availability.

Each test checks the real reply carries the server's limits, then hands the page other numbers
in that reply (half the server's): a page that kept its own numbers fails."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from chalicelib import limits
from tests.browser.monitor_pages import accept, sign_in

SERVER = limits.public()  # what the server sends the pages
SHRUNK = {key: value // 2 for key, value in SERVER.items()}


def replace_limits(page: Any, pattern: str) -> list[dict]:
    """Replies to `pattern` reach the page with SHRUNK limits; returns the limits the server sent."""
    sent: list[dict] = []

    def handle(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        sent.append(body.get("limits"))
        route.fulfill(response=response, json={**body, "limits": SHRUNK})

    page.route(pattern, handle)
    return sent


def has_limit(locator: Any, kind: str, values: dict = SHRUNK) -> None:
    expect(locator).to_have_attribute("maxlength", str(values[kind]))


def test_the_patron_window_takes_its_limits_from_availability(scenario, new_page):
    scenario.monitoring(scenario.librarian)
    plain = new_page()
    plain.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start = plain.get_by_role("region", name="Start a chat")
    expect(start.get_by_role("button", name="Start chat")).to_be_visible()
    has_limit(start.get_by_label("Your question"), "text", SERVER)

    page = new_page()
    sent = replace_limits(page, "**/api/libraries/*/availability")
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start = page.get_by_role("region", name="Start a chat")
    expect(start.get_by_role("button", name="Start chat")).to_be_visible()
    assert sent == [SERVER]
    has_limit(start.get_by_label("Name"), "name")
    has_limit(start.get_by_label("E-mail"), "email")
    has_limit(start.get_by_label("Your question"), "text")
    has_limit(page.locator("#message"), "text")
    has_limit(page.locator("#leave-question"), "text")
    has_limit(page.locator("#leave-email"), "email")
    assert page.console_errors == []


def test_the_monitor_takes_its_limits_from_login_and_me(scenario, new_page):
    page = new_page()
    from_login = replace_limits(page, "**/api/login")
    from_me = replace_limits(page, "**/api/me")
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, scenario.admin)
    assert from_login == [SERVER]
    most = SHRUNK["descriptive_codes"]

    # A chat's composer and tools.
    scenario.chat("Where are the old maps?", name="Pat")
    pane = accept(page, "Pat")
    has_limit(pane.get_by_label("Message"), "text")
    has_limit(pane.get_by_label("URL to push"), "text")
    has_limit(pane.get_by_label("Librarian note"), "text")

    # The wrap-up: its fields, what it says, and what it refuses.
    pane.get_by_role("button", name="End chat").click()
    descriptive = pane.get_by_role("group", name=f"Descriptive codes (up to {most})")
    expect(descriptive).to_be_visible()
    expect(pane.get_by_text(f"0 of {most} chosen")).to_be_visible()
    has_limit(pane.get_by_label("Ticket note (optional)"), "text")
    has_limit(pane.get_by_label("Internal note"), "text")
    boxes = descriptive.get_by_role("checkbox")
    for index in range(most):
        boxes.nth(index).check()
    boxes.nth(most).click()
    expect(boxes.nth(most)).not_to_be_checked()
    expect(pane.get_by_role("alert").filter(has_text=f"up to {most} descriptive codes")).to_be_visible()
    expect(pane.get_by_text(f"{most} of {most} chosen")).to_be_visible()

    # The Questions tab's actions and the Codes tab's fields and hint.
    page.get_by_role("tab", name="Questions").click()
    has_limit(page.locator("#question-detail textarea").first, "text")
    page.get_by_role("tab", name="Codes").click()
    codes = page.get_by_role("tabpanel", name="Codes")
    expect(codes).to_contain_text(f"up to {most} descriptive codes")
    has_limit(codes.get_by_label("Code, resolution row 1"), "code")
    has_limit(codes.get_by_label("Label, resolution row 1"), "code_label")

    # A reload signs in again with /api/me, which brings them too.
    page.reload()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    assert from_me and from_me[0] == SERVER
    codes = page.get_by_role("tabpanel", name="Codes")
    expect(codes).to_contain_text(f"up to {most} descriptive codes")
    has_limit(codes.get_by_label("Code, resolution row 1"), "code")
    page.get_by_role("tab", name=re.compile("^My Active")).click()
    has_limit(page.get_by_role("region", name="Chat with Pat").get_by_label("Internal note"), "text")

    # The Canned messages tab's hint and fields.
    page.get_by_role("tab", name="Canned messages").click()
    canned = page.get_by_role("tabpanel", name="Canned messages")
    expect(canned).to_contain_text(f"Up to {SHRUNK['canned_messages']} messages")
    canned.get_by_role("button", name="Add canned message").click()
    has_limit(canned.get_by_label("Title"), "canned_title")
    has_limit(canned.get_by_label("Text"), "text")

    # The Library tab's settings and policy editor.
    page.get_by_role("tab", name="Library").click()
    library = page.get_by_role("tabpanel", name="Library")
    has_limit(library.get_by_label("Library name"), "library_name")
    library.get_by_role("button", name="Add alternative").click()
    has_limit(library.get_by_role("group", name="Alternative 2", exact=True).get_by_label("Address"), "url")
    expect(library.get_by_label("Keep patrons' personal data for (days)")).to_have_attribute(
        "min", str(SHRUNK["retention_days_min"])
    )
    library.get_by_role("button", name="Add section").click()
    has_limit(
        library.get_by_role("group", name="Section 1", exact=True).get_by_label("Title"), "policy_title"
    )
    expect(library).to_contain_text(f"Up to {SHRUNK['policy_sections']} sections")
    assert page.console_errors == []
