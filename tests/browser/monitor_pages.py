"""Driving the chat monitor the way a librarian does: shared by the monitor's browser tests."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

PASSWORD = "demo-password"


def signin_form(page: Any) -> Any:
    """The sign-in view (other views have e-mail and password fields too)."""
    return page.get_by_role("region", name="Sign in")


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    form = signin_form(page)
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()


def request_item(page: Any, name: str) -> Any:
    """A waiting request in the New tab, by the patron's name."""
    return page.locator("#new-list li").filter(has=page.get_by_role("heading", name=name))


def accept(page: Any, name: str) -> Any:
    """Accept a waiting request from the New tab; returns the chat's pane."""
    page.get_by_role("tab", name=re.compile("^New")).click()
    request_item(page, name).get_by_role("button", name="Accept").click()
    pane = page.get_by_role("region", name=f"Chat with {name}")
    expect(pane).to_be_visible()
    return pane


def coded_and_rated_chat(scenario: Any, desk: Any, *, resolution: str, rating: int, comment: str) -> str:
    """A chat `desk` (a monitoring librarian's socket) accepted, coded with `resolution` and two
    descriptive codes, ended, and its patron then rated; returns its session id."""
    patron, requested = scenario.chat("Where are the parish registers?", name="Pat")
    session_id = requested["session_id"]
    assert desk.call("accept", session_id=session_id)["type"] == "accepted"
    codes = {"resolution": resolution, "descriptive": ["genealogy", "local_history"]}
    assert desk.call("set_codes", session_id=session_id, **codes)["type"] == "ack"
    assert desk.call("end_chat", session_id=session_id)["type"] == "ack"
    assert patron.call("rate", session_id=session_id, rating=rating, comment=comment)["type"] == "ack"
    return str(session_id)
