"""A librarian's working day and a patron's wait, in headless Chromium: each side is alerted
when the other writes and it is not looking, the monitor fills the window with the message box
always in view, a patron's chat ends in plain words with the follow-up form in view on a phone,
and every tab of the monitor keeps its counts and statuses true from events alone. The other
side of each is a raw WebSocket client."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from chalicelib import clock
from tests.browser.monitor_pages import accept, request_item, sign_in
from tests.browser.support import axe_violations, screenshot
from tests.browser.test_monitor import ALERT_SPIES

TITLE = "Refdesk chat monitor"

# The browser tab "hidden" on demand (headless pages are always visible).
VISIBILITY = """
window.__hidden = false;
Object.defineProperty(Document.prototype, "visibilityState", { get() { return window.__hidden ? "hidden" : "visible"; } });
Object.defineProperty(Document.prototype, "hidden", { get() { return window.__hidden; } });
"""

CONVERSATION = [
    ("patron", "Hello, I am looking for newspapers from the 1950s about the harbour fire."),
    ("librarian", "Happy to help. Do you know roughly which year, or the month?"),
    ("patron", "I think it was the spring of 1953."),
    ("librarian", "The Harbour Gazette for 1953 is on microfilm on the second floor."),
    ("patron", "Can I see it online from home?"),
    ("librarian", "The digitised issues stop in 1949, so for 1953 the microfilm is the way."),
    ("patron", "Do I need to book a reader?"),
    ("librarian", "Yes: the readers can be booked for two hours at a time."),
]


def _later(**delta: float) -> str:
    return clock.iso(clock.now() + timedelta(**delta))


def open_monitor(new_page, scenario, **options):
    page = new_page(**options)
    page.add_init_script(ALERT_SPIES)
    page.add_init_script(VISIBILITY)
    page.goto(f"{scenario.stack.base}/monitor/")
    return page


def chat_entry(page, name: str):
    """A chat's entry in My Active's list (found even while another tab hides it)."""
    return page.locator("#mine-list .chat-item").filter(has=page.locator(".chat-item-name", has_text=name))


def set_hidden(page, hidden: bool) -> None:
    page.evaluate(
        "hidden => { window.__hidden = hidden; document.dispatchEvent(new Event('visibilitychange')); }",
        hidden,
    )


def tones(page) -> int:
    return page.evaluate("window.__tones")


# --- 1. each side is alerted when the other writes -------------------------------------------


def test_a_patron_message_in_a_chat_out_of_view_alerts_the_librarian(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.librarian)
    page.get_by_role("button", name="Enable desktop alerts").click()  # granted (the spies' second ask)
    patron, requested = scenario.chat("Do you keep old maps of the harbour?", name="Pat")
    session_id = requested["session_id"]
    accept(page, "Pat")
    expect(page).to_have_title(TITLE)
    calm_icon = page.locator("link[rel=icon]").get_attribute("href")

    # On the Questions tab: the patron writes.
    page.get_by_role("tab", name="Questions").click()
    before, noted = tones(page), len(page.evaluate("window.__notes"))
    patron.call("send_message", session_id=session_id, text="Also the 1890 town plan, please.")
    mine_tab = page.get_by_role("tab", name=re.compile("^My Active"))
    expect(mine_tab).to_have_accessible_name("My Active (1), 1 unread")
    expect(page).to_have_title(f"(1) {TITLE}")
    assert page.locator("link[rel=icon]").get_attribute("href") != calm_icon  # the badge drawn on it
    assert tones(page) > before  # the chime was started
    assert len(page.evaluate("window.__notes")) == noted  # the page is in view: no desktop notification
    entry = chat_entry(page, "Pat")
    expect(entry).to_contain_text("1 new message")

    # A request waiting too: the title counts both.
    scenario.chat("Is the car park free on Sundays?", name="Rae")
    expect(page).to_have_title(f"(2) {TITLE}")
    assert axe_violations(page) == []

    # A second message counts on the chat; the title still counts chats (and requests).
    patron.call("send_message", session_id=session_id, text="And any photographs of the quay.")
    expect(entry).to_contain_text("2 new messages")
    expect(mine_tab).to_have_accessible_name("My Active (1), 1 unread")
    expect(page).to_have_title(f"(2) {TITLE}")

    # Showing the chat clears it; the waiting request still counts.
    mine_tab.click()
    expect(entry).not_to_contain_text("new message")
    expect(mine_tab).to_have_accessible_name("My Active (1)")
    expect(page).to_have_title(f"(1) {TITLE}")

    # The browser tab hidden with the chat shown: unread, and a desktop notification that opens it.
    set_hidden(page, True)
    patron.call("send_message", session_id=session_id, text="Are you still there?")
    expect(entry).to_contain_text("1 new message")
    expect(page).to_have_title(f"(2) {TITLE}")
    notes = page.evaluate("window.__notes")
    assert notes[-1] == {"title": "Message from Pat", "body": "Are you still there?"}
    set_hidden(page, False)  # back to the tab: the chat on screen is read
    expect(entry).not_to_contain_text("new message")
    expect(page).to_have_title(f"(1) {TITLE}")

    # Mute silences the chime and the notification, not the counts.
    page.get_by_role("button", name="Mute alerts").click()
    page.get_by_role("tab", name=re.compile("^New")).click()
    before, seen = tones(page), len(page.evaluate("window.__notes"))
    set_hidden(page, True)
    patron.call("send_message", session_id=session_id, text="Thanks!")
    expect(page).to_have_title(f"(2) {TITLE}")
    assert tones(page) == before
    assert len(page.evaluate("window.__notes")) == seen
    assert page.console_errors == []


def widget_on_demo_page(page, base: str, library: str, title_alert: bool = True):
    """The demo page with its one-tag widget pointed at `library` (opting in to title alerts)."""
    page.goto(f"{base}/demo/")
    page.evaluate(
        """([library, alert]) => {
            document.querySelectorAll('.refdesk-launcher, .refdesk-panel, .refdesk-vh').forEach(n => n.remove());
            const tag = document.createElement('script');
            tag.src = '/widget/qwidget.js'; tag.dataset.library = library;
            if (alert) tag.dataset.titleAlert = '';
            document.body.append(tag); }""",
        [library, title_alert],
    )
    launcher = page.get_by_role("button", name=re.compile("^Chat with a librarian"))
    expect(launcher).to_be_visible()
    return launcher


def test_a_librarian_message_while_the_panel_is_closed_badges_the_button_and_is_announced(scenario, new_page):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page()
    launcher = widget_on_demo_page(page, scenario.stack.base, scenario.home)
    launcher.click()
    ui = page.frame_locator("iframe[title='Chat with a librarian']")
    form = ui.get_by_role("region", name="Start a chat")
    form.get_by_label("Your question").fill("Can I renew a loan twice?")
    form.get_by_role("button", name="Start chat").click()
    session_id = librarian.wait_type("queue_update", op="added")["session"]["session_id"]
    librarian.call("accept", session_id=session_id)
    expect(ui.get_by_role("status")).to_have_text("You are chatting with Librarian.")

    # Open, a message is just shown.
    librarian.call("send_message", session_id=session_id, text="Let me look at your account.")
    expect(ui.get_by_role("log")).to_contain_text("Let me look at your account.")
    expect(launcher).to_have_accessible_name("Chat with a librarian")

    # Closed, it puts a count on the button, is announced on the page, and (opted in) titles it.
    page.get_by_role("button", name=re.compile("^Close the chat window")).click()
    announcer = page.locator(".refdesk-vh[role=status]")
    librarian.call("send_message", session_id=session_id, text="Yes: twice, unless someone reserved it.")
    expect(launcher).to_have_accessible_name("Chat with a librarian (1 new message)")
    expect(page.locator(".refdesk-unread")).to_be_visible()
    expect(announcer).to_have_text(
        "New message from the librarian. Open the chat with a librarian to read it."
    )
    expect(page).to_have_title("(1) Demo Public Library")
    librarian.call("send_message", session_id=session_id, text="Anything else?")
    expect(launcher).to_have_accessible_name("Chat with a librarian (2 new messages)")
    expect(announcer).to_have_text(
        "2 new messages from the librarian. Open the chat with a librarian to read them."
    )
    expect(page).to_have_title("(2) Demo Public Library")
    # What the librarian wrote stays in the frame: the library's page (and its scripts) never see it.
    assert "twice" not in page.locator("body").inner_text()
    assert "twice" not in page.title()
    assert axe_violations(page) == []
    screenshot(page, "widget-unread")

    # Opening the panel clears it all.
    launcher.click()
    expect(launcher).to_have_accessible_name("Chat with a librarian")
    expect(page.locator(".refdesk-unread")).to_be_hidden()
    expect(announcer).to_have_text("")
    expect(page).to_have_title("Demo Public Library")
    expect(ui.get_by_role("log")).to_contain_text("Anything else?")
    screenshot(page, "widget")  # the README's picture: mid-chat, End chat in the window's header

    # The patron closes the panel and goes to another page of the site: the chat's window loads
    # (out of sight), so the next message still reaches the button.
    page.get_by_role("button", name=re.compile("^Close the chat window")).click()
    launcher = widget_on_demo_page(page, scenario.stack.base, scenario.home)
    expect(page.locator("#refdesk-panel")).to_be_hidden()
    expect(ui.locator("#status")).to_have_text("You are chatting with Librarian.")  # out of sight
    librarian.call("send_message", session_id=session_id, text="Still there?")
    expect(launcher).to_have_accessible_name("Chat with a librarian (1 new message)")
    assert page.console_errors == []


# --- 2. the monitor is an application layout ----------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1024, 768)])
def test_the_composer_is_in_view_beside_a_long_transcript(scenario, new_page, width, height):
    page = open_monitor(new_page, scenario, viewport={"width": width, "height": height})
    sign_in(page, scenario.admin)  # an admin: every tab in the tab list
    patron, requested = scenario.chat(CONVERSATION[0][1], name="Pat", email=scenario.email("pat"))
    session_id = requested["session_id"]
    pane = accept(page, "Pat")
    for turn in range(40):
        role, text = CONVERSATION[(turn + 1) % len(CONVERSATION)]
        if role == "patron":
            patron.call("send_message", session_id=session_id, text=text)
        else:
            pane.get_by_label("Message").fill(text)
            pane.get_by_label("Message").press("Enter")
            patron.wait(lambda f, text=text: f.get("type") == "message" and f.get("text") == text)
    log = pane.get_by_role("log", name="Transcript")
    expect(log.locator(".msg[data-seq]")).to_have_count(42)  # the question, "connecting you", and 40

    # The page itself does not scroll; the transcript scrolls inside its pane.
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    assert log.evaluate("n => n.scrollHeight > n.clientHeight")
    composer = [
        pane.get_by_label("Message"),
        pane.get_by_role("button", name="Send"),
        pane.get_by_label("URL to push"),
        pane.get_by_role("button", name="Push URL"),
        pane.get_by_label("Librarian note"),
        pane.get_by_role("button", name="Add note"),
    ]
    for part in composer:
        expect(part).to_be_in_viewport(ratio=1)
    expect(log.locator(".msg[data-seq]").last).to_be_in_viewport()  # the newest message shown

    # A notice ("You accepted…") moves nothing, and clears itself.
    where = pane.get_by_label("Message").bounding_box()
    page.evaluate("import('/widget/monitor/announce.js').then(m => m.notice('Something just happened.'))")
    expect(page.get_by_role("status").filter(has_text="Something just happened.")).to_be_visible()
    assert pane.get_by_label("Message").bounding_box() == where
    expect(page.get_by_role("status").filter(has_text="Something just happened.")).to_have_count(
        0, timeout=15_000
    )
    assert axe_violations(page) == []
    screenshot(page, f"monitor-{width}x{height}")
    if width == 1280:
        # The README's picture, at the usual window size: a second chat with a message waiting.
        page.get_by_role("button", name="Enable desktop alerts").click()
        other, other_chat = scenario.chat("Is there somewhere to leave a bicycle?", name="Sam")
        accept(page, "Sam")
        page.get_by_role("list", name="My chats").get_by_role("button", name=re.compile("^Pat")).click()
        other.call("send_message", session_id=other_chat["session_id"], text="A covered one, ideally.")
        expect(chat_entry(page, "Sam")).to_contain_text("1 new message")
        pane.get_by_label("Message").fill("Shall I book one for you?")
        page.set_viewport_size({"width": 1280, "height": 800})
        expect(pane.get_by_label("Librarian note")).to_be_in_viewport(ratio=1)
        assert axe_violations(page) == []
        screenshot(page, "monitor")
    assert page.console_errors == []


def test_close_all_ended_closes_every_ended_chat(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.librarian)
    chats = {}
    for name in ("Ann", "Ben", "Cy"):
        chats[name] = scenario.chat(f"A question from {name}", name=name)
        accept(page, name)
    close_all = page.get_by_role("button", name=re.compile("^Close all ended"))
    expect(close_all).to_be_hidden()  # nothing has ended

    for name in ("Ann", "Ben"):
        patron, requested = chats[name]
        patron.call("end_chat", session_id=requested["session_id"])
        expect(chat_entry(page, name)).to_contain_text("closed by patron")
    expect(close_all).to_have_text("Close all ended (2)")

    # It asks first; Keep them changes nothing.
    close_all.click()
    question = page.get_by_role("group", name=re.compile("^Close 2 ended chats?"))
    expect(question).to_contain_text("None has a resolution code: reports count them as uncoded.")
    keep = question.get_by_role("button", name="Keep them")
    keep.click()
    expect(close_all).to_be_focused()
    expect(page.get_by_role("tab", name="My Active (3)")).to_be_visible()

    close_all.click()
    assert axe_violations(page) == []
    question.get_by_role("button", name="Close without codes").click()
    expect(page.get_by_role("tab", name="My Active (1)")).to_be_visible()
    expect(chat_entry(page, "Cy")).to_be_visible()
    expect(chat_entry(page, "Ann")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Closed 2 ended chats.")).to_be_visible()
    expect(close_all).to_be_hidden()

    # Closed on the server too: a new sign-in does not bring them back.
    page.reload()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    expect(page.get_by_role("tab", name="My Active (1)")).to_be_visible()
    assert page.console_errors == []


# --- 3. the patron's end of a chat ------------------------------------------------------------


def offline_switch(page):
    """Route the page's sockets through a switch: off, a new socket reaches nothing (and the
    current one is cut); on again, the page's next socket reaches the service."""
    routes = []
    offline = {"on": False}

    def route(ws):
        routes.append((ws, None if offline["on"] else ws.connect_to_server()))

    page.route_web_socket(re.compile(r"/ws"), route)

    def switch(on: bool) -> None:
        offline["on"] = not on
        client_side, server_side = routes[-1]
        if server_side is not None and not on:
            server_side.close()
        client_side.close()

    return switch


@pytest.mark.parametrize("embedded", [False, True], ids=["chat-page", "widget-panel"])
def test_after_a_disconnect_expiry_a_phone_shows_what_happened_and_the_follow_up_form(
    scenario, new_page, embedded
):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page(viewport={"width": 375, "height": 667})
    online = offline_switch(page)
    email = scenario.email("dara")
    if embedded:
        widget_on_demo_page(page, scenario.stack.base, scenario.home, title_alert=False).click()
        ui = page.frame_locator("iframe[title='Chat with a librarian']")
    else:
        page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
        ui = page
    form = ui.get_by_role("region", name="Start a chat")
    form.get_by_label("Name").fill("Dara")
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Your question").fill("Where can I print a boarding pass?")
    form.get_by_role("button", name="Start chat").click()
    expect(ui.get_by_role("status")).to_contain_text("Connecting you to a librarian")
    session_id = librarian.wait_type("queue_update", op="added")["session"]["session_id"]
    librarian.call("accept", session_id=session_id)
    librarian.call("send_message", session_id=session_id, text="At the printers by the entrance.")
    expect(ui.get_by_role("log")).to_contain_text("At the printers by the entrance.")

    # The patron's connection goes, and stays gone past the grace period.
    online(False)
    librarian.wait_type("session_update", status="reconnecting")
    assert scenario.stack.run_job("expire_reconnects", _later(seconds=61))["changed"] >= 1
    assert librarian.wait_type("session_update", status="ended")["ended_by"] == "disconnect"

    # Back: told what happened in their own words, where the copy goes, and offered the form.
    online(True)
    ended = ui.get_by_role("region", name="Chat ended")
    expect(ended).to_contain_text(
        re.compile(r"The chat ended because you were disconnected for too long at \d{1,2}:\d\d( [AP]M)?\.")
    )
    expect(ended).to_contain_text(f"A copy of the conversation is on its way to your e-mail, {email}.")
    leave = ui.get_by_role("region", name="Leave a question")
    expect(leave.get_by_label("Your question")).to_have_value("Where can I print a boarding pass?")
    expect(leave.get_by_label("E-mail")).to_have_value(email)
    expect(ui.get_by_role("log")).to_contain_text(
        "The chat ended because you were disconnected for too long."
    )
    screenshot(page, f"patron-disconnected-follow-up-{'widget' if embedded else 'page'}")
    # All of it in view, no scrolling: what happened, the e-mail line, the form down to Send.
    for part in (
        ended.get_by_role("heading", name="Chat ended"),
        ended.get_by_text("The chat ended because you were disconnected"),
        ended.get_by_text("A copy of the conversation is on its way"),
        leave.get_by_role("heading", name="Leave a question"),
        leave.get_by_label("E-mail"),
        leave.get_by_label("Your question"),
    ):
        expect(part).to_be_in_viewport(ratio=1)
    send = leave.get_by_role("button", name="Send question")
    expect(send).to_be_in_viewport()
    expect(send).to_be_focused()  # the address is there: sending is what is left to do
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_end_chat_is_in_the_header_and_asks_first(scenario, new_page):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page(viewport={"width": 375, "height": 667})
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    form = page.get_by_role("region", name="Start a chat")
    form.get_by_label("Your question").fill("Do you have a quiet study room?")
    form.get_by_role("button", name="Start chat").click()
    session_id = librarian.wait_type("queue_update", op="added")["session"]["session_id"]
    librarian.call("accept", session_id=session_id)
    expect(page.get_by_role("status")).to_have_text("You are chatting with Librarian.")

    end = page.locator("header .chat-title-row").get_by_role("button", name="End chat")
    expect(end).to_be_visible()
    message_box = page.get_by_label("Your message")
    # Above the conversation, not under the message box.
    assert end.bounding_box()["y"] < message_box.bounding_box()["y"]

    # It asks first, starting on the safe answer.
    end.click()
    question = page.get_by_role("group", name="End this chat?")
    keep = question.get_by_role("button", name="Keep chatting")
    expect(keep).to_be_focused()
    expect(end).to_be_hidden()
    assert axe_violations(page) == []
    screenshot(page, "chat-page-end-confirm")
    keep.click()
    expect(question).to_be_hidden()
    expect(end).to_be_focused()
    end.press("Enter")
    page.keyboard.press("Escape")  # Escape keeps chatting too
    expect(question).to_be_hidden()
    expect(page.get_by_role("status")).to_have_text("You are chatting with Librarian.")
    assert librarian.of_type("session_update") == [] or all(
        u["status"] != "ended" for u in librarian.of_type("session_update")
    )

    end.click()
    question.get_by_role("button", name="End chat").click()
    ended = page.get_by_role("region", name="Chat ended")
    expect(ended).to_contain_text(re.compile(r"You ended the chat at \d{1,2}:\d\d( [AP]M)?\."))
    expect(ended).to_contain_text("No e-mail address was given, so no copy of the conversation is sent.")
    expect(ended.get_by_role("heading", name="Chat ended")).to_be_focused()
    expect(ended).to_be_in_viewport(ratio=1)
    expect(message_box).to_be_hidden()
    expect(end).to_be_hidden()
    expect(page.get_by_role("log")).to_contain_text("You ended the chat.")
    assert librarian.wait_type("session_update", status="ended")["ended_by"] == "patron"
    assert axe_violations(page) == []
    screenshot(page, "chat-page-ended-by-patron")
    assert page.console_errors == []


# --- 5. every tab stays true from events ----------------------------------------------------


def test_the_new_tab_loses_a_request_its_patron_gave_up(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.librarian)
    patron, requested = scenario.chat("Is the reading room open late?", name="Gil")
    expect(page.get_by_role("tab", name="New (1)")).to_be_visible()
    expect(page).to_have_title(f"(1) {TITLE}")
    patron.call("end_chat", session_id=requested["session_id"])
    expect(request_item(page, "Gil")).to_have_count(0)
    expect(page.get_by_role("tab", name="New (0)")).to_be_visible()
    expect(page).to_have_title(TITLE)
    expect(page.get_by_text("Nobody is waiting.")).to_be_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_my_active_shows_a_chat_ended_by_its_patron(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.librarian)
    patron, requested = scenario.chat("Can I bring my dog?", name="Hal")
    pane = accept(page, "Hal")
    page.get_by_role("tab", name=re.compile("^New")).click()  # elsewhere when it ends
    patron.call("end_chat", session_id=requested["session_id"])
    page.get_by_role("tab", name="My Active (1)").click()
    expect(chat_entry(page, "Hal")).to_contain_text("closed by patron")
    expect(pane.locator(".pane-status")).to_contain_text("closed by patron")
    expect(pane.get_by_label("Message")).to_be_hidden()
    expect(page.get_by_role("button", name="Close all ended (1)")).to_be_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_the_all_tab_drops_a_chat_that_ended_elsewhere(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.admin)
    colleague = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat("Do you sell tote bags?", name="Ivy")
    assert colleague.call("accept", session_id=requested["session_id"])["type"] == "accepted"
    page.get_by_role("tab", name="All (1)").click()
    row = page.get_by_role("row").filter(has_text="Ivy")
    expect(row).to_contain_text("Active")
    patron.call("end_chat", session_id=requested["session_id"])
    expect(row).to_have_count(0)
    expect(page.get_by_role("tab", name="All (0)")).to_be_visible()
    expect(page.get_by_text("No live chats.")).to_be_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_the_questions_tab_follows_chats_as_they_start_and_end(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.librarian)
    patron, requested = scenario.chat("Where is the local history room?", name="Jo")
    pane = accept(page, "Jo")
    expect(pane).to_be_visible()
    page.get_by_role("tab", name="Questions").click()
    panel = page.get_by_role("tabpanel", name="Questions")
    row = panel.get_by_role("button").filter(has_text="Where is the local history room?")
    expect(row).to_contain_text("Live")

    # A new request shows up while the tab is open.
    scenario.chat("Can I donate books?", name="Kit")
    expect(panel.get_by_role("button").filter(has_text="Can I donate books?")).to_contain_text("Live")

    # The chat ends elsewhere (its patron): the question is Live no more.
    row.focus()
    patron.call("end_chat", session_id=requested["session_id"])
    expect(row).not_to_contain_text("Live")
    expect(row).to_contain_text("Answered")
    expect(row).to_be_focused()  # updated in place
    assert axe_violations(page) == []
    assert page.console_errors == []
