"""The patron's side in headless Chromium: the one-tag widget, the hosted chat page, the keyboard,
hostile text, reloads and dropped sockets. The librarian here is a raw WebSocket client."""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from devstack.client import http
from tests.browser.support import axe_violations, screenshot

WIDGET = Path(__file__).resolve().parents[2] / "widget"
HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">'
HOSTILE_QUESTION = "<script>window.__pwned=2</script>Do you have <b>bold</b> books?"
HOSTILE_REPLY = '<img src=y onerror="window.__pwned=3"><script>window.__pwned=4</script>'


def chat_frame(page):
    return page.frame_locator("iframe[title='Chat with a librarian']")


def open_widget(page, base: str, path: str = "/demo/"):
    page.goto(base + path)
    page.get_by_role("button", name="Chat with a librarian").click()
    return chat_frame(page)


def start_chat(ui, question: str, name: str = "", email: str = "") -> None:
    form = ui.get_by_role("region", name="Start a chat")
    expect(form.get_by_role("button", name="Start chat")).to_be_visible()
    if name:
        form.get_by_label("Name").fill(name)
    if email:
        form.get_by_label("E-mail").fill(email)
    form.get_by_label("Your question").fill(question)
    form.get_by_role("button", name="Start chat").click()


def accept_next(librarian) -> str:
    added = librarian.wait_type("queue_update", op="added")
    session_id = added["session"]["session_id"]
    assert librarian.call("accept", session_id=session_id)["type"] == "accepted"
    return session_id


def test_the_loader_is_small_and_fetches_the_chat_only_when_opened(scenario, new_page):
    assert len(gzip.compress((WIDGET / "qwidget.js").read_bytes())) <= 10 * 1024
    page = new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(scenario.stack.base + "/demo/")
    launcher = page.get_by_role("button", name="Chat with a librarian")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert not [url for url in fetched if "/chat/" in url or "chat.js" in url]
    assert page.context.cookies() == []

    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(chat_frame(page).get_by_role("status")).not_to_have_text("Loading…")
    assert [url for url in fetched if "/chat/demo-public" in url]
    assert page.context.cookies() == []
    assert page.console_errors == []


def test_a_patron_chats_on_the_hosted_page_and_sees_everything_meant_for_them(scenario, new_page):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page()
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    ui = page
    start_chat(ui, "Where are the census records?", name="Pat", email="pat@example.org")
    expect(ui.get_by_role("status")).to_contain_text("Connecting you to a librarian")
    log = ui.get_by_role("log", name="Conversation")
    expect(log).to_contain_text("Where are the census records?")
    expect(log).to_contain_text("add any detail")

    session_id = accept_next(librarian)
    expect(ui.get_by_role("status")).to_have_text("You are chatting with Librarian.")
    librarian.call("typing", session_id=session_id, typing=True)
    expect(ui.get_by_text("Librarian is typing…")).to_be_visible()
    librarian.call("send_message", session_id=session_id, text="They are on the second floor.")
    expect(log).to_contain_text("They are on the second floor.")
    expect(ui.get_by_text("Librarian is typing…")).to_have_count(0)

    ui.get_by_label("Your message").fill("Thank you!")
    ui.get_by_label("Your message").press("Enter")
    assert librarian.wait_type("message", text="Thank you!")["from"] == {"role": "patron", "name": "Pat"}
    expect(ui.get_by_label("Your message")).to_have_value("")

    librarian.call("push_url", session_id=session_id, url="https://archives.example/census")
    link = log.get_by_role("link", name="https://archives.example/census")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    librarian.call("note", session_id=session_id, text="NOTE: patron seems new to genealogy")
    librarian.call("send_message", session_id=session_id, text="Anything else?")
    expect(log).to_contain_text("Anything else?")
    expect(log).not_to_contain_text("NOTE:")

    librarian.call("end_chat", session_id=session_id)
    ended = ui.get_by_role("region", name="Chat ended")
    expect(ended).to_contain_text(re.compile(r"Librarian ended the chat at \d{1,2}:\d\d( [AP]M)?\."))
    expect(ended).to_contain_text("on its way to your e-mail")
    expect(ui.get_by_label("Your message")).to_be_hidden()
    screenshot(page, "chat-page-ended")
    assert page.console_errors == []


def test_the_whole_patron_flow_works_by_keyboard_alone(scenario, new_page):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page()
    page.goto(f"{scenario.stack.base}/demo/")
    page.evaluate(
        """library => document.querySelector('script[data-library]').dataset.library = library""",
        scenario.home,
    )
    # The demo page embeds demo-public; point a fresh copy of the tag at this test's library.
    page.evaluate(
        """library => { document.querySelectorAll('.refdesk-launcher, .refdesk-panel').forEach(n => n.remove());
            const tag = document.createElement('script');
            tag.src = '/widget/qwidget.js'; tag.dataset.library = library; document.body.append(tag); }""",
        scenario.home,
    )
    launcher = page.get_by_role("button", name="Chat with a librarian")
    expect(launcher).to_be_visible()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('refdesk-launcher')"):
            break
    else:
        pytest.fail("Tab never reached the chat button")
    page.keyboard.press("Enter")
    ui = chat_frame(page)
    expect(ui.get_by_role("region", name="Start a chat").get_by_label("Name")).to_be_focused()
    page.keyboard.type("Kim")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("How do I renew a loan?")
    page.keyboard.press("Tab")
    expect(ui.get_by_role("button", name="Start chat")).to_be_focused()
    page.keyboard.press("Enter")
    expect(ui.get_by_label("Your message")).to_be_focused()

    session_id = accept_next(librarian)
    expect(ui.get_by_role("status")).to_have_text("You are chatting with Librarian.")
    page.keyboard.type("Hello from the keyboard")
    page.keyboard.press("Enter")
    librarian.wait_type("message", text="Hello from the keyboard")

    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(ui.get_by_label("Your message")).to_be_focused()
    librarian.call("send_message", session_id=session_id, text="Renew it from your account page.")
    expect(ui.get_by_role("log")).to_contain_text("Renew it from your account page.")

    # The End chat button is reachable and works from the keyboard too; it asks first, starting
    # on "Keep chatting".
    ui.get_by_role("button", name="End chat").focus()
    page.keyboard.press("Enter")
    expect(ui.get_by_role("button", name="Keep chatting")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(
        ui.get_by_role("group", name="End this chat?").get_by_role("button", name="End chat")
    ).to_be_focused()
    page.keyboard.press("Enter")
    expect(ui.get_by_role("region", name="Chat ended")).to_contain_text("You ended the chat")
    assert librarian.wait_type("session_update", status="ended")["ended_by"] == "patron"


def test_hostile_names_questions_and_messages_are_shown_as_text_and_never_run(scenario, new_page):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page()
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start_chat(page, HOSTILE_QUESTION, name=HOSTILE_NAME)
    session_id = accept_next(librarian)
    page.get_by_label("Your message").fill(HOSTILE_REPLY)
    page.get_by_label("Your message").press("Enter")
    librarian.call("send_message", session_id=session_id, text=HOSTILE_REPLY)
    librarian.call("push_url", session_id=session_id, url="https://example.org/?q=<script>alert(5)</script>")

    log = page.get_by_role("log")
    expect(log.get_by_text(HOSTILE_REPLY)).to_have_count(2)
    expect(log).to_contain_text(HOSTILE_QUESTION)
    expect(log.locator("img, script, b")).to_have_count(0)
    from_patron = librarian.wait(lambda f: f.get("text") == HOSTILE_REPLY and f["from"]["role"] == "patron")
    assert from_patron["from"]["name"] == HOSTILE_NAME
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    assert page.console_errors == []


def test_a_reload_keeps_the_chat_and_a_dropped_socket_comes_back_by_itself(scenario, new_page):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page(user_agent="Refdesk-test-patron-reload")
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start_chat(page, "Can I book a study room?")
    session_id = accept_next(librarian)
    librarian.call("send_message", session_id=session_id, text="Yes, up to two hours.")
    log = page.get_by_role("log")
    expect(log).to_contain_text("Yes, up to two hours.")

    page.reload()
    expect(page.get_by_role("status")).to_have_text("You are chatting with Librarian.")
    expect(log).to_contain_text("Can I book a study room?")
    expect(log.locator(".msg")).to_have_count(3)

    dropped = http("POST", f"{scenario.stack.base}/dev/drop_sockets?user_agent=Refdesk-test-patron-reload")
    assert dropped[1]["dropped"] == 1
    librarian.wait_type("session_update", status="reconnecting")
    librarian.call("send_message", session_id=session_id, text="Sent while you were away.")
    expect(log).to_contain_text("Sent while you were away.")
    librarian.wait_type("session_update", status="active")
    page.get_by_label("Your message").fill("Back again")
    page.get_by_label("Your message").press("Enter")
    librarian.wait_type("message", text="Back again")
    expect(log.locator(".msg")).to_have_count(5)  # every message once


def test_when_nobody_is_monitoring_the_patron_can_leave_a_question(scenario, new_page):
    page = new_page()
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    expect(page.get_by_role("heading", name="Chat is closed right now")).to_be_visible()
    expect(page.get_by_role("link", name="Call us")).to_have_attribute("href", "tel:+15550100")
    form = page.get_by_role("region", name="Leave a question")
    form.get_by_label("E-mail").fill("later@example.org")
    form.get_by_label("Your question").fill("Do you hold the 1901 town plans?")
    page.get_by_role("button", name="Send question").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_focused()


@pytest.fixture
def host_page_with_strict_csp(scenario) -> Iterator[str]:
    """A library's page on another origin whose policy allows only the Refdesk origin."""
    refdesk = scenario.stack.base
    body = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict library</title></head>
        <body><main><h1>Strict Library</h1></main>
        <script src="{refdesk}/widget/qwidget.js" data-library="{scenario.home}" async></script>
        <noscript><a href="{refdesk}/chat/{scenario.home}">Chat with a librarian</a></noscript></body></html>"""
    policy = (
        f"default-src 'none'; script-src {refdesk}; style-src {refdesk}; frame-src {refdesk}; "
        f"connect-src {refdesk}; img-src 'self'"
    )

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", policy)
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_the_widget_works_on_another_origin_under_a_strict_content_security_policy(
    scenario, new_page, host_page_with_strict_csp
):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page()
    violations: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(host_page_with_strict_csp)
    page.get_by_role("button", name="Chat with a librarian").click()
    ui = chat_frame(page)
    start_chat(ui, "Embedded elsewhere: does it work?")
    accept_next(librarian)
    expect(ui.get_by_role("status")).to_have_text("You are chatting with Librarian.")
    expect(page.locator(".refdesk-launcher")).to_have_css("position", "fixed")  # its stylesheet loaded
    assert violations == []


def test_axe_finds_nothing_on_the_demo_page_with_the_widget_open_or_the_chat_page_mid_chat(stack, new_page):
    bob = stack.librarian("bob@demo-public.example")
    try:
        assert bob.call("monitor")["type"] == "queue_snapshot"
        page = new_page()
        ui = open_widget(page, stack.base)
        expect(ui.get_by_role("button", name="Start chat")).to_be_visible()
        screenshot(page, "widget-open")
        assert axe_violations(page) == []

        chat = new_page()
        chat.goto(f"{stack.base}/chat/demo-public")
        start_chat(chat, "Is the library open on public holidays?", name="Sam")
        added = bob.wait(
            lambda f: f.get("op") == "added" and f["session"]["question"].startswith("Is the library")
        )
        session_id = added["session"]["session_id"]
        bob.call("accept", session_id=session_id)
        bob.call("send_message", session_id=session_id, text="We close on most public holidays.")
        bob.call("push_url", session_id=session_id, url="https://demo-public.example/hours")
        expect(chat.get_by_role("log")).to_contain_text("We close on most public holidays.")
        screenshot(chat, "chat-page-mid-chat")
        assert axe_violations(chat) == []
        bob.call("end_chat", session_id=session_id)
    finally:
        bob.close()


def test_the_socket_is_replaced_before_api_gateways_two_hour_limit_without_anyone_noticing(
    scenario, new_page
):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page()
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}?recycle_ms=1000")  # 2 hours, shortened
    start_chat(page, "Will my chat survive a new connection?")
    session_id = accept_next(librarian)
    log = page.get_by_role("log")
    for turn in range(3):  # each turn spans at least one replacement
        page.wait_for_timeout(1200)
        librarian.call("send_message", session_id=session_id, text=f"still here {turn}")
        expect(log).to_contain_text(f"still here {turn}")
    expect(log.locator(".msg")).to_have_count(5)
    assert [u["status"] for u in librarian.of_type("session_update")] == []
    expect(page.get_by_role("status")).to_have_text("You are chatting with Librarian.")
