"""The patron's window under the abuse limits (docs/abuse.md): messages sent faster than the
chat's pace are said to be held, kept and sent when the service takes them again, none lost;
and a copy of the conversation is promised only for a chat a librarian took."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.browser.test_widget import accept_next, start_chat
from tests.test_abuse import rate_limit  # imported at first use, as the settings require


def test_messages_sent_too_fast_are_held_said_so_and_all_sent_in_order(scenario, new_page):
    librarian = scenario.monitoring(scenario.librarian)
    page = new_page()
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start_chat(page, "Can I paste my reading list?", name="Lee")
    accept_next(librarian)
    expect(page.get_by_role("status")).to_have_text("You are chatting with Librarian.")

    count = rate_limit.PATRON_MESSAGES.burst + 8
    page.evaluate(
        """count => {
            const box = document.getElementById('message');
            for (let i = 0; i < count; i++) {
                box.value = 'line ' + i;
                document.getElementById('composer').requestSubmit();
            }
        }""",
        count,
    )
    alert = page.locator("#composer-error")
    expect(alert).to_contain_text("faster than a librarian can read them")
    expect(alert).to_contain_text("Your message is kept and will be sent then.")

    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        got = [f["text"] for f in librarian.of_type("message") if f["text"].startswith("line ")]
        if len(got) >= count:
            break
        time.sleep(0.2)
    assert got == [f"line {i}" for i in range(count)]  # every one, once, in order
    expect(page.get_by_role("log", name="Conversation")).to_contain_text(f"line {count - 1}")
    expect(alert).to_have_text("")
    assert page.console_errors == []


def test_no_copy_is_promised_for_a_chat_no_librarian_took(scenario, new_page):
    scenario.monitoring(scenario.librarian)
    page = new_page()
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start_chat(page, "Never mind", email=scenario.email("early"))
    expect(page.get_by_role("status")).to_contain_text("Connecting you to a librarian")
    page.get_by_role("button", name="End chat").click()
    confirm = page.locator("#end-confirm-yes")  # ending may ask first ("End this chat?")
    page.wait_for_timeout(300)
    if confirm.is_visible():
        confirm.click()
    ended = page.get_by_role("region", name="Chat ended")
    expect(ended).to_contain_text("You ended the chat")
    expect(ended).not_to_contain_text("on its way to your e-mail")
