"""Running a library's staff in headless Chromium: an admin invites a colleague, who sets a
password from the e-mailed link and signs in; deactivation, logging out and a new password
sign out the librarian's other windows, each told why."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.monitor_pages import sign_in, signin_form
from tests.browser.support import axe_violations, screenshot

NEW_PASSWORD = "a long enough passphrase"


def _monitor(new_page, scenario, email: str | None = None, password: str = "demo-password"):
    page = new_page()
    page.goto(f"{scenario.stack.base}/monitor/")
    if email:
        sign_in(page, email, password)
    return page


def test_an_admin_invites_a_colleague_who_sets_a_password_and_signs_in(scenario, new_page):
    admin = _monitor(new_page, scenario, scenario.admin)
    admin.get_by_role("tab", name="Staff").click()
    table = admin.get_by_role("table", name="Staff")
    expect(table).to_contain_text(scenario.librarian)
    assert axe_violations(admin) == []

    email = f"nina@{scenario.home}.example"
    invite = admin.get_by_role("form", name="Invite a librarian")
    invite.get_by_label("E-mail").fill(email)
    invite.get_by_label("Name").fill("Nina <b>New</b>")
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text(f"Invitation sent to {email}.")).to_be_visible()
    row = table.locator("tr").filter(has_text=email)
    expect(row).to_contain_text("Nina <b>New</b>")
    expect(row).to_contain_text(re.compile(r"Invited \(link valid until"))
    screenshot(admin, "monitor-staff")

    # The colleague opens the link from the e-mail (the local stack's /dev/outbox).
    link = re.search(r"http\S+/monitor/\?invite=\S+", scenario.stack.mails_to(email)[0]["text"]).group(0)
    colleague = new_page()
    colleague.goto(link)
    view = colleague.get_by_role("region", name="Set your password")
    expect(view).to_be_visible()
    assert "invite=" not in colleague.url  # the token leaves the address bar
    assert axe_violations(colleague) == []
    view.get_by_label("New password").fill(NEW_PASSWORD)
    view.get_by_label("The same password again").fill("something else entirely")
    view.get_by_role("button", name="Set password and sign in").click()
    expect(view.get_by_role("alert")).to_have_text("The two passwords are not the same.")
    view.get_by_label("The same password again").fill(NEW_PASSWORD)
    view.get_by_role("button", name="Set password and sign in").click()
    expect(colleague.get_by_text("Signed in as Nina <b>New</b>, Home Library")).to_be_visible()
    expect(colleague.get_by_role("status").filter(has_text="Connected")).to_be_visible()

    # The link worked once.
    again = new_page()
    again.goto(link)
    view = again.get_by_role("region", name="Set your password")
    view.get_by_label("New password").fill(NEW_PASSWORD)
    view.get_by_label("The same password again").fill(NEW_PASSWORD)
    view.get_by_role("button", name="Set password and sign in").click()
    expect(view.get_by_role("alert")).to_contain_text("has been used or has expired")

    # Deactivated: the colleague's window is signed out at once, and says why.
    admin.get_by_role("tab", name="Staff").click()
    expect(row).to_contain_text("Active")
    row.get_by_role("button", name=re.compile("^Deactivate")).click()
    row.get_by_role("button", name="Deactivate Nina <b>New</b>").click()
    expect(row).to_contain_text("Deactivated")
    expect(signin_form(colleague)).to_be_visible()
    expect(colleague.get_by_text("Your account has been deactivated")).to_be_visible()
    assert admin.console_errors == [] and colleague.console_errors == []


def test_logging_out_in_one_window_signs_out_the_others_with_a_message(scenario, new_page):
    first = _monitor(new_page, scenario, scenario.librarian)
    second = _monitor(new_page, scenario, scenario.librarian)
    first.get_by_role("button", name="Log out").click()
    expect(signin_form(first)).to_be_visible()
    expect(signin_form(second)).to_be_visible()
    expect(second.get_by_text("You logged out in another window.")).to_be_visible()
    assert axe_violations(second) == []
    # A reload does not bring the old sign-in back.
    second.reload()
    expect(signin_form(second)).to_be_visible()


def test_a_new_password_keeps_this_window_and_signs_out_the_others(scenario, new_page):
    page = _monitor(new_page, scenario, scenario.partner_librarian)
    other = _monitor(new_page, scenario, scenario.partner_librarian)
    page.get_by_role("button", name="Change password").click()
    dialog = page.get_by_role("dialog", name="Change your password")
    expect(dialog).to_be_visible()
    assert axe_violations(page) == []
    dialog.get_by_label("Current password").fill("not my password")
    dialog.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    dialog.get_by_label("The new password again").fill(NEW_PASSWORD)
    dialog.get_by_role("button", name="Change password").click()
    expect(dialog.get_by_role("alert")).to_have_text("Your current password is not right.")
    dialog.get_by_label("Current password").fill("demo-password")
    dialog.get_by_role("button", name="Change password").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()
    expect(other.get_by_text(re.compile("Your password was changed in another window"))).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    expect(signin_form(page)).to_be_hidden()
    assert scenario.stack.login(scenario.partner_librarian, NEW_PASSWORD)
    # This window's new sign-in holds across a reload.
    page.reload()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    # The browser logs the refusals the test caused (the wrong current password, the old
    # socket's sign-in): nothing else went wrong.
    assert all("401" in error for error in page.console_errors), page.console_errors


def test_wrong_passwords_are_slowed_down_with_a_clear_message(scenario, new_page):
    page = _monitor(new_page, scenario)
    for _ in range(5):
        signin_form(page).get_by_label("E-mail").fill(scenario.outsider_librarian)
        signin_form(page).get_by_label("Password").fill("wrong password")
        signin_form(page).get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text("That e-mail and password do not match. Try again.")
        page.get_by_role("alert").evaluate("node => { node.textContent = '' }")
    signin_form(page).get_by_label("Password").fill("demo-password")
    signin_form(page).get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Too many wrong passwords for this e-mail address. Wait"
    )
