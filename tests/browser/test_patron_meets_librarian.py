"""Both real UIs at once: a patron in the widget on a library's page and a librarian in the chat
monitor, each in their own browser context, complete a chat end to end."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.monitor_pages import sign_in
from tests.browser.support import axe_violations, screenshot


def both_sides(scenario, new_page, question: str, **patron: str):
    """A librarian signed in to the monitor and a patron who has just asked on the chat page."""
    librarian = new_page()
    librarian.goto(f"{scenario.stack.base}/monitor/")
    sign_in(librarian, scenario.librarian)
    page = new_page()
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start = page.get_by_role("region", name="Start a chat")
    for label, value in patron.items():
        start.get_by_label(label).fill(value)
    start.get_by_label("Your question").fill(question)
    start.get_by_role("button", name="Start chat").click()
    return librarian, page


def test_a_patron_and_a_librarian_complete_a_chat_through_the_pages(scenario, new_page):
    librarian, patron = both_sides(
        scenario, new_page, "Do you lend telescopes?", Name="Robin", **{"E-mail": scenario.email("robin")}
    )
    expect(patron.get_by_role("status")).to_contain_text("Connecting you to a librarian")

    request = librarian.locator("#new-list li").filter(has_text="Do you lend telescopes?")
    expect(librarian.get_by_role("tab", name="New (1)")).to_be_visible()
    request.get_by_role("button", name="Accept").click()
    pane = librarian.get_by_role("region", name="Chat with Robin")
    expect(pane.get_by_role("log", name="Transcript")).to_contain_text("Do you lend telescopes?")
    expect(patron.get_by_role("status")).to_have_text("You are chatting with Librarian.")

    patron_log = patron.get_by_role("log", name="Conversation")
    librarian_log = pane.get_by_role("log", name="Transcript")
    pane.get_by_label("Message").fill("Yes! Two of them, for a week at a time.")
    pane.get_by_role("button", name="Send").click()
    expect(patron_log).to_contain_text("Yes! Two of them, for a week at a time.")

    patron.get_by_label("Your message").fill("How do I reserve one?")
    patron.get_by_label("Your message").press("Enter")
    expect(librarian_log).to_contain_text("How do I reserve one?")

    pane.get_by_label("URL to push").fill("https://library.example/telescopes")
    pane.get_by_role("button", name="Push URL").click()
    expect(patron_log.get_by_role("link", name="https://library.example/telescopes")).to_be_visible()

    pane.get_by_label("Librarian note").fill("Check the waiting list first")
    pane.get_by_role("button", name="Add note").click()
    expect(librarian_log.locator(".msg-note")).to_contain_text("Librarian note")
    expect(librarian_log.locator(".msg-note")).to_contain_text("Check the waiting list first")

    pane.get_by_label("Message").fill("Reserve it from your account page.")
    pane.get_by_role("button", name="Send").click()
    expect(patron_log).to_contain_text("Reserve it from your account page.")
    expect(patron_log).not_to_contain_text("Check the waiting list first")

    screenshot(patron, "patron-mid-chat")
    screenshot(librarian, "librarian-mid-chat")
    assert axe_violations(librarian) == []

    pane.get_by_role("button", name="End chat").click()
    expect(pane.locator(".pane-status")).to_contain_text("ended by you")
    expect(patron.get_by_role("region", name="Chat ended")).to_contain_text("Librarian ended the chat")
    (mail,) = scenario.stack.mails_to(scenario.email("robin"))
    assert "Reserve it from your account page." in mail["text"]
    assert "waiting list" not in mail["text"] + mail["html"]
    assert patron.console_errors == [] and librarian.console_errors == []


HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">'
HOSTILE_TEXT = '<script>window.__pwned=2</script><img src=y onerror="window.__pwned=3">'


def test_hostile_text_from_either_side_runs_in_neither_ui(scenario, new_page):
    librarian, patron = both_sides(scenario, new_page, HOSTILE_TEXT, Name=HOSTILE_NAME)

    request = librarian.locator("#new-list li").filter(has_text=HOSTILE_TEXT)
    expect(request).to_contain_text(HOSTILE_NAME)
    request.get_by_role("button", name="Accept").click()
    pane = librarian.get_by_role("region", name=f"Chat with {HOSTILE_NAME}")
    pane.get_by_label("Message").fill(HOSTILE_TEXT)
    pane.get_by_role("button", name="Send").click()
    patron.get_by_label("Your message").fill(HOSTILE_TEXT)
    patron.get_by_label("Your message").press("Enter")

    expect(patron.get_by_role("log").get_by_text(HOSTILE_TEXT)).to_have_count(3)
    expect(pane.get_by_role("log").get_by_text(HOSTILE_TEXT)).to_have_count(3)
    for page in (patron, librarian):
        expect(page.locator("main img, main script, .msg img")).to_have_count(0)
        assert page.evaluate("window.__pwned") is None
        assert page.dialogs == [] and page.console_errors == []
