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
