"""The monitor's "Colleagues online" panel, instant messages between librarians, and Available /
Away, in headless Chromium against the local stack, with raw WebSocket colleagues on the other
side."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.browser.monitor_pages import request_item, sign_in
from tests.browser.support import axe_violations, screenshot

# Desktop notifications granted, recorded instead of shown; tones counted.
ALERT_SPIES = """
window.__notes = []; window.__tones = 0;
class FakeNotification {
  constructor(title, options) { window.__notes.push({title, body: options && options.body}); }
  close() {}
}
FakeNotification.permission = "granted";
FakeNotification.requestPermission = () => Promise.resolve("granted");
window.Notification = FakeNotification;
if (window.AudioContext) {
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () { window.__tones += 1; return create.call(this); };
}
"""

HOSTILE = "<img src=x onerror=alert(1)>"


def open_monitor(new_page, scenario, email: str):
    page = new_page()
    page.add_init_script(ALERT_SPIES)
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, email)
    return page


def online_list(page):
    return page.get_by_role("list", name="Colleagues online")


def colleague(page, name: str, where: str = "Colleagues online"):
    return page.get_by_role("list", name=where).get_by_role("button", name=re.compile(f"^{name}"))


def last_roster_op(client, email: str, timeout: float = 10) -> str:
    """The latest `roster_update` a raw client had about `email`, once it stops changing."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        ops = [f["op"] for f in client.of_type("roster_update") if f["librarian"]["email"] == email]
        if ops and ops[-1] == last:
            return last
        last = ops[-1] if ops else None
        time.sleep(0.3)
    raise TimeoutError(f"no settled roster_update for {email}")


def test_colleagues_online_and_instant_messages(scenario, new_page):
    page = open_monitor(new_page, scenario, scenario.librarian)
    panel = page.get_by_role("complementary", name="Colleagues online")
    expect(panel).to_be_visible()
    expect(panel.get_by_text("No colleagues are online.")).to_be_visible()
    expect(panel.get_by_text("Messages here are not kept")).to_be_hidden()  # no conversation yet

    # An outsider (another cooperative) never shows; a partner librarian does, with their library.
    scenario.monitoring(scenario.outsider_librarian)
    partner = scenario.monitoring(scenario.partner_librarian)
    entry = colleague(page, "Partner Librarian")
    expect(entry).to_contain_text("Partner Library")
    expect(online_list(page).get_by_role("button")).to_have_count(1)
    expect(panel.get_by_text("No colleagues are online.")).to_be_hidden()

    # A message arrives: counted unread, alerted, and announced.
    assert partner.call("im", librarian=scenario.librarian, text=HOSTILE)["type"] == "ack"
    expect(entry).to_have_accessible_name(re.compile(r"Partner Librarian.*1 unread message$"))
    expect(page.get_by_role("button", name=re.compile("Colleagues online"))).to_contain_text("1 unread")
    expect(page.get_by_role("status").filter(has_text="New message from Partner Librarian.")).to_be_visible()
    assert {"title": "Message from Partner Librarian", "body": HOSTILE} in page.evaluate("window.__notes")
    assert page.evaluate("window.__tones") >= 1

    # Opening it: the text shown literally, as text; the count gone.
    entry.click()
    conversation = page.get_by_role("region", name="Messages with Partner Librarian")
    log = conversation.get_by_role("log", name="Messages with Partner Librarian")
    expect(log).to_contain_text(HOSTILE)
    assert log.locator("img").count() == 0 and page.dialogs == []
    expect(entry).to_have_attribute("aria-current", "true")
    expect(entry).not_to_contain_text("unread")
    expect(
        conversation.get_by_text("Messages here are not kept: they last as long as this page.")
    ).to_be_visible()
    box = conversation.get_by_label("Message to Partner Librarian")
    expect(box).to_be_focused()

    # The librarian replies (Enter sends): the colleague's socket gets it, from them.
    box.fill("On it: <b>check</b> the stacks")
    box.press("Enter")
    reply = partner.wait_type("im")
    assert reply["from"]["email"] == scenario.librarian
    assert reply["text"] == "On it: <b>check</b> the stacks"
    expect(log.locator(".im-mine")).to_contain_text("On it: <b>check</b> the stacks")
    expect(box).to_have_value("")

    # A second message while the conversation is open: straight into the log, nothing unread.
    partner.call("im", librarian=scenario.librarian, text="Thanks!")
    expect(log.locator(".im-theirs").last).to_contain_text("Thanks!")
    expect(entry).not_to_contain_text("unread")

    # The panel folds away; a message meanwhile is counted on its button until it opens again.
    toggle = page.get_by_role("button", name=re.compile("^Colleagues online"))
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(conversation).to_be_hidden()
    partner.call("im", librarian=scenario.librarian, text="One more thing")
    expect(toggle).to_have_accessible_name("Colleagues online 1 unread")
    toggle.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(log.locator(".im-theirs").last).to_contain_text("One more thing")
    expect(toggle).to_have_accessible_name("Colleagues online")

    assert axe_violations(page) == []
    screenshot(page, "monitor-colleagues-im")

    # The colleague signs out: off the online list, but the conversation stays.
    partner.close()
    expect(online_list(page).get_by_role("button")).to_have_count(0)
    expect(panel.get_by_text("No colleagues are online.")).to_be_visible()
    expect(colleague(page, "Partner Librarian", where="Other conversations")).to_be_visible()
    expect(log).to_contain_text("Thanks!")

    # Writing to them now: the server's reason, as an alert, and the text kept.
    box.fill("Are you still there?")
    conversation.get_by_role("button", name="Send").click()
    alert = conversation.get_by_role("alert")
    expect(alert).to_have_text("Not sent: Partner Librarian is not signed in.")
    expect(box).to_have_value("Are you still there?")

    # Escape closes the conversation, focus back on the colleague.
    box.press("Escape")
    expect(conversation).to_be_hidden()
    expect(colleague(page, "Partner Librarian", where="Other conversations")).to_be_focused()

    # Signing out forgets every conversation: the next sign-in starts afresh.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(panel).to_be_hidden()
    sign_in(page, scenario.librarian)
    expect(panel.get_by_text("No colleagues are online.")).to_be_visible()
    expect(page.get_by_role("list", name="Other conversations")).to_be_hidden()
    assert page.console_errors == []


def test_away_is_not_offered_requests_and_stays_away(scenario, new_page):
    page = open_monitor(new_page, scenario, scenario.librarian)
    admin = scenario.monitoring(scenario.admin)  # the same library: still offered requests
    expect(colleague(page, "Admin")).to_be_visible()

    available = page.get_by_role("group", name="Availability").get_by_role("button", name="Available")
    away = page.get_by_role("group", name="Availability").get_by_role("button", name="Away")
    expect(available).to_have_attribute("aria-pressed", "true")
    expect(away).to_have_attribute("aria-pressed", "false")

    away.click()
    expect(away).to_have_attribute("aria-pressed", "true")
    expect(available).to_have_attribute("aria-pressed", "false")
    gone = admin.wait_type("roster_update", op="offline")
    assert gone["librarian"]["email"] == scenario.librarian
    expect(page.locator("#away-notice")).to_contain_text("You are Away: new requests are not offered to you.")
    expect(page.get_by_text("Nobody is waiting.")).to_be_hidden()
    expect(page.get_by_text("You are Away, so this list is not kept up to date.")).to_be_visible()

    # A new request goes to the admin, not to the librarian who is Away.
    scenario.chat("Is the archive open?", name="Wanda")
    added = admin.wait_type("queue_update", op="added")
    assert added["session"]["patron"]["name"] == "Wanda"
    page.wait_for_timeout(500)  # the admin has had it a while: the Away page would have by now
    expect(page.get_by_role("tab", name="New (0)")).to_be_visible()
    expect(request_item(page, "Wanda")).to_have_count(0)

    assert axe_violations(page) == []
    screenshot(page, "monitor-away")

    # Away survives a reload: still not offered (the snapshot's waiting request is not shown),
    # and off the colleagues' roster once the page has synchronised.
    page.reload()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    expect(away).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#away-notice")).to_be_visible()
    expect(page.get_by_role("tab", name="New (0)")).to_be_visible()
    expect(request_item(page, "Wanda")).to_have_count(0)
    assert last_roster_op(admin, scenario.librarian) == "offline"

    # Available again: the fresh snapshot brings the waiting request, and the roster hears.
    available.click()
    expect(available).to_have_attribute("aria-pressed", "true")
    expect(request_item(page, "Wanda")).to_contain_text("Is the archive open?")
    expect(page.get_by_role("tab", name="New (1)")).to_be_visible()
    expect(page.locator("#away-notice")).to_be_hidden()
    assert last_roster_op(admin, scenario.librarian) == "online"

    # New requests are offered again, live.
    scenario.chat("And the map room?", name="Xavier")
    expect(request_item(page, "Xavier")).to_be_visible()

    # Away is forgotten at sign-out: the next sign-in is Available.
    away.click()
    expect(away).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    sign_in(page, scenario.librarian)
    expect(available).to_have_attribute("aria-pressed", "true")
    expect(request_item(page, "Xavier")).to_be_visible()
    assert page.console_errors == []
