"""The admins' Library tab in headless Chromium: settings (hours, alternatives, the closed
message) and the policy page's sections, then what they change for a librarian serving a
chat (the policy beside it) and for a patron finding chat closed (the alternatives as links)."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from devstack.client import http
from tests.browser.monitor_pages import accept, sign_in
from tests.browser.support import axe_violations, screenshot

CLOSED_MESSAGE = "The desk is closed. Call us, or leave your question below."
HOSTILE = '<img src=x onerror="window.__pwned=1">'


def open_monitor(new_page, scenario, email: str):
    page = new_page()
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, email)
    return page


def wait_until_closed(scenario) -> None:
    """The monitors' sockets are gone once availability says nobody is there."""
    deadline = time.monotonic() + 10
    url = f"{scenario.stack.base}/api/libraries/{scenario.home}/availability"
    while http("GET", url)[1]["available"]:
        assert time.monotonic() < deadline, "a monitor is still counted as available"
        time.sleep(0.1)


def edit_settings(page) -> None:
    page.get_by_role("tab", name="Library").click()
    panel = page.get_by_role("tabpanel", name="Library")
    settings = panel.get_by_role("region", name="Library settings")
    expect(settings.get_by_label("Library name")).to_have_value("Home Library")
    expect(settings.get_by_role("definition").first).to_have_text(re.compile("^home-"))
    first = settings.get_by_role("group", name="Alternative 1", exact=True)
    expect(first.get_by_label("Address")).to_have_value("tel:+15550100")
    assert axe_violations(page) == []
    screenshot(page, "library-settings")

    settings.get_by_label("Chat hours").fill("Mon-Fri 9-17, Sat 10-14")
    settings.get_by_label("Message when nobody can chat").fill(CLOSED_MESSAGE)
    first.get_by_label("Label").fill("Call the desk")
    first.get_by_label("Address").fill("tel:+15550199")
    settings.get_by_role("button", name="Add alternative").click()
    second = settings.get_by_role("group", name="Alternative 2", exact=True)
    expect(second.get_by_label("Label")).to_be_focused()
    second.get_by_label("Label").fill("Leave a question")
    second.get_by_label("Address").fill("/chat/home#question")

    # A relative address is refused: said beside that alternative, which gets the keyboard.
    settings.get_by_role("button", name="Save settings").click()
    refused = settings.get_by_role("alert").filter(has_text="Alternative 2")
    expect(refused).to_contain_text("Leave a question")
    expect(refused).to_contain_text("mailto:")
    address = second.get_by_label("Address")
    expect(address).to_be_focused()
    expect(address).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    screenshot(page, "library-settings-refused")

    # A number out of range is said beside its field.
    settings.get_by_label("Give up on a waiting chat after (seconds)").fill("30")
    address.fill("mailto:ask@home.example.org")
    settings.get_by_role("button", name="Save settings").click()
    give_up = settings.get_by_label("Give up on a waiting chat after (seconds)")
    expect(give_up).to_be_focused()
    expect(give_up).to_have_accessible_description(re.compile("greater than or equal to 60"))
    expect(refused).to_have_count(0)
    give_up.fill("900")
    settings.get_by_role("button", name="Save settings").click()
    expect(settings.get_by_role("status")).to_have_text(re.compile("^Settings saved"))
    expect(give_up).not_to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []


def edit_policy(page) -> None:
    panel = page.get_by_role("tabpanel", name="Library")
    policy = panel.get_by_role("region", name="Policy page")
    expect(policy).to_contain_text("No sections yet")
    add = policy.get_by_role("button", name="Add section")
    for title, text in [
        ("Who we serve", "Residents of the county.\nVisitors may use the building."),
        ("Referrals", f"Fines: the circulation desk. {HOSTILE}"),
        ("", "A section without a title"),
    ]:
        add.click()
        section = policy.get_by_role("listitem").last
        expect(section.get_by_label("Title")).to_be_focused()
        section.get_by_label("Title").fill(title)
        section.get_by_label("Text").fill(text)

    # The untitled section is refused where it is; removed, the rest save.
    policy.get_by_role("button", name="Save policy").click()
    third = policy.get_by_role("group", name="Section 3", exact=True)
    expect(policy.get_by_role("alert").filter(has_text="Section 3, title")).to_be_visible()
    expect(third.get_by_label("Title")).to_be_focused()
    assert axe_violations(page) == []
    third.get_by_role("button", name="Remove section 3").click()
    expect(third).to_have_count(0)

    # Referrals first: moved up, the keyboard stays on the row (its Move down, now at the top).
    policy.get_by_role("button", name="Move up section 2").click()
    expect(policy.get_by_role("button", name="Move down section 1")).to_be_focused()
    expect(policy.get_by_role("group", name="Section 1", exact=True).get_by_label("Title")).to_have_value(
        "Referrals"
    )
    expect(policy.get_by_role("button", name="Move up section 1")).to_be_disabled()
    policy.get_by_role("button", name="Save policy").click()
    expect(policy.get_by_role("status")).to_have_text(re.compile("^Policy saved"))
    expect(policy.get_by_text(re.compile("^Last updated"))).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "library-policy-saved")


def test_an_admins_settings_and_policy_reach_the_chat_pane_and_the_closed_widget(scenario, new_page):
    admin = open_monitor(new_page, scenario, scenario.admin)
    edit_settings(admin)
    edit_policy(admin)

    token = scenario.stack.login(scenario.admin)
    status, saved = http("GET", f"{scenario.stack.base}/api/libraries/{scenario.home}", token=token)
    assert status == 200
    assert saved["hours"] == "Mon-Fri 9-17, Sat 10-14"
    assert saved["unavailable_message"] == CLOSED_MESSAGE
    assert saved["give_up_after_s"] == 900
    assert saved["alternatives"] == [
        {"label": "Call the desk", "url": "tel:+15550199"},
        {"label": "Leave a question", "url": "mailto:ask@home.example.org"},
    ]
    status, policy = http("GET", f"{scenario.stack.base}/api/libraries/{scenario.home}/policy", token=token)
    assert [s["title"] for s in policy["sections"]] == ["Referrals", "Who we serve"]

    # A librarian serving a chat reads the library's policy beside it, once opened.
    librarian = open_monitor(new_page, scenario, scenario.librarian)
    scenario.chat("May I renew a book a fourth time?", name="Pat")
    pane = accept(librarian, "Pat")
    summary = pane.get_by_text("Policy of Home Library")
    expect(summary).to_be_visible()
    brief = pane.get_by_role("region", name="Policy of Home Library")
    expect(brief).to_be_hidden()
    summary.click()
    expect(brief.get_by_role("heading", name="Referrals")).to_be_visible()
    expect(brief.get_by_role("heading", name="Who we serve")).to_be_visible()
    expect(brief).to_contain_text(f"Fines: the circulation desk. {HOSTILE}")
    expect(brief).to_contain_text("Last updated")
    expect(brief).to_contain_text("Chat hours: Mon-Fri 9-17, Sat 10-14")
    expect(brief.get_by_role("link", name="Call the desk")).to_have_attribute("href", "tel:+15550199")
    expect(brief.get_by_role("link", name="Leave a question")).to_have_attribute(
        "href", "mailto:ask@home.example.org"
    )
    assert librarian.locator("img").count() == 0
    assert librarian.evaluate("window.__pwned") is None
    assert axe_violations(librarian) == []
    screenshot(librarian, "chat-pane-policy")

    # The policy page the pane links to shows the same, dated, with the alternatives as links.
    with librarian.context.expect_page() as opened:
        pane.get_by_role("link", name=re.compile("^Policy page: Home Library")).click()
    page = opened.value
    expect(page.get_by_role("heading", name="Referrals")).to_be_visible()
    expect(page.get_by_text(re.compile("^Last updated"))).to_be_visible()
    expect(page.get_by_role("link", name="Call the desk")).to_have_attribute("href", "tel:+15550199")
    assert axe_violations(page) == []
    page.close()

    # Nobody monitoring: the patron's window shows the closed message and the tel: link.
    # The refused saves are the browser's only complaints (their 400s); no script failed.
    assert [e for e in admin.console_errors if "status of 400" not in e] == []
    assert librarian.console_errors == []
    admin.close()
    librarian.close()
    wait_until_closed(scenario)
    patron = new_page()
    patron.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    expect(patron.get_by_role("heading", name="Chat is closed right now")).to_be_visible()
    expect(patron.get_by_text(CLOSED_MESSAGE)).to_be_visible()
    expect(patron.get_by_role("link", name="Call the desk")).to_have_attribute("href", "tel:+15550199")
    expect(patron.get_by_role("link", name="Leave a question")).to_have_attribute(
        "href", "mailto:ask@home.example.org"
    )
    assert axe_violations(patron) == []
    screenshot(patron, "widget-closed-alternatives")
    assert patron.console_errors == []


def test_librarians_see_no_library_tab_and_a_partner_reads_the_patrons_library_policy(scenario, new_page):
    token = scenario.stack.login(scenario.admin)
    sections = [{"title": "Who we serve", "text": "County residents; visitors use the building."}]
    put = http(
        "PUT", f"{scenario.stack.base}/api/libraries/{scenario.home}/policy", {"sections": sections}, token
    )
    assert put[0] == 200

    partner = open_monitor(new_page, scenario, scenario.partner_librarian)
    expect(partner.get_by_role("tab", name="Library")).to_have_count(0)
    # Nobody of the home library is monitoring: the request goes to the cooperative at once.
    scenario.chat("Can I get a card?", name="Sam")
    pane = accept(partner, "Sam")
    pane.get_by_text("Policy of Home Library").click()
    brief = pane.get_by_role("region", name="Policy of Home Library")
    expect(brief.get_by_role("heading", name="Who we serve")).to_be_visible()
    expect(brief).to_contain_text("County residents; visitors use the building.")
    expect(brief.get_by_role("link", name="Call us")).to_have_attribute("href", "tel:+15550100")
    assert axe_violations(partner) == []
    assert partner.console_errors == []


def test_add_alternative_waits_for_the_settings_after_every_sign_in(scenario, new_page):
    """The settings' rows replace the list when they arrive, so an alternative added before
    would be lost: "Add alternative" waits for them, at the first visit and after signing in
    again (when the list was emptied at sign-out)."""
    admin = open_monitor(new_page, scenario, scenario.admin)
    admin.get_by_role("tab", name="Library").click()
    settings = admin.get_by_role("tabpanel", name="Library").get_by_role("region", name="Library settings")
    add = settings.get_by_role("button", name="Add alternative")
    expect(add).to_be_enabled()

    admin.get_by_role("button", name="Log out").click()
    held = []

    def hold(route) -> None:
        held.append(route)  # answered below, once the page has been looked at meanwhile

    admin.route(re.compile(rf"/api/libraries/{scenario.home}$"), hold)
    sign_in(admin, scenario.admin)
    admin.get_by_role("tab", name="Library").click()
    deadline = time.monotonic() + 10
    while not held:
        assert time.monotonic() < deadline, "the settings were never asked for"
        admin.wait_for_timeout(50)
    expect(add).to_be_disabled()
    assert axe_violations(admin) == []  # the tab while its settings are on their way

    held[0].continue_()
    expect(add).to_be_enabled()
    alternatives = settings.get_by_role("group", name=re.compile("^Alternative"))
    expect(alternatives).to_have_count(1)
    assert admin.console_errors == []
