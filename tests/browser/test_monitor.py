"""The librarian chat monitor in headless Chromium against the local stack, with raw WebSocket
patrons on the other side."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.monitor_pages import accept, request_item, sign_in, signin_form
from tests.browser.support import axe_violations, screenshot

# Headless Chromium answers "denied" to notifications and plays no sound, so the page gets a
# Notification that records what it shows (its first permission prompt is dismissed, the
# second granted) and an AudioContext that counts the tones it starts.
ALERT_SPIES = """
window.__asks = 0; window.__notes = []; window.__tones = 0;
class FakeNotification {
  constructor(title, options) { window.__notes.push({title, body: options && options.body}); }
  close() {}
}
FakeNotification.permission = "default";
FakeNotification.requestPermission = () => {
  window.__asks += 1;
  FakeNotification.permission = window.__asks === 1 ? "default" : "granted";
  return Promise.resolve(FakeNotification.permission);
};
window.Notification = FakeNotification;
if (window.AudioContext) {
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () { window.__tones += 1; return create.call(this); };
}
"""


def open_monitor(new_page, scenario):
    page = new_page()
    page.add_init_script(ALERT_SPIES)
    page.goto(f"{scenario.stack.base}/monitor/")
    return page


def chat_entry(page, name: str):
    return page.get_by_role("list", name="My chats").get_by_role("button", name=re.compile(f"^{name}"))


def test_sign_in_accept_and_serve_a_chat(scenario, new_page):
    page = open_monitor(new_page, scenario)
    expect(page.get_by_role("heading", name="Refdesk chat monitor")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "monitor-signin")

    sign_in(page, scenario.librarian)
    expect(page.get_by_text("Signed in as Librarian, Home Library")).to_be_visible()
    expect(page.get_by_role("tab", name="New (0)")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name=re.compile("^All"))).to_have_count(0)
    mute = page.get_by_role("button", name="Mute alerts")
    expect(mute).to_have_attribute("aria-pressed", "false")

    # Asked once at sign-in (dismissed), so the button offers it again; granted there.
    assert page.evaluate("window.__asks") == 1
    page.get_by_role("button", name="Enable desktop alerts").click()
    expect(page.get_by_role("button", name="Enable desktop alerts")).to_be_hidden()
    assert page.evaluate("window.__asks") == 2

    # A request arrives live: listed, counted in the tab and the title, badge on the favicon.
    patron, requested = scenario.chat("Do you have large-print books?", name="Pat", email="pat@example.org")
    session_id = requested["session_id"]
    item = request_item(page, "Pat")
    expect(item).to_contain_text("Do you have large-print books?")
    expect(item).to_contain_text(f"Queue: {scenario.home}")
    expect(item).to_contain_text("Waiting")
    expect(page.get_by_role("tab", name="New (1)")).to_be_visible()
    expect(page).to_have_title("(1) Refdesk chat monitor")
    expect(page.locator("link[rel=icon]")).to_have_attribute("href", re.compile(r"^data:image/png"))
    button = item.get_by_role("button", name="Accept")
    expect(button).to_have_accessible_description("Do you have large-print books?")
    assert page.evaluate("window.__notes") == [
        {"title": "New chat request", "body": "Pat: Do you have large-print books?"}
    ]
    assert page.evaluate("window.__tones") >= 1

    pane = accept(page, "Pat")
    expect(page.get_by_role("tab", name="My Active (1)")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name="New (0)")).to_be_visible()
    expect(page).to_have_title("Refdesk chat monitor")
    log = pane.get_by_role("log", name="Transcript")
    expect(log).to_contain_text("Do you have large-print books?")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(pane).to_contain_text("Active")
    expect(chat_entry(page, "Pat")).to_contain_text("Active")
    assert patron.wait_type("session_update", status="active")["librarian"] == {"name": "Librarian"}

    # The librarian types (the patron sees typing) and sends with Enter.
    message = pane.get_by_label("Message")
    expect(message).to_be_focused()
    message.press_sequentially("Hello from the desk")
    assert patron.wait_type("typing", typing=True)["from"]["role"] == "librarian"
    message.press("Enter")
    assert patron.wait_type("message", text="Hello from the desk")["from"]["name"] == "Librarian"
    expect(log.locator(".msg[data-seq]").filter(has_text="Hello from the desk")).to_have_count(1)
    expect(message).to_have_value("")

    # The patron types, then answers: the indicator shows, then clears.
    patron.call("typing", session_id=session_id, typing=True)
    expect(pane.get_by_text("Patron is typing…")).to_be_visible()
    patron.call("send_message", session_id=session_id, text="Mostly <b>mysteries</b>")
    expect(log.locator(".msg[data-seq]").filter(has_text="Mostly <b>mysteries</b>")).to_contain_text("Pat")
    expect(pane.get_by_text("Patron is typing…")).to_have_count(0)
    assert log.locator("b").count() == 0  # text, never HTML

    # Push a URL: a link that opens in a new tab without the opener.
    pane.get_by_label("URL to push").fill("https://example.org/large-print")
    pane.get_by_role("button", name="Push URL").click()
    link = log.get_by_role("link", name="https://example.org/large-print")
    expect(link).to_have_attribute("href", "https://example.org/large-print")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    assert patron.wait_type("message", kind="url")["text"] == "https://example.org/large-print"

    # A note: labelled, shown to staff only.
    pane.get_by_label("Librarian note").fill("Check the LP shelf list.")
    pane.get_by_role("button", name="Add note").click()
    note = log.locator(".msg[data-seq]").filter(has_text="Check the LP shelf list.")
    expect(note).to_contain_text("Librarian note")
    expect(note).to_have_class(re.compile(r"\bmsg-note\b"))

    # Every seq once, in order.
    seqs = [int(s) for s in log.locator(".msg[data-seq]").evaluate_all("ns => ns.map(n => n.dataset.seq)")]
    assert seqs == sorted(seqs) == list(range(1, len(seqs) + 1)) and len(seqs) == 6

    assert axe_violations(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "monitor-chat")

    # The policy page opens in a new tab with the sign-in carried over.
    policy_link = pane.get_by_role("link", name=re.compile("^Policy page: Home Library"))
    expect(policy_link).to_have_attribute("target", "_blank")
    expect(policy_link).to_have_attribute("rel", "opener")
    with page.context.expect_page() as opened:
        policy_link.click()
    policy = opened.value
    policy.console_errors = []
    policy.on("console", lambda m: m.type == "error" and policy.console_errors.append(m.text))
    expect(policy.get_by_role("heading", name="Library policy: Home Library")).to_be_visible()
    expect(policy.get_by_role("link", name="Call us")).to_have_attribute("href", "tel:+15550100")
    assert axe_violations(policy) == []
    assert policy.console_errors == []
    policy.close()

    # End the chat: the status says who ended it, the chat stays until closed.
    pane.get_by_role("button", name="End chat").click()
    status = pane.locator(".pane-status")
    expect(status).to_contain_text(re.compile(r"Ended \d{1,2}:\d{2}.*, ended by you"))
    expect(chat_entry(page, "Pat")).to_contain_text("ended by you")
    expect(pane.get_by_label("Message")).to_be_hidden()
    ended = patron.wait_type("session_update", status="ended")
    assert ended["ended_by"] == "librarian"
    assert [m for m in patron.of_type("message") if m["kind"] == "note"] == []

    # No resolution code was saved: Close asks first, and closing without one is a choice.
    pane.get_by_role("button", name="Close").click()
    pane.get_by_role("button", name="Close without a code").click()
    expect(page.get_by_role("region", name="Chat with Pat")).to_have_count(0)
    expect(page.get_by_role("tab", name="My Active (0)")).to_be_visible()
    assert page.console_errors == []


def test_patron_endings_drops_reload_and_log_out(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.librarian)
    alice, alice_chat = scenario.chat("Where are the maps?", name="Alice")
    bob, _ = scenario.chat("Can I renew by phone?", name="Bob")
    expect(page.get_by_role("tab", name="New (2)")).to_be_visible()
    expect(page).to_have_title("(2) Refdesk chat monitor")

    accept(page, "Alice")
    page.get_by_role("tab", name=re.compile("^New")).click()
    bob_pane = accept(page, "Bob")
    expect(page.get_by_role("tab", name="My Active (2)")).to_be_visible()

    # Alice ends the chat herself.
    alice.call("end_chat", session_id=alice_chat["session_id"])
    expect(chat_entry(page, "Alice")).to_contain_text("closed by patron")

    # Bob's connection drops: the librarian sees him reconnecting, and can still write.
    bob_pane.get_by_label("Message").fill("Are you still there?")
    bob_pane.get_by_role("button", name="Send").click()
    bob.wait_type("message", text="Are you still there?")
    bob.kill()
    expect(chat_entry(page, "Bob")).to_contain_text("Reconnecting")
    expect(bob_pane.locator(".pane-status")).to_contain_text("Reconnecting")

    # A reload keeps the sign-in, the open chat and its transcript (fetched with history).
    page.reload()
    expect(page.get_by_text("Signed in as Librarian")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    bob_pane = page.get_by_role("region", name="Chat with Bob")
    expect(bob_pane).to_be_visible()
    bob_log = bob_pane.get_by_role("log", name="Transcript")
    expect(bob_log).to_contain_text("Can I renew by phone?")
    expect(bob_log.locator(".msg[data-seq]").filter(has_text="Are you still there?")).to_have_count(1)
    expect(bob_pane.locator(".pane-status")).to_contain_text("Reconnecting")
    chat_entry(page, "Alice").click()
    alice_pane = page.get_by_role("region", name="Chat with Alice")
    expect(alice_pane.locator(".pane-status")).to_contain_text("closed by patron")
    expect(alice_pane.get_by_role("log", name="Transcript")).to_contain_text("to the patron")
    expect(alice_pane.get_by_role("log", name="Transcript")).to_contain_text("You ended the chat.")

    # Keyboard: arrows move between tabs, Enter activates.
    page.get_by_role("tab", name=re.compile("^My Active")).focus()
    page.keyboard.press("ArrowLeft")
    new_tab = page.get_by_role("tab", name=re.compile("^New"))
    expect(new_tab).to_be_focused()
    page.keyboard.press("Enter")
    expect(new_tab).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name=re.compile("^New"))).to_contain_text("Nobody is waiting.")

    # Mute is remembered.
    mute = page.get_by_role("button", name="Mute alerts")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    tones = page.evaluate("window.__tones")
    scenario.chat("Do you lend telescopes?", name="Dee")
    expect(page.get_by_role("tab", name="New (1)")).to_be_visible()
    expect(page).to_have_title("(1) Refdesk chat monitor")
    assert page.evaluate("window.__tones") == tones

    # Bob's chat is still live (reconnecting), so Log out asks first (tests/browser/test_monitor_wrapup.py).
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("dialog").get_by_role("button", name="End them and log out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Signed out")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('refdesk:monitor:token')") is None
    page.reload()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    sign_in(page, scenario.librarian)
    expect(page.get_by_role("button", name="Mute alerts")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__asks") == 0  # asked once already, on the first sign-in
    assert page.console_errors == []


def test_admin_sees_all_tab_and_taken_requests_leave(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.admin)
    expect(page.get_by_role("tab", name="All (0)")).to_be_visible()

    _, requested = scenario.chat("Is the archive open?", name="Sam")
    expect(page.get_by_role("tab", name="All (1)")).to_be_visible()
    expect(request_item(page, "Sam")).to_be_visible()

    # Another librarian takes it: it leaves New, and All shows it active.
    other = scenario.monitoring(scenario.librarian)
    assert other.call("accept", session_id=requested["session_id"])["type"] == "accepted"
    expect(page.get_by_role("tab", name="New (0)")).to_be_visible()
    page.get_by_role("tab", name="All (1)").click()
    row = page.get_by_role("row").filter(has_text="Sam")
    expect(row).to_contain_text("Is the archive open?")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("Librarian")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_a_chat_someone_else_took_first(scenario, new_page):
    """The queue_update "taken" is held back, so this librarian's accept loses the race."""
    page = new_page()

    def hold_back_taken(ws):
        server = ws.connect_to_server()
        server.on_message(
            lambda message: (
                None if '"op": "taken"' in message or '"op":"taken"' in message else ws.send(message)
            )
        )

    page.route_web_socket(re.compile(r"/ws\?"), hold_back_taken)
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, scenario.librarian)
    _, requested = scenario.chat("Any local history talks?", name="Kim")
    expect(request_item(page, "Kim")).to_be_visible()
    # A colleague in the same library: a partner may not take a request still in its home queue.
    rival = scenario.monitoring(scenario.admin)
    assert rival.call("accept", session_id=requested["session_id"])["type"] == "accepted"

    request_item(page, "Kim").get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status").filter(has_text="Another librarian took this chat")).to_be_visible()
    expect(request_item(page, "Kim")).to_have_count(0)
    expect(page.get_by_role("tab", name="New (0)")).to_be_visible()
    expect(page.get_by_role("tab", name="My Active (0)")).to_be_visible()
    assert page.console_errors == []


def test_the_monitor_reconnects_and_catches_up_with_history(scenario, new_page):
    """The librarian's socket drops; while it is down the patron writes; the new socket's
    `monitor` + `history` bring that message in, once."""
    page = new_page()
    routes = []
    offline = {"on": False}

    def route(ws):
        routes.append((ws, None if offline["on"] else ws.connect_to_server()))

    page.route_web_socket(re.compile(r"/ws\?"), route)
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, scenario.librarian)
    patron, requested = scenario.chat("Do you keep old yearbooks?", name="Lee")
    pane = accept(page, "Lee")
    log = pane.get_by_role("log", name="Transcript")
    expect(log).to_contain_text("Do you keep old yearbooks?")

    offline["on"] = True
    seen = len(routes)
    client_side, server_side = routes[-1]
    server_side.close()
    client_side.close()
    expect(page.get_by_role("status").filter(has_text="Reconnecting…")).to_be_visible()
    patron.wait(
        lambda f: f.get("type") == "session_update" and (f.get("librarian") or {}).get("reconnecting")
    )
    patron.call("send_message", session_id=requested["session_id"], text="Hello? Anyone there?")

    for _ in range(50):  # the page's next attempt (0.5 s later) reaches a socket that never answers
        if len(routes) > seen:
            break
        page.wait_for_timeout(100)
    assert len(routes) > seen
    offline["on"] = False
    routes[-1][0].close()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    expect(log.locator(".msg[data-seq]").filter(has_text="Hello? Anyone there?")).to_have_count(1)
    expect(pane.locator(".pane-status")).to_contain_text("Active")
    seqs = [int(s) for s in log.locator(".msg[data-seq]").evaluate_all("ns => ns.map(n => n.dataset.seq)")]
    assert seqs == [1, 2, 3]
    assert page.console_errors == []


def test_sign_in_errors_and_expired_token(scenario, new_page):
    page = open_monitor(new_page, scenario)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Enter your e-mail and password.")
    signin_form(page).get_by_label("E-mail").fill(scenario.librarian)
    signin_form(page).get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")

    # A stored token the service refuses goes back to sign-in.
    page.evaluate("sessionStorage.setItem('refdesk:monitor:token', 'not-a-token')")
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("expired")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    # The policy page without a sign-in says so.
    policy = new_page()
    policy.goto(f"{scenario.stack.base}/monitor/policy.html?library={scenario.home}")
    expect(policy.get_by_role("alert")).to_contain_text("not signed in")
