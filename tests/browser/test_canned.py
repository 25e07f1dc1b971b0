"""Canned messages in the monitor: an admin writes them in the Canned messages tab; a librarian
in a chat picks one by keyboard alone (the ARIA combobox pattern), edits it in the message box
and sends it to a raw-socket patron. Hostile text stays text; axe finds nothing in each state."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from devstack.client import http
from tests.browser.monitor_pages import accept, sign_in
from tests.browser.support import axe_violations, screenshot

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = "<script>alert(2)</script> & <b>not bold</b>"
GREETING = "Hello! I'll check on that for you shortly."
CHECK = "Let me check the catalogue; one moment please."


def monitor(new_page, scenario, email: str):
    page = new_page()
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, email)
    return page


def canned_of(scenario, library: str) -> list[dict]:
    token = scenario.stack.login(scenario.librarian)
    status, body = http("GET", f"{scenario.stack.base}/api/libraries/{library}/canned", token=token)
    assert status == 200, body
    return body["messages"]


def test_an_admin_writes_canned_messages_and_a_librarian_picks_one_by_keyboard(scenario, new_page):
    # --- the admin's Canned messages tab ---------------------------------------------------------
    admin = monitor(new_page, scenario, scenario.admin)
    tab = admin.get_by_role("tab", name="Canned messages")
    tab.click()
    editor = admin.get_by_role("tabpanel", name="Canned messages")
    expect(editor.get_by_text("No canned messages yet")).to_be_visible()
    add = editor.get_by_role("button", name="Add canned message")
    for title, text in (("Greeting", GREETING), (HOSTILE_TITLE, HOSTILE_TEXT), ("Let me check", CHECK)):
        add.click()
        row = editor.get_by_role("group").last
        expect(row.get_by_label("Title")).to_be_focused()
        row.get_by_label("Title").fill(title)
        row.get_by_label("Text").fill(text)
    third = editor.get_by_role("group", name="Message 3")
    expect(third.get_by_label("Title")).to_have_value("Let me check")
    expect(third.get_by_role("button", name="Move down")).to_have_attribute("aria-disabled", "true")

    # Reorder by keyboard: "Let me check" up to second place; focus stays on its button.
    third.get_by_role("button", name="Move up").focus()
    admin.keyboard.press("Enter")
    second = editor.get_by_role("group", name="Message 2")
    expect(second.get_by_label("Title")).to_have_value("Let me check")
    expect(second.get_by_role("button", name="Move up, message 2")).to_be_focused()
    expect(editor.get_by_role("status")).to_have_text("“Let me check” is now message 2 of 3.")

    # An empty row is caught before saving; removing it leaves three.
    add.click()
    editor.get_by_role("button", name="Save canned messages").click()
    fourth_title = editor.get_by_role("group", name="Message 4").get_by_label("Title")
    expect(editor.get_by_role("alert")).to_have_text(
        "Canned messages not saved. Message 4, title: enter a title."
    )
    expect(fourth_title).to_be_focused()
    expect(fourth_title).to_have_attribute("aria-invalid", "true")
    assert axe_violations(admin) == []
    editor.get_by_role("group", name="Message 4").get_by_role("button", name="Remove").click()
    expect(editor.get_by_role("group")).to_have_count(3)

    # The server's refusal (a text over its limit, past the field's maxlength) names the field.
    first_text = editor.get_by_role("group", name="Message 1").get_by_label("Text")
    expect(first_text).to_have_attribute("maxlength", "4000")
    first_text.evaluate("(box) => { box.value = 'x'.repeat(4001); }")
    editor.get_by_role("button", name="Save canned messages").click()
    expect(editor.get_by_role("alert")).to_have_text(
        "Canned messages not saved. Message 1, text: too long: at most 4,000 characters."
    )
    expect(first_text).to_be_focused()
    assert canned_of(scenario, scenario.home) == []
    first_text.fill(GREETING)

    editor.get_by_role("button", name="Save canned messages").click()
    expect(editor.get_by_role("status")).to_have_text(
        "Canned messages saved (3). Chats offer them from now on."
    )
    expect(editor.get_by_role("alert")).to_have_text("")
    expect(editor.get_by_role("group", name="Message 3").get_by_label("Title")).to_have_value(HOSTILE_TITLE)
    assert canned_of(scenario, scenario.home) == [
        {"title": "Greeting", "text": GREETING},
        {"title": "Let me check", "text": CHECK},
        {"title": HOSTILE_TITLE, "text": HOSTILE_TEXT},
    ]
    assert axe_violations(admin) == []
    screenshot(admin, "canned-editor")

    # --- a librarian in a chat ---------------------------------------------------------------------
    page = monitor(new_page, scenario, scenario.librarian)
    expect(page.get_by_role("tab", name="Canned messages")).to_have_count(0)  # admins only
    patron, _ = scenario.chat("Do you have the county atlas?", name="Pat")
    pane = accept(page, "Pat")
    box = pane.get_by_label("Message")
    expect(box).to_be_focused()
    opener = pane.get_by_role("button", name="Canned messages")
    expect(opener).to_have_attribute("aria-expanded", "false")

    # "/" in the empty box opens the picker, with the library's list, the first one active.
    box.press("/")
    find = pane.get_by_role("combobox", name="Find canned text")
    expect(find).to_be_focused()
    expect(find).to_have_attribute("aria-expanded", "true")
    expect(opener).to_have_attribute("aria-expanded", "true")
    listbox = pane.get_by_role("listbox", name="Canned texts")
    expect(find).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    options = listbox.get_by_role("option")
    expect(options).to_have_count(3)
    expect(pane.get_by_role("status").filter(has_text="canned messages")).to_have_text("3 canned messages.")
    expect(box).to_have_value("")

    def active():
        """The option the combobox points at, which alone is marked selected."""
        chosen = listbox.locator("[role=option][aria-selected=true]")
        expect(chosen).to_have_count(1)
        expect(find).to_have_attribute("aria-activedescendant", chosen.get_attribute("id"))
        return chosen

    # Typing filters: titles that match first, then texts.
    find.press_sequentially("check")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("Let me check")
    expect(options.nth(1)).to_contain_text("Greeting")
    expect(pane.get_by_role("status").filter(has_text="match")).to_have_text("2 of 3 canned messages match.")
    expect(active()).to_contain_text("Let me check")
    assert axe_violations(page) == []
    screenshot(page, "canned-picker")

    find.press("ArrowDown")
    expect(active()).to_contain_text("Greeting")
    find.press("ArrowDown")  # wraps round
    expect(active()).to_contain_text("Let me check")
    find.press("ArrowUp")
    find.press("ArrowUp")
    expect(active()).to_contain_text("Let me check")
    find.press("Enter")

    # The text is in the box to edit, focus with it, nothing sent yet.
    expect(box).to_be_focused()
    expect(box).to_have_value(CHECK)
    expect(find).to_be_hidden()
    expect(opener).to_have_attribute("aria-expanded", "false")
    assert [m for m in patron.of_type("message") if m["text"] == CHECK] == []
    box.press("End")
    box.press_sequentially(" Which edition?")
    box.press("Enter")
    sent = patron.wait_type("message", text=f"{CHECK} Which edition?")
    assert sent["from"]["role"] == "librarian"
    expect(box).to_have_value("")

    # Escape after "/" gives back what was typed; a message may start with "/".
    box.press("/")
    find.press_sequentially("zzz")
    expect(pane.get_by_role("status").filter(has_text="match")).to_have_text(
        "No canned messages match “zzz”."
    )
    expect(find).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    assert axe_violations(page) == []
    find.press("Escape")
    expect(box).to_be_focused()
    expect(box).to_have_value("/zzz")
    box.fill("")

    # Alt+C opens it too; hostile text is listed and inserted as text, and reaches the patron so.
    box.press("Alt+c")
    expect(find).to_be_focused()
    expect(options).to_have_count(3)
    hostile = options.filter(has_text=HOSTILE_TITLE)
    expect(hostile).to_contain_text(HOSTILE_TEXT)
    assert pane.locator(".canned-picker img, .canned-picker script, .canned-picker b").count() == 0
    find.press_sequentially("onerror")
    expect(options).to_have_count(1)
    find.press("Enter")
    expect(box).to_have_value(HOSTILE_TEXT)
    box.press("Enter")
    assert patron.wait_type("message", text=HOSTILE_TEXT)["from"]["role"] == "librarian"
    log = pane.get_by_role("log", name="Transcript")
    expect(log.locator(".msg[data-seq]").filter(has_text=HOSTILE_TEXT)).to_have_count(1)
    assert log.locator("script, b, img").count() == 0

    # The button opens it with the keyboard too; Escape closes it and focus goes back.
    opener.focus()
    page.keyboard.press("Enter")
    expect(find).to_be_focused()
    find.press("Escape")
    expect(find).to_be_hidden()
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    assert page.dialogs == [] and admin.dialogs == []
    assert page.console_errors == []
    # The browser logs the refused save (413) it was asked to make; nothing else went wrong.
    assert [e for e in admin.console_errors if "status of 413" not in e] == []


def test_a_partner_librarian_sees_the_patrons_library_list_first_then_their_own(scenario, new_page):
    partner_admin = f"admin@{scenario.partner}.example"
    scenario.stack.fixtures(
        {
            "staff": [
                {"email": partner_admin, "name": "Partner Admin", "library": scenario.partner, "admin": True}
            ]
        }
    )
    for email, library, messages in (
        (scenario.admin, scenario.home, [{"title": "Home greeting", "text": "Welcome to Home Library!"}]),
        (partner_admin, scenario.partner, [{"title": "Partner closing", "text": "Goodbye from Partner."}]),
    ):
        token = scenario.stack.login(email)
        body = {"messages": messages}
        assert (
            http("PUT", f"{scenario.stack.base}/api/libraries/{library}/canned", body, token=token)[0] == 200
        )

    # Nobody at home is monitoring, so the request goes to the partner at once.
    page = monitor(new_page, scenario, scenario.partner_librarian)
    scenario.chat("Can a visitor use the archives?", name="Kim")
    pane = accept(page, "Kim")
    box = pane.get_by_label("Message")
    box.press("/")
    listbox = pane.get_by_role("listbox", name="Canned texts")
    patrons = listbox.get_by_role("group", name=re.compile(r"^Home Library \(the patron's library\)$"))
    own = listbox.get_by_role("group", name="Partner Library (your library)")
    expect(patrons.get_by_role("option")).to_have_text(["Home greeting: Welcome to Home Library!"])
    expect(own.get_by_role("option")).to_have_text(["Partner closing: Goodbye from Partner."])
    expect(listbox.locator("[role=option][aria-selected=true]")).to_contain_text("Home greeting")
    assert axe_violations(page) == []
    screenshot(page, "canned-picker-partner")
    pane.get_by_role("combobox", name="Find canned text").press("ArrowDown")
    pane.get_by_role("combobox", name="Find canned text").press("Enter")
    expect(box).to_have_value("Goodbye from Partner.")
    assert page.console_errors == []
