"""The monitor's wrap-up panel, Questions tab, admin code lists and log-out dialog in headless
Chromium against the local stack, with raw WebSocket patrons on the other side."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from devstack.client import http
from tests.browser.monitor_pages import accept, sign_in, signin_form
from tests.browser.support import axe_violations, screenshot


def open_monitor(new_page, scenario):
    page = new_page()
    page.goto(f"{scenario.stack.base}/monitor/")
    return page


def api(scenario, method: str, path: str, email: str, body=None):
    return http(method, f"{scenario.stack.base}/api{path}", body, token=scenario.stack.login(email))


def question(scenario, question_id: str, email: str) -> dict:
    status, body = api(scenario, "GET", f"/questions/{question_id}", email)
    assert status == 200, body
    return body


def test_wrap_up_codes_internal_note_and_ticket(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.librarian)
    patron, requested = scenario.chat("Where are the old maps?", name="Pat", email="pat@example.org")
    session_id = requested["session_id"]
    pane = accept(page, "Pat")

    # During the chat the wrap-up is a collapsed section; it opens when the chat ends.
    wrapup = pane.locator("details.wrapup")
    expect(wrapup).not_to_have_attribute("open", "")
    expect(pane.get_by_label("Resolution code")).to_be_hidden()
    pane.get_by_role("button", name="End chat").click()
    patron.wait_type("session_update", status="ended")
    expect(wrapup).to_have_attribute("open", "")
    resolution = pane.get_by_label("Resolution code")
    expect(resolution).to_be_focused()
    expect(resolution.locator("option", has_text="Follow-up by me")).to_have_count(1)

    # A resolution code and two descriptive codes, saved with set_codes.
    resolution.select_option("followup_by_me")
    pane.get_by_label("Genealogy and family history", exact=True).check()
    pane.get_by_label("Maps and GIS", exact=True).check()
    expect(pane.get_by_text("2 of 4 chosen")).to_be_visible()
    expect(pane.get_by_label("Add to analytics")).to_be_checked()
    pane.get_by_role("button", name="Save codes").click()
    expect(pane.get_by_role("status").filter(has_text="Codes saved")).to_be_visible()
    saved = question(scenario, session_id, scenario.librarian)
    assert (saved["status"], saved["resolution"], saved["descriptive"], saved["in_analytics"]) == (
        "pending",
        "followup_by_me",
        ["genealogy", "maps_gis"],
        True,
    )

    # Four at most: a fifth is refused, with a message.
    find = pane.get_by_label("Find a descriptive code")
    find.fill("history")
    expect(pane.get_by_label("Local history", exact=True)).to_be_visible()
    expect(pane.get_by_label("Fines and fees", exact=True)).to_be_hidden()
    pane.get_by_label("Local history", exact=True).check()
    find.fill("")
    pane.get_by_label("Archives and special collections", exact=True).check()
    fifth = pane.get_by_label("Catalog search", exact=True)
    fifth.click()
    expect(fifth).not_to_be_checked()
    expect(pane.get_by_role("alert").filter(has_text="up to 4 descriptive codes")).to_be_visible()
    expect(pane.get_by_text("4 of 4 chosen")).to_be_visible()
    pane.get_by_label("Add to analytics").uncheck()
    pane.get_by_role("button", name="Save codes").click()
    expect(pane.get_by_role("status").filter(has_text="Codes saved")).to_be_visible()
    saved = question(scenario, session_id, scenario.librarian)
    assert saved["descriptive"] == ["genealogy", "maps_gis", "local_history", "archives_special"]
    assert saved["in_analytics"] is False

    # An internal note: in the transcript, labelled; never sent to the patron.
    pane.get_by_label("Internal note").fill("Patron wants the 1901 plan; ask the archive.")
    pane.get_by_role("button", name="Save internal note").click()
    log = pane.get_by_role("log", name="Transcript")
    note = log.locator(".msg[data-seq]").filter(has_text="1901 plan")
    expect(note).to_contain_text("Librarian note")
    expect(pane.get_by_role("status").filter(has_text="Internal note saved")).to_be_visible()

    # A ticket for follow-up: its id is in the library's question list.
    pane.get_by_label("Ticket note (optional)").fill("Find the 1901 plan")
    pane.get_by_role("button", name="Create a ticket").click()
    created = pane.get_by_role("status").filter(has_text="Ticket created:")
    expect(created).to_be_visible()
    ticket_id = created.inner_text().split(":", 1)[1].strip()
    listed = api(scenario, "GET", "/questions", scenario.librarian)[1]["questions"]
    assert ticket_id in [q["question_id"] for q in listed]

    assert axe_violations(page) == []
    wrapup.scroll_into_view_if_needed()
    screenshot(page, "monitor-wrapup")
    assert "1901" not in str(patron.received)
    assert [m for m in patron.of_type("message") if m["kind"] == "note"] == []

    # The ticket opens in the Questions tab; the chat closes from the wrap-up.
    pane.get_by_role("button", name="Open the ticket").click()
    detail = page.get_by_role("region", name="Question from Pat")
    expect(detail.get_by_role("heading", name="Question from Pat")).to_be_focused()
    expect(detail).to_contain_text("Ticket")
    expect(detail).to_contain_text("Find the 1901 plan")
    page.get_by_role("tab", name=re.compile("^My Active")).click()
    pane.get_by_role("button", name="Close chat").click()
    expect(page.get_by_role("region", name="Chat with Pat")).to_have_count(0)
    assert page.console_errors == []


def test_questions_tab_acts_on_a_live_chat(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.librarian)
    scenario.connect().call(
        "submit_question", library=scenario.home, question="Older form question", email="f@example.org"
    )
    patron, _ = scenario.chat("Where is the map room?", name="Quinn", email="quinn@example.org")
    pane = accept(page, "Quinn")

    page.get_by_role("tab", name="Questions").click()
    panel = page.get_by_role("tabpanel", name="Questions")
    rows = panel.get_by_role("list", name="Your library's questions").get_by_role("button")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Where is the map room?")  # newest first
    row = rows.filter(has_text="Where is the map room?")
    for text in ("Live", "Quinn", "Chat"):
        expect(row).to_contain_text(text)
    expect(rows.filter(has_text="Older form question")).to_contain_text("Open")

    status = panel.get_by_label("Status", exact=True)
    status.select_option("closed")
    expect(panel.get_by_text("No questions match.")).to_be_visible()
    status.select_option("live")
    expect(rows).to_have_count(1)

    row.click()
    detail = panel.get_by_role("region", name="Question from Quinn")
    expect(detail.get_by_role("heading", name="Question from Quinn")).to_be_focused()
    expect(detail).to_contain_text("This chat is live. Actions here also appear in the live chat")
    transcript = detail.locator(".question-transcript")

    # An answer reaches the patron in the chat.
    detail.get_by_label("Answer", exact=True).fill("The map room is on floor 3.")
    detail.get_by_role("button", name="Send answer").click()
    answer = patron.wait_type("message", kind="answer")
    assert answer["text"] == "The map room is on floor 3."
    expect(detail.get_by_role("status")).to_have_text("Answer sent. It is in the live chat too.")
    expect(transcript.locator(".msg-answer")).to_contain_text("The map room is on floor 3.")
    expect(detail.locator(".activity")).to_contain_text("Answer by Librarian")

    # A note and a message to the chat's librarian: librarian notes in the chat.
    detail.get_by_label("Note", exact=True).fill("They also have atlases.")
    detail.get_by_role("button", name="Add note").click()
    expect(detail.get_by_role("status")).to_have_text("Note added. The chat's librarian sees it in the chat.")
    detail.get_by_label("Message to the chat's librarian").fill("Mention the atlases?")
    detail.get_by_role("button", name="Send to the chat's librarian").click()
    expect(detail.get_by_role("status")).to_have_text("Message sent to the chat's librarian.")
    notes = transcript.locator(".msg-note")
    expect(notes.filter(has_text="They also have atlases.")).to_contain_text("Librarian note")
    expect(notes.filter(has_text="Mention the atlases?")).to_have_count(1)

    # Close on a live chat: the chat goes on, a note says so, the status stays live.
    detail.get_by_role("button", name="Close question").click()
    expect(detail.get_by_role("status")).to_contain_text("the question stays live")
    expect(notes.filter(has_text="closed this question")).to_have_count(1)
    expect(detail.locator(".facts")).to_contain_text("Live")
    expect(row).to_contain_text("Live")
    assert question(scenario, _["session_id"], scenario.librarian)["status"] == "live"
    assert axe_violations(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "monitor-questions")

    # The librarian serving the chat saw the notes; the patron never did.
    page.get_by_role("tab", name=re.compile("^My Active")).click()
    log = pane.get_by_role("log", name="Transcript")
    expect(log.locator(".msg-note").filter(has_text="They also have atlases.")).to_have_count(1)
    expect(log.locator(".msg-answer")).to_contain_text("Answer from the question list")
    assert [m for m in patron.of_type("message") if m["kind"] == "note"] == []
    assert page.console_errors == []


def test_admin_customises_the_code_lists(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.admin)
    page.get_by_role("tab", name="Codes").click()
    panel = page.get_by_role("tabpanel", name="Codes")
    expect(panel.get_by_label("Code, resolution row 1", exact=True)).to_have_value("answered")
    expect(panel.get_by_label("Status, resolution row 2", exact=True)).to_have_value("pending")

    panel.get_by_role("button", name="Add resolution code").click()
    code = panel.get_by_label("Code, resolution row 8", exact=True)
    expect(code).to_be_focused()
    code.fill("Sent To Archive")
    panel.get_by_label("Label, resolution row 8", exact=True).fill("Sent to the archive")
    panel.get_by_label("Status, resolution row 8", exact=True).select_option("referred")
    panel.get_by_role("button", name="Remove resolution row 7").click()  # test_or_spam
    panel.get_by_role("button", name="Add descriptive code").click()
    panel.get_by_label("Code, descriptive row 59", exact=True).fill("zines")
    panel.get_by_label("Label, descriptive row 59", exact=True).fill("Zines")

    # The server's check is shown, on the control it names.
    panel.get_by_role("button", name="Save code lists").click()
    code = panel.get_by_label("Code, resolution row 7", exact=True)
    expect(panel.get_by_role("alert")).to_contain_text("Code, resolution row 7")
    expect(code).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    code.fill("sent_to_archive")
    panel.get_by_role("button", name="Save code lists").click()
    expect(panel.get_by_role("status").filter(has_text="Code lists saved")).to_be_visible()
    lists = api(scenario, "GET", f"/libraries/{scenario.home}/codes", scenario.librarian)[1]
    assert lists["resolution"][-1] == {
        "code": "sent_to_archive",
        "label": "Sent to the archive",
        "status": "referred",
    }
    assert "test_or_spam" not in [c["code"] for c in lists["resolution"]]
    assert lists["descriptive"][-1] == {"code": "zines", "label": "Zines"}

    # A new chat's wrap-up offers the custom codes.
    _, requested = scenario.chat("Do you collect zines?", name="Zed")
    pane = accept(page, "Zed")
    pane.get_by_text("Wrap-up", exact=True).click()
    resolution = pane.get_by_label("Resolution code")
    expect(resolution.locator("option", has_text="Sent to the archive")).to_have_count(1)
    resolution.select_option("sent_to_archive")
    pane.get_by_label("Zines", exact=True).check()
    pane.get_by_role("button", name="Save codes").click()
    expect(pane.get_by_role("status").filter(has_text="Codes saved")).to_be_visible()
    coded = question(scenario, requested["session_id"], scenario.admin)
    assert (coded["status"], coded["resolution"], coded["descriptive"]) == (
        "live",
        "sent_to_archive",
        ["zines"],
    )
    # Only the refused PUT, which the browser logs as a failed resource.
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []


def test_log_out_with_a_live_chat(scenario, new_page):
    page = open_monitor(new_page, scenario)
    sign_in(page, scenario.librarian)
    patron, requested = scenario.chat("Do you lend laptops?", name="Ann", email="ann@example.org")
    accept(page, "Ann")
    log_out = page.get_by_role("button", name="Log out")
    dialog = page.get_by_role("dialog", name="Log out with chats in progress?")

    # The dialog lists the live chat; Escape and Cancel keep everything.
    log_out.click()
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("listitem")).to_have_text("Ann: Do you lend laptops? (Active)")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(log_out).to_be_focused()
    log_out.click()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(log_out).to_be_focused()
    expect(page.get_by_role("region", name="Chat with Ann")).to_be_visible()
    assert patron.of_type("session_update")[-1]["status"] == "active"

    # Transfer: the chat goes back to the queue, the librarian to sign-in.
    log_out.click()
    dialog.get_by_role("button", name="Transfer them to the queue and log out").click()
    assert patron.wait_type("session_update", status="waiting")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="You have logged out")).to_have_text(
        "You have logged out. No chats were ended. 1 chat went back to the queue for another librarian."
    )
    assert page.evaluate("sessionStorage.getItem('refdesk:monitor:token')") is None

    # Back again, take the chat again, and end it by logging out.
    sign_in(page, scenario.librarian)
    accept(page, "Ann")
    log_out.click()
    dialog.get_by_role("button", name="End them and log out").click()
    ended = patron.wait_type("session_update", status="ended")
    assert ended["ended_by"] == "exit"
    expect(page.get_by_role("status").filter(has_text="You have logged out")).to_have_text(
        "You have logged out. 1 chat was ended."
    )
    expect(signin_form(page).get_by_label("E-mail")).to_be_focused()

    # Filed as answered and labelled in progress; with no live chats, Log out needs no dialog.
    sign_in(page, scenario.librarian)
    expect(page.get_by_role("tab", name="My Active (0)")).to_be_visible()
    page.get_by_role("tab", name="Questions").click()
    panel = page.get_by_role("tabpanel", name="Questions")
    panel.get_by_label("Label", exact=True).fill("in progress")
    panel.get_by_role("button", name="Apply filters").click()
    row = panel.get_by_role("list", name="Your library's questions").get_by_role("button")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text("Answered")
    log_out.click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="You have logged out")).to_have_text(
        "You have logged out. No chats were ended."
    )
    assert question(scenario, requested["session_id"], scenario.librarian)["labels"] == ["in_progress"]
    assert page.console_errors == []
