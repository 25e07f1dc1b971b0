"""The accessibility checker itself: it must see a violation when there is one, or the axe
assertions elsewhere could never fail."""

from __future__ import annotations

from tests.browser.support import axe_violations


def test_axe_reports_an_unlabelled_field_and_low_contrast(new_page):
    page = new_page()
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><input><p class="faint">faint</p></main>'
    )
    page.add_style_tag(content=".faint { color: #ccc; background: #fff; }")
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"label", "color-contrast"} <= found
