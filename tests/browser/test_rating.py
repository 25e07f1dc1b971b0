"""The patron rates a chat in the chat window: once a chat a librarian took has ended, "How
helpful was this chat?" (five radio buttons, an optional comment, Send rating, Skip), asked
once. The librarian is a raw WebSocket client; the rating reaches the question's detail."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from chalicelib import clock
from devstack.client import http
from tests.browser.support import axe_violations, screenshot

PHONE = {"width": 375, "height": 667}
QUESTION = "How helpful was this chat?"
THANKS = "Thank you for your feedback."
COMMENT = "Anything you would like to tell us? (optional)"
HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def start_chat(page: Any, base: str, library: str, question: str, email: str = "") -> None:
    page.goto(f"{base}/chat/{library}")
    form = page.get_by_role("region", name="Start a chat")
    if email:
        form.get_by_label("E-mail").fill(email)
    form.get_by_label("Your question").fill(question)
    form.get_by_role("button", name="Start chat").click()
    expect(page.get_by_role("status")).to_contain_text("Connecting you to a librarian")


def ended_chat(
    scenario: Any, page: Any, question: str, email: str = "", by_patron: bool = False
) -> tuple[Any, str]:
    """A chat the patron on `page` asked and a librarian took and answered; then the librarian
    (or, `by_patron`, the patron) ends it."""
    librarian = scenario.monitoring(scenario.librarian)
    start_chat(page, scenario.stack.base, scenario.home, question, email)
    session_id = librarian.wait_type("queue_update", op="added")["session"]["session_id"]
    assert librarian.call("accept", session_id=session_id)["type"] == "accepted"
    expect(page.get_by_role("status")).to_have_text("You are chatting with Librarian.")
    librarian.call("send_message", session_id=session_id, text="The map room is on the top floor.")
    expect(page.get_by_role("log", name="Conversation")).to_contain_text("The map room is on the top floor.")
    if by_patron:
        end_chat(page)
    else:
        librarian.call("end_chat", session_id=session_id)
        expect(page.get_by_role("region", name="Chat ended")).to_contain_text("Librarian ended the chat")
    return librarian, session_id


def end_chat(page: Any) -> None:
    """The patron ends the chat from the header (it asks first)."""
    page.get_by_role("button", name="End chat").click()
    page.get_by_role("group", name="End this chat?").get_by_role("button", name="End chat").click()
    expect(page.get_by_role("region", name="Chat ended")).to_contain_text("You ended the chat")


def rating_form(page: Any) -> Any:
    return page.get_by_role("group", name=QUESTION)


def thanks(page: Any) -> Any:
    return page.get_by_role("status").filter(has_text=THANKS)


def question_detail(scenario: Any, session_id: str) -> dict:
    token = scenario.stack.login(scenario.librarian)
    status, detail = http("GET", f"{scenario.stack.base}/api/questions/{session_id}", token=token)
    assert status == 200, detail
    return detail


def reload_ended(page: Any) -> Any:
    """Reload the ended chat; returns the ended notice once the resumed chat shows it (the
    rating is asked, or not, in the same step)."""
    page.reload()
    ended = page.get_by_role("region", name="Chat ended")
    expect(ended).to_contain_text("Librarian ended the chat")
    expect(page.get_by_role("region", name="Leave a question")).to_be_visible()  # a resumed ended chat
    return ended


def test_a_patron_rates_a_chat_by_keyboard_and_is_not_asked_again(scenario, new_page):
    page = new_page(viewport=PHONE)
    email = scenario.email("lee")
    _, session_id = ended_chat(scenario, page, "Where are the old county maps?", email)
    ended = page.get_by_role("region", name="Chat ended")
    group = rating_form(page)
    expect(group).to_be_visible()
    # The notice keeps the keyboard (the message box went); the e-mail line stays in view.
    expect(ended.get_by_role("heading", name="Chat ended")).to_be_focused()
    expect(ended).to_be_in_viewport(ratio=1)
    expect(ended).to_contain_text(f"A copy of the conversation is on its way to your e-mail, {email}.")
    expect(page.get_by_role("button", name="Send rating")).to_be_in_viewport(ratio=1)
    expect(group.get_by_role("radio")).to_have_count(5)
    for name in ("1 Not at all helpful", "5 Very helpful"):
        expect(group.get_by_role("radio", name=name, exact=True)).to_be_visible()
    comment = page.get_by_label(COMMENT)
    expect(comment).to_have_attribute("maxlength", "1000")
    screenshot(page, "chat-page-rating")
    assert axe_violations(page) == []

    # By keyboard alone: past "Start a new chat" into the group, the arrows to 4, the comment, Send.
    page.keyboard.press("Tab")
    expect(ended.get_by_role("button", name="Start a new chat")).to_be_focused()
    page.keyboard.press("Tab")
    first = group.get_by_role("radio", name="1 Not at all helpful", exact=True)
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    four = group.get_by_role("radio", name="4 Mostly helpful", exact=True)
    expect(four).to_be_focused()
    expect(four).to_be_checked()
    page.keyboard.press("Tab")
    expect(comment).to_be_focused()
    page.keyboard.type("Found the maps, thank you.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send rating")).to_be_focused()
    page.keyboard.press("Enter")

    expect(thanks(page)).to_be_visible()
    expect(group).to_have_count(0)
    expect(page.get_by_role("button", name="Skip")).to_be_hidden()
    expect(ended.get_by_role("heading", name="Chat ended")).to_be_focused()
    screenshot(page, "chat-page-rated")
    assert axe_violations(page) == []

    detail = question_detail(scenario, session_id)
    assert detail.get("rating") == 4, detail
    assert detail.get("rating_comment") == "Found the maps, thank you.", detail

    reload_ended(page)
    expect(rating_form(page)).to_have_count(0)
    expect(thanks(page)).to_have_count(0)
    assert page.console_errors == []


def test_skip_puts_the_question_away_for_good(scenario, new_page):
    page = new_page()
    _, session_id = ended_chat(scenario, page, "Do you have the 1911 census?")
    group = rating_form(page)
    expect(group).to_be_visible()
    skip = page.get_by_role("button", name="Skip")
    skip.focus()
    page.keyboard.press("Enter")
    expect(group).to_have_count(0)
    expect(skip).to_be_hidden()
    expect(thanks(page)).to_have_count(0)  # quietly
    expect(page.get_by_role("heading", name="Chat ended")).to_be_focused()

    reload_ended(page)
    expect(rating_form(page)).to_have_count(0)
    assert question_detail(scenario, session_id).get("rating") is None
    assert page.console_errors == []


def test_a_reload_of_an_ended_chat_not_yet_rated_asks_again_and_takes_the_rating(scenario, new_page):
    page = new_page(viewport=PHONE)
    _, session_id = ended_chat(scenario, page, "Can I renew a loan by phone?")
    expect(rating_form(page)).to_be_visible()

    ended = reload_ended(page)
    group = rating_form(page)
    expect(group).to_be_visible()
    # The follow-up form a resumed ended chat offers comes first and keeps the keyboard.
    leave = page.get_by_role("region", name="Leave a question")
    expect(leave.get_by_label("E-mail")).to_be_focused()
    for part in (ended.get_by_role("heading", name="Chat ended"), leave.get_by_label("E-mail")):
        expect(part).to_be_in_viewport(ratio=1)
    expect(leave.get_by_role("button", name="Send question")).to_be_in_viewport()
    assert axe_violations(page) == []

    group.get_by_text("Partly helpful").click()  # the words are the radio's label
    expect(group.get_by_role("radio", name="3 Partly helpful", exact=True)).to_be_checked()
    send = page.get_by_role("button", name="Send rating")
    send.click()
    expect(thanks(page)).to_be_visible()
    expect(group).to_have_count(0)
    screenshot(page, "chat-page-rated-after-reload")
    detail = question_detail(scenario, session_id)
    assert detail.get("rating") == 3, detail
    assert not detail.get("rating_comment"), detail

    reload_ended(page)
    expect(rating_form(page)).to_have_count(0)
    assert page.console_errors == []


def test_a_hostile_comment_is_sent_as_text_and_nothing_runs(scenario, new_page):
    page = new_page()
    _, session_id = ended_chat(scenario, page, "Is there a quiet room?", by_patron=True)
    group = rating_form(page)
    expect(page.get_by_role("heading", name="Chat ended")).to_be_focused()  # not the form
    group.get_by_role("radio", name="5 Very helpful", exact=True).check()
    page.get_by_label(COMMENT).fill(HOSTILE)
    page.get_by_role("button", name="Send rating").click()
    expect(thanks(page)).to_have_text(THANKS)
    expect(page.locator("main img, main script")).to_have_count(0)
    assert question_detail(scenario, session_id).get("rating_comment") == HOSTILE
    assert page.dialogs == []
    assert page.console_errors == []


def test_a_refused_rating_says_why_beside_the_form_and_keeps_it(scenario, new_page):
    """The server's refusal (here `rate_limited`, put in by the test on the page's socket) is
    shown as an alert; the choice and comment stay, and sending again works."""
    page = new_page()
    refusals = {"left": 1}

    def route(ws: Any) -> None:
        server = ws.connect_to_server()

        def from_page(message: str | bytes) -> None:
            frame = json.loads(message)
            if frame.get("action") == "rate" and refusals["left"]:
                refusals["left"] -= 1
                ws.send(
                    json.dumps(
                        {
                            "type": "error",
                            "ref": frame["ref"],
                            "code": "rate_limited",
                            "message": "Too many ratings from here; try again in a minute.",
                            "retry_after": 60,
                        }
                    )
                )
            else:
                server.send(message)

        ws.on_message(from_page)

    page.route_web_socket(re.compile(r"/ws(\?|$)"), route)
    _, session_id = ended_chat(scenario, page, "Do you lend e-readers?")
    group = rating_form(page)
    page.get_by_role("button", name="Send rating").click()  # nothing chosen yet
    alert = page.locator("#rating").get_by_role("alert")
    expect(alert).to_have_text("Choose how helpful the chat was, or Skip.")
    expect(group.get_by_role("radio", name="1 Not at all helpful", exact=True)).to_be_focused()

    group.get_by_role("radio", name="2 A little helpful", exact=True).check()
    page.get_by_label(COMMENT).fill("Slow to answer.")
    page.get_by_role("button", name="Send rating").click()
    expect(alert).to_have_text("Too many ratings from here; try again in a minute.")
    expect(page.get_by_role("button", name="Send rating")).to_be_focused()  # where it was
    expect(group.get_by_role("radio", name="2 A little helpful", exact=True)).to_be_checked()
    expect(page.get_by_label(COMMENT)).to_have_value("Slow to answer.")
    expect(thanks(page)).to_have_count(0)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Send rating").click()
    expect(thanks(page)).to_be_visible()
    expect(group).to_have_count(0)
    detail = question_detail(scenario, session_id)
    assert (detail.get("rating"), detail.get("rating_comment")) == (2, "Slow to answer."), detail
    assert page.console_errors == []


def test_chats_no_librarian_took_do_not_ask(scenario, new_page):
    librarian = scenario.monitoring(scenario.librarian)
    # The patron gives up while waiting: nobody joined.
    page = new_page()
    start_chat(page, scenario.stack.base, scenario.home, "Anyone there?")
    librarian.wait_type("queue_update", op="added")
    end_chat(page)
    expect(rating_form(page)).to_have_count(0)

    # Nobody takes the request before the library gives up on it: unanswered.
    other = new_page()
    start_chat(other, scenario.stack.base, scenario.home, "Is the archive open on Sundays?")
    waiting = librarian.wait(
        lambda f: f.get("op") == "added" and f["session"]["question"] == "Is the archive open on Sundays?"
    )["session"]
    at = clock.iso(clock.parse(waiting["created_at"]) + timedelta(seconds=600 + 1))  # the default give-up
    scenario.stack.run_job("escalate_waiting", at)
    expect(other.get_by_role("region", name="Chat ended")).to_contain_text("No librarian was free")
    expect(other.get_by_role("region", name="Leave a question")).to_be_visible()
    expect(rating_form(other)).to_have_count(0)
    # Taken, then handed back to the queue, and the patron leaves before anyone takes it again:
    # nobody has the chat, so nothing to rate (the server would refuse it too).
    third = new_page()
    start_chat(third, scenario.stack.base, scenario.home, "Can someone check my fines?")
    handed_back = librarian.wait(
        lambda f: f.get("op") == "added" and f["session"]["question"] == "Can someone check my fines?"
    )["session"]["session_id"]
    assert librarian.call("accept", session_id=handed_back)["type"] == "accepted"
    expect(third.get_by_role("status")).to_have_text("You are chatting with Librarian.")
    assert librarian.call("transfer", session_id=handed_back)["type"] == "ack"
    expect(third.get_by_role("status")).to_contain_text("Connecting you to a librarian")
    end_chat(third)
    expect(rating_form(third)).to_have_count(0)

    for patron in (page, other, third):
        patron.reload()
        expect(patron.get_by_role("region", name="Chat ended")).to_be_visible()
        expect(patron.get_by_role("region", name="Leave a question")).to_be_visible()
        expect(rating_form(patron)).to_have_count(0)
        assert patron.console_errors == []
