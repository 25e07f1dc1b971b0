"""The cooperative desk as the people using it see it, in headless Chromium: a patron's place in
line and a partner library's greeting, a request nobody took turning into the follow-up form
inside the widget's small panel, and the monitor's "Served for partners" questions. The other
side of each is a raw WebSocket client."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from chalicelib import clock
from devstack.client import http
from tests.browser.monitor_pages import sign_in
from tests.browser.support import axe_violations, screenshot

CONNECTING = "Connecting you to a librarian… "
PARTNER_GREETING = "A librarian from Partner Library, a partner of your library, is helping you."


def start_chat(ui, question: str, name: str = "") -> None:
    form = ui.get_by_role("region", name="Start a chat")
    expect(form.get_by_role("button", name="Start chat")).to_be_visible()
    if name:
        form.get_by_label("Name").fill(name)
    form.get_by_label("Your question").fill(question)
    form.get_by_role("button", name="Start chat").click()


def open_widget_for(page, base: str, library: str):
    """The demo page with its one-tag widget pointed at `library`, opened: the chat window in
    the panel's frame, at the size patrons get on a library's site."""
    page.goto(f"{base}/demo/")
    page.evaluate(
        """library => { document.querySelectorAll('.refdesk-launcher, .refdesk-panel').forEach(n => n.remove());
            const tag = document.createElement('script');
            tag.src = '/widget/qwidget.js'; tag.dataset.library = library; document.body.append(tag); }""",
        library,
    )
    page.get_by_role("button", name="Chat with a librarian").click()
    return page.frame_locator("iframe[title='Chat with a librarian']")


def added(librarian, question: str) -> dict:
    """The request with this question, as offered to the librarian."""
    return librarian.wait(lambda f: f.get("op") == "added" and f["session"]["question"] == question)[
        "session"
    ]


def test_place_in_line_is_said_in_ordinal_english(scenario, new_page):
    page = new_page()
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    said = page.evaluate(
        """async () => {
            const { placeInLine } = await import('/widget/queue-position.js');
            return Object.fromEntries([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112, 0, null]
                .map(n => [String(n), placeInLine(n)]));
        }"""
    )
    assert said == {
        "1": "You are next in line.",
        "2": "You are 2nd in line.",
        "3": "You are 3rd in line.",
        "4": "You are 4th in line.",
        "11": "You are 11th in line.",
        "12": "You are 12th in line.",
        "13": "You are 13th in line.",
        "21": "You are 21st in line.",
        "22": "You are 22nd in line.",
        "23": "You are 23rd in line.",
        "101": "You are 101st in line.",
        "111": "You are 111th in line.",
        "112": "You are 112th in line.",
        "0": "",
        "null": "",
    }


def test_a_patron_sees_their_place_in_line_fall_and_then_a_partner_librarians_greeting(scenario, new_page):
    # Nobody of the home library is monitoring, so its requests go to the partners at once.
    partner = scenario.monitoring(scenario.partner_librarian)
    _, first = scenario.chat("First in line")
    _, second = scenario.chat("Second in line")
    page = new_page()
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start_chat(page, "Third in line: where are the parish registers?", name="Ola")
    status = page.get_by_role("status")
    expect(status).to_have_text(CONNECTING + "You are 3rd in line.")
    ours = added(partner, "Third in line: where are the parish registers?")

    # A request ahead is taken: the window hears its new place at once.
    assert partner.call("accept", session_id=first["session_id"])["type"] == "accepted"
    expect(status).to_have_text(CONNECTING + "You are 2nd in line.")
    expect(status).to_have_attribute("aria-live", "polite")
    screenshot(page, "patron-second-in-line")
    assert axe_violations(page) == []

    # After a reload the resumed chat learns its place again from the server, not from the page.
    page.reload()
    expect(status).to_have_text(CONNECTING + "You are 2nd in line.")
    assert partner.call("accept", session_id=second["session_id"])["type"] == "accepted"
    expect(status).to_have_text(CONNECTING + "You are next in line.")

    # The partner librarian takes it: the patron is told who is helping, and from where.
    assert partner.call("accept", session_id=ours["session_id"])["type"] == "accepted"
    expect(status).to_have_text("You are chatting with Partner Librarian.")
    log = page.get_by_role("log", name="Conversation")
    greeting = log.locator(".msg-system").filter(has_text=PARTNER_GREETING)
    expect(greeting).to_be_visible()
    partner.call("send_message", session_id=ours["session_id"], text="Our partner holds them; let me look.")
    expect(log).to_contain_text("Our partner holds them; let me look.")
    expect(greeting).to_be_visible()
    assert page.console_errors == []


def test_a_request_nobody_takes_becomes_the_follow_up_form_in_view_in_the_widget(scenario, new_page):
    librarian = scenario.monitoring(scenario.librarian)  # offered it, never takes it
    page = new_page()
    ui = open_widget_for(page, scenario.stack.base, scenario.home)
    question = "Can someone find the 1890 ferry timetable?"
    start_chat(ui, question, name="Noor")
    expect(ui.get_by_role("status")).to_have_text(CONNECTING + "You are next in line.")
    request = added(librarian, question)
    # A second patron, who gave an e-mail address, on the chat page at the panel's size.
    other = new_page()
    other.set_viewport_size({"width": 400, "height": 570})
    other.goto(f"{scenario.stack.base}/chat/{scenario.home}?embed=1")
    other_form = other.get_by_role("region", name="Start a chat")
    other_form.get_by_label("E-mail").fill(scenario.email("kai"))
    start_chat(other, "Is there a bus to the branch library?")
    expect(other.get_by_role("status")).to_have_text(CONNECTING + "You are 2nd in line.")
    later = added(librarian, "Is there a bus to the branch library?")

    give_up_after_s = 600  # the library's default
    at = clock.iso(clock.parse(later["created_at"]) + timedelta(seconds=give_up_after_s + 1))
    scenario.stack.run_job("escalate_waiting", at)

    ended = ui.get_by_role("region", name="Chat ended")
    expect(ended).to_contain_text("No librarian was free to take your chat")
    expect(ui.get_by_role("status")).to_contain_text("Chat ended")
    expect(ui.get_by_role("log", name="Conversation")).to_contain_text(
        "We are sorry: no librarian was free to take your chat."
    )
    form = ui.get_by_role("region", name="Leave a question")
    expect(form).to_contain_text("Leave your question below and a librarian will answer by e-mail.")
    email = form.get_by_label("E-mail")
    expect(email).to_be_focused()  # nothing was given: the address is what is left to do
    expect(email).to_be_in_viewport()
    expect(form.get_by_label("Your question")).to_have_value(question)
    expect(form.get_by_label("Name")).to_have_value("Noor")
    expect(ui.get_by_label("Your message")).to_be_hidden()
    screenshot(page, "widget-unanswered-follow-up")
    assert axe_violations(page) == []

    email.fill(scenario.email("noor"))
    send = form.get_by_role("button", name="Send question")
    expect(send).to_be_in_viewport()
    send.click()
    expect(ui.get_by_role("heading", name="Thank you")).to_be_focused()
    status, listed = http(
        "GET", f"{scenario.stack.base}/api/questions", token=scenario.stack.login(scenario.librarian)
    )
    assert status == 200
    tickets = [q for q in listed["questions"] if q["source"] == "ticket"]
    assert [(q["session_id"], q["question"], q["status"]) for q in tickets] == [
        (request["session_id"], question, "open")
    ]
    assert page.console_errors == []

    # With the address given, the form is ready to send: the keyboard is on Send, in view.
    other_leave = other.get_by_role("region", name="Leave a question")
    expect(other_leave.get_by_label("E-mail")).to_have_value(scenario.email("kai"))
    send = other_leave.get_by_role("button", name="Send question")
    expect(send).to_be_focused()
    expect(send).to_be_in_viewport()
    # Nobody took it, so nothing is mailed and no copy is promised (docs/abuse.md).
    expect(other.get_by_role("region", name="Chat ended")).to_contain_text("No librarian was free")
    expect(other.get_by_role("region", name="Chat ended")).not_to_contain_text("on its way to your e-mail")
    screenshot(other, "chat-page-embedded-unanswered")
    assert other.console_errors == []


def test_the_questions_tab_lists_what_a_librarian_served_for_partners(scenario, new_page):
    partner = scenario.monitoring(scenario.partner_librarian)
    _, requested = scenario.chat("Do you have the county's tithe maps?", name="Ines")
    session_id = requested["session_id"]
    assert partner.call("accept", session_id=session_id)["type"] == "accepted"
    partner.call("send_message", session_id=session_id, text="They are at the county archive.")
    partner.call("end_chat", session_id=session_id)
    partner.wait_type("session_update", status="ended")

    page = new_page()
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, scenario.partner_librarian)
    page.get_by_role("tab", name="Questions").click()
    panel = page.get_by_role("tabpanel", name="Questions")
    expect(panel.get_by_role("list", name="Your library's questions")).to_be_attached()
    expect(panel.get_by_text("No questions match.")).to_be_visible()  # the partner's own list

    panel.get_by_label("Show").select_option(label="Served for partners")
    served = panel.get_by_role("list", name="Questions your library served for partners")
    row = served.get_by_role("button").filter(has_text="Do you have the county's tithe maps?")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Ines")
    expect(row).to_contain_text("Patron of Home Library")
    expect(panel.get_by_role("heading", name="Questions your library served for partners")).to_be_visible()

    row.click()
    detail = panel.get_by_role("region", name="Question from Ines")
    expect(detail.get_by_role("heading", name="Question from Ines")).to_be_focused()
    expect(detail.locator(".detail-question")).to_have_text("Do you have the county's tithe maps?")
    facts = detail.locator(".facts")
    expect(facts).to_contain_text("Patron's libraryHome Library")
    expect(facts).to_contain_text("Served byPartner Library")
    expect(detail.locator(".question-transcript")).to_contain_text("They are at the county archive.")
    # Following it up works as for the library's own questions.
    detail.get_by_label("Note", exact=True).fill("Sent the archive's address too.")
    detail.get_by_role("button", name="Add note").click()
    expect(detail.get_by_role("status")).to_have_text("Note added.")
    expect(detail.locator(".activity")).to_contain_text("Sent the archive's address too.")
    assert axe_violations(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "monitor-served-for-partners")

    panel.get_by_label("Show").select_option(label="Our library's questions")
    expect(panel.get_by_role("list", name="Your library's questions")).to_be_attached()
    expect(panel.get_by_text("No questions match.")).to_be_visible()
    assert page.console_errors == []
