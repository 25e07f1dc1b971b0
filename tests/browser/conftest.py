"""Headless Chromium (Debian's package) driven by Playwright against the local stack.

Browser tests never skip in CI: a missing Chromium or axe-core is a failure there, and a skip
with the reason on a laptop without them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import AXE

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("REFDESK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core is not installed (npm ci)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser) -> Iterator[Any]:
    """Pages in their own browser contexts (a patron and a librarian never share storage).
    Every page records console errors and dialogs, which a test can assert are empty.
    `viewport` (and any other context option) may be given; 1280x800 unless it is."""
    contexts = []

    def make(**options: Any) -> Any:
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.dialogs = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))

        def on_dialog(dialog: Any) -> None:
            page.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page

    yield make
    for context in contexts:
        context.close()
