"""Librarians working together in headless Chromium: an admin watches the live All tab and
joins a chat from it; a librarian transfers a chat to a colleague, who declines one offer and
accepts another from the offer on their own monitor."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.monitor_pages import accept, sign_in
from tests.browser.support import axe_violations, screenshot


def _monitor(new_page, scenario, email: str):
    page = new_page()
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, email)
    return page


def _all_row(page, question: str):
    return page.locator("#all-body tr").filter(has_text=question)


def test_an_admin_watches_the_live_all_tab_and_joins_a_chat_from_it(scenario, new_page):
    admin = _monitor(new_page, scenario, scenario.admin)
    admin.get_by_role("tab", name=re.compile("^All")).click()

    # Live: a request appears as it is made, and follows its chat without a reload.
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat("Where are the <b>theses</b>?", name="Pat")
    session_id = requested["session_id"]
    row = _all_row(admin, "Where are the <b>theses</b>?")
    expect(row).to_contain_text("Waiting")
    expect(row).to_contain_text("accept it in New")
    assert librarian.call("accept", session_id=session_id)["type"] == "accepted"
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("Librarian")
    librarian.call("note", session_id=session_id, text="Thesis room is closed today")
    assert axe_violations(admin) == []

    # Join: the chat opens in My Active with its notes; the patron and librarian are told.
    row.get_by_role("button", name="Join the chat with Pat").click()
    pane = admin.get_by_role("region", name="Chat with Pat")
    expect(pane).to_be_visible()
    log = pane.get_by_role("log", name="Transcript")
    expect(log).to_contain_text("Admin joined the chat.")
    expect(log).to_contain_text("Thesis room is closed today")
    expect(pane).to_contain_text("Librarians: Librarian (with Admin)")
    expect(pane.get_by_role("button", name="End chat")).to_be_hidden()
    expect(pane.get_by_role("button", name="Transfer…")).to_be_hidden()
    assert patron.wait_type("message", kind="system", text="Admin joined the chat.")
    assert librarian.wait_type("session_update")["librarians"][1]["email"] == scenario.admin

    pane.get_by_label("Message").fill("I know where the theses went.")
    pane.get_by_role("button", name="Send").click()
    assert patron.wait_type("message", text="I know where the theses went.")["from"]["name"] == "Admin"
    assert axe_violations(admin) == []
    screenshot(admin, "monitor-joined")

    # Back on the All tab the row opens the chat instead of joining it again.
    admin.get_by_role("tab", name=re.compile("^All")).click()
    row.get_by_role("button", name="Open the chat with Pat").click()
    expect(pane).to_be_visible()

    # Leave: the chat goes on with its librarian.
    pane.get_by_role("button", name="Leave chat").click()
    expect(admin.get_by_role("region", name="Chat with Pat")).to_have_count(0)
    assert librarian.wait_type("message", kind="system", text="Admin left the chat.")

    # Ended elsewhere: the row goes from the All tab at once.
    admin.get_by_role("tab", name=re.compile("^All")).click()
    expect(row.get_by_role("button", name="Join the chat with Pat")).to_be_visible()
    librarian.call("end_chat", session_id=session_id)
    expect(row).to_have_count(0)
    expect(admin.get_by_role("tab", name="All (0)")).to_be_visible()
    assert admin.console_errors == []


def test_a_librarian_transfers_a_chat_to_a_colleague_who_accepts_the_offer(scenario, new_page):
    colleague = _monitor(new_page, scenario, scenario.admin)
    page = _monitor(new_page, scenario, scenario.librarian)
    patron, _requested = scenario.chat("Can I get this by interlibrary loan?", name="Pat")
    pane = accept(page, "Pat")

    # First offer: declined. The chat stays, and the librarian is told plainly.
    pane.get_by_role("button", name="Transfer…").click()
    dialog = page.get_by_role("dialog", name="Transfer the chat")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Can I get this by interlibrary loan?")
    assert axe_violations(page) == []
    dialog.get_by_label("Transfer to").select_option(f"librarian:{scenario.admin}")
    dialog.get_by_role("button", name="Transfer").click()
    expect(dialog).to_be_hidden()
    expect(pane.get_by_role("status").filter(has_text="Offered to Admin")).to_be_visible()
    offers = colleague.get_by_role("region", name="Chats offered to you")
    expect(offers).to_contain_text("Librarian offers you the chat with Pat")
    offers.get_by_role("button", name="Decline").click()
    expect(offers).to_be_hidden()
    expect(pane).to_contain_text("Admin declined the chat; it is still yours.")

    # Second offer, with a note: accepted from the offer.
    pane.get_by_role("button", name="Transfer…").click()
    dialog.get_by_label("Transfer to").select_option(f"librarian:{scenario.admin}")
    dialog.get_by_label(re.compile("^Note for the next librarian")).fill("Needs <i>ILL</i> form")
    dialog.get_by_role("button", name="Transfer").click()
    expect(offers).to_contain_text("Note: Needs <i>ILL</i> form")
    assert axe_violations(colleague) == []
    screenshot(colleague, "monitor-transfer-offer")
    offers.get_by_role("button", name="Accept").click()

    taken = colleague.get_by_role("region", name="Chat with Pat")
    expect(taken).to_be_visible()
    log = taken.get_by_role("log", name="Transcript")
    expect(log).to_contain_text("Transfer note from Librarian: Needs <i>ILL</i> form")
    expect(log).to_contain_text("Can I get this by interlibrary loan?")
    assert log.locator("i").count() == 0
    expect(page.get_by_role("region", name="Chat with Pat")).to_have_count(0)
    expect(page.get_by_text("Admin took over the chat with Pat.")).to_be_visible()
    update = patron.wait(
        lambda f: f.get("type") == "session_update" and (f.get("librarian") or {}).get("name") == "Admin"
    )
    assert "email" not in update["librarian"]

    taken.get_by_label("Message").fill("Hello, I'll take it from here.")
    taken.get_by_role("button", name="Send").click()
    assert patron.wait_type("message", text="Hello, I'll take it from here.")["from"]["name"] == "Admin"
    assert page.console_errors == [] and colleague.console_errors == []


def test_a_chat_passed_to_a_partner_queue_leaves_my_active(scenario, new_page):
    page = _monitor(new_page, scenario, scenario.librarian)
    partner = scenario.monitoring(scenario.partner_librarian)
    _patron, requested = scenario.chat("Do partners hold the map collection?", name="Pat")
    pane = accept(page, "Pat")
    pane.get_by_role("button", name="Transfer…").click()
    dialog = page.get_by_role("dialog", name="Transfer the chat")
    dialog.get_by_label("Transfer to").select_option(f"library:{scenario.partner}")
    dialog.get_by_role("button", name="Transfer").click()
    expect(page.get_by_role("region", name="Chat with Pat")).to_have_count(0)
    expect(page.get_by_text(re.compile("You passed the chat with Pat to the .* queue"))).to_be_visible()
    assert partner.wait_type("queue_update", op="added")["session"]["session_id"] == requested["session_id"]


def test_the_cooperative_desk_at_a_glance(scenario, new_page):
    """A home librarian's monitor with everything the cooperative brings at once: a partner's
    patron offered to them, their own library's request, a colleague's IM and a chat offered
    by a colleague. (The README's screenshot of the cooperative desk.)"""
    page = _monitor(new_page, scenario, scenario.librarian)

    # Nobody at the partner library is monitoring: its patron's request comes to us at once.
    partner_patron = scenario.connect()
    partner_patron.call(
        "request_chat", library=scenario.partner, question="¿Tienen libros en español?", name="Ana"
    )
    _patron, _ = scenario.chat("Is the archive open on Saturday?", name="Sam")
    ana = page.locator("#new-list li").filter(has_text="Ana")
    expect(ana).to_contain_text("A patron of Partner Library, a partner library")
    expect(page.locator("#new-list li").filter(has_text="Sam")).not_to_contain_text("partner library")

    partner = scenario.monitoring(scenario.partner_librarian)
    partner.call("im", librarian=scenario.librarian, text="Could you take Ana? I'm on the phone.")
    admin = scenario.monitoring(scenario.admin)
    _, asked = scenario.chat("Can I book a study room?", name="Lee")
    admin.call("accept", session_id=asked["session_id"])
    admin.call(
        "transfer", session_id=asked["session_id"], librarian=scenario.librarian, note="Rooms are yours"
    )
    expect(page.get_by_role("region", name="Chats offered to you")).to_contain_text(
        "Admin offers you the chat with Lee"
    )
    expect(page.get_by_role("button", name=re.compile("^Partner Librarian.*1 unread"))).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "monitor-cooperative")
