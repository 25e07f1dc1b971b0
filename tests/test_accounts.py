"""Running a library's staff end to end over REST and real sockets: invitations, passwords,
roles, deactivation, sign-outs that hold everywhere, and wrong passwords slowed down."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest

from devstack.client import http

NEW_PASSWORD = "a long enough passphrase"


def _api(scenario, method: str, path: str, body=None, token: str | None = None):
    return http(method, f"{scenario.stack.base}/api{path}", body, token=token)


def _invite(scenario, admin_token: str, email: str, name: str = "New Person", **fields):
    status, body = _api(
        scenario,
        "POST",
        f"/libraries/{scenario.home}/staff",
        {"email": email, "name": name, **fields},
        admin_token,
    )
    assert status == 200, body
    return body


def _invitation_token(scenario, email: str, nth: int = 1) -> str:
    mail = scenario.stack.mails_to(email, at_least=nth)[nth - 1]
    link = re.search(r"https?://\S+/monitor/\?invite=\S+", mail["text"]).group(0)
    return parse_qs(urlparse(link).query)["invite"][0]


def _new_email(scenario) -> str:
    return f"new-{uuid.uuid4().hex[:6]}@{scenario.home}.example"


def test_an_admin_invites_a_librarian_who_sets_a_password_once_and_signs_in(scenario):
    admin = scenario.stack.login(scenario.admin)
    email = _new_email(scenario)
    added = _invite(scenario, admin, email, "Nadia <b>New</b>")
    assert (added["email"], added["is_admin"], added["active"]) == (email, False, True)
    assert added["invited_until"]
    status, staff = _api(scenario, "GET", f"/libraries/{scenario.home}/staff", token=admin)
    assert status == 200 and email in [member["email"] for member in staff]

    token = _invitation_token(scenario, email)
    status, refused = _api(scenario, "POST", "/password", {"invite_token": token, "new_password": "short"})
    assert (status, refused["code"]) == (400, "bad_request")  # too short, and the link still works
    status, signed_in = _api(
        scenario, "POST", "/password", {"invite_token": token, "new_password": NEW_PASSWORD}
    )
    assert status == 200 and signed_in["librarian"]["email"] == email
    assert _api(scenario, "GET", "/me", token=signed_in["token"])[0] == 200
    assert scenario.stack.login(email, NEW_PASSWORD)

    # Used once: the same link again is refused.
    status, again = _api(scenario, "POST", "/password", {"invite_token": token, "new_password": NEW_PASSWORD})
    assert (status, again["code"]) == (401, "unauthorized")
    # Already has an account: inviting the address again is refused.
    status, twice = _api(
        scenario, "POST", f"/libraries/{scenario.home}/staff", {"email": email, "name": "Again"}, admin
    )
    assert (status, twice["code"]) == (409, "bad_request")


def test_invitations_are_refused_when_expired_superseded_or_after_deactivation(scenario):
    admin = scenario.stack.login(scenario.admin)
    email = _new_email(scenario)
    _invite(scenario, admin, email)
    first = _invitation_token(scenario, email)
    _invite(scenario, admin, email)  # sent again: only the newest link works
    second = _invitation_token(scenario, email, nth=2)
    status, _ = _api(scenario, "POST", "/password", {"invite_token": first, "new_password": NEW_PASSWORD})
    assert status == 401
    assert _api(scenario, "PATCH", f"/staff/{email}", {"active": False}, admin)[0] == 200
    status, _ = _api(scenario, "POST", "/password", {"invite_token": second, "new_password": NEW_PASSWORD})
    assert status == 401
    forged = second.rsplit(".", 1)[0] + ".not-the-secret"
    assert (
        _api(scenario, "POST", "/password", {"invite_token": forged, "new_password": NEW_PASSWORD})[0] == 401
    )
    assert (
        _api(scenario, "POST", "/password", {"invite_token": "garbage", "new_password": NEW_PASSWORD})[0]
        == 401
    )


def test_only_an_admin_of_the_library_manages_its_staff(scenario):
    librarian = scenario.stack.login(scenario.librarian)
    partner = scenario.stack.login(scenario.partner_librarian)
    admin = scenario.stack.login(scenario.admin)
    assert _api(scenario, "GET", f"/libraries/{scenario.home}/staff", token=librarian)[0] == 403
    assert _api(scenario, "GET", f"/libraries/{scenario.home}/staff", token=partner)[0] == 403
    body = {"email": _new_email(scenario), "name": "X"}
    assert _api(scenario, "POST", f"/libraries/{scenario.home}/staff", body, librarian)[0] == 403
    assert _api(scenario, "POST", f"/libraries/{scenario.partner}/staff", body, admin)[0] == 403
    assert _api(scenario, "PATCH", f"/staff/{scenario.partner_librarian}", {"name": "Y"}, admin)[0] == 403
    assert _api(scenario, "PATCH", f"/staff/{scenario.admin}", {"name": "Z"}, librarian)[0] == 403
    # Bad bodies change nothing.
    for bad in ({"email": "not-an-address", "name": "X"}, {"email": body["email"]}, {"name": "X"}):
        status, refused = _api(scenario, "POST", f"/libraries/{scenario.home}/staff", bad, admin)
        assert (status, refused["code"]) == (400, "bad_request"), bad
    status, too_long = _api(
        scenario,
        "POST",
        f"/libraries/{scenario.home}/staff",
        {"email": body["email"], "name": "n" * 500},
        admin,
    )
    assert (status, too_long["code"]) == (413, "too_large")
    staff = _api(scenario, "GET", f"/libraries/{scenario.home}/staff", token=admin)[1]
    assert body["email"] not in [member["email"] for member in staff]
    # An admin cannot lock themselves out.
    status, refused = _api(scenario, "PATCH", f"/staff/{scenario.admin}", {"is_admin": False}, admin)
    assert status == 400 and "another admin" in refused["message"]
    assert _api(scenario, "PATCH", "/staff/nobody@nowhere.example", {"name": "N"}, admin)[0] == 404


def test_deactivation_closes_every_window_and_puts_the_librarians_chats_back_in_the_queue(scenario):
    admin = scenario.stack.login(scenario.admin)
    token = scenario.stack.login(scenario.librarian)
    librarian = scenario.monitoring(scenario.librarian)
    other_window = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat("Where are the maps?")
    librarian.call("accept", session_id=requested["session_id"])
    librarian.call("send_message", session_id=requested["session_id"], text="Let me look.")
    colleague = scenario.monitoring(scenario.admin)

    status, changed = _api(scenario, "PATCH", f"/staff/{scenario.librarian}", {"active": False}, admin)
    assert status == 200 and changed["active"] is False
    for window in (librarian, other_window):
        told = window.wait_type("signed_out")
        assert told["reason"] == "deactivated"
        window.wait_closed()
    assert patron.wait_type("session_update", status="waiting")
    assert patron.wait(lambda f: f.get("kind") == "system" and "no longer available" in f["text"])
    back = colleague.wait(lambda f: f.get("type") == "queue_update" and f.get("op") == "added")
    assert back["session"]["session_id"] == requested["session_id"]
    history = colleague.call("accept", session_id=requested["session_id"])
    assert "Let me look." in [m["text"] for m in history["messages"]]  # the transcript is intact

    assert _api(scenario, "GET", "/me", token=token)[0] == 401
    assert scenario.stack.connect_status(token) == 401  # refused at $connect
    status, refused = http(
        "POST", f"{scenario.stack.base}/api/login", {"email": scenario.librarian, "password": "demo-password"}
    )
    assert status == 401 and "deactivated" in refused["message"]
    # Reactivated: they sign in again.
    assert _api(scenario, "PATCH", f"/staff/{scenario.librarian}", {"active": True}, admin)[0] == 200
    assert scenario.stack.login(scenario.librarian)


def test_logging_out_in_one_window_signs_out_every_window_and_token(scenario):
    first_token = scenario.stack.login(scenario.librarian)
    window = scenario.monitoring(scenario.librarian)
    other = scenario.monitoring(scenario.librarian)
    reply = window.call("logout")
    assert reply["type"] == "logged_out"
    told = other.wait_type("signed_out")
    assert (told["reason"], told["message"]) == ("logout", "You logged out in another window.")
    other.wait_closed()
    assert _api(scenario, "GET", "/me", token=first_token)[0] == 401
    assert scenario.stack.connect_status(first_token) == 401

    # REST logout too.
    token = scenario.stack.login(scenario.librarian)
    socket = scenario.monitoring(scenario.librarian)
    status, body = _api(scenario, "POST", "/logout", token=token)
    assert (status, body) == (200, {"ended": []})
    assert socket.wait_type("signed_out")["reason"] == "logout"
    assert _api(scenario, "GET", "/me", token=token)[0] == 401
    assert _api(scenario, "POST", "/logout", token=token)[0] == 401


def test_a_changed_password_counts_at_once_and_signs_out_the_other_windows(scenario):
    token = scenario.stack.login(scenario.partner_librarian)
    other = scenario.monitoring(scenario.partner_librarian)
    wrong = {"old_password": "not-my-password", "new_password": NEW_PASSWORD}
    assert _api(scenario, "POST", "/password", wrong, token)[0] == 401
    short = {"old_password": "demo-password", "new_password": "tiny"}
    assert _api(scenario, "POST", "/password", short, token)[0] == 400
    assert (
        _api(scenario, "POST", "/password", {"old_password": "demo-password", "new_password": NEW_PASSWORD})[
            0
        ]
        == 401
    )
    status, fresh = _api(
        scenario, "POST", "/password", {"old_password": "demo-password", "new_password": NEW_PASSWORD}, token
    )
    assert status == 200
    assert other.wait_type("signed_out")["reason"] == "password_changed"
    assert _api(scenario, "GET", "/me", token=token)[0] == 401
    assert _api(scenario, "GET", "/me", token=fresh["token"])[0] == 200
    assert scenario.stack.login(scenario.partner_librarian, NEW_PASSWORD)


def test_a_role_change_counts_at_once(scenario):
    admin = scenario.stack.login(scenario.admin)
    token = scenario.stack.login(scenario.librarian)
    window = scenario.monitoring(scenario.librarian)
    assert (
        _api(
            scenario, "PATCH", f"/staff/{scenario.librarian}", {"is_admin": True, "name": "Lib Rarian"}, admin
        )[0]
        == 200
    )
    assert window.wait_type("signed_out")["reason"] == "role_changed"
    me = _api(scenario, "GET", "/me", token=scenario.stack.login(scenario.librarian))[1]
    assert (me["is_admin"], me["name"]) == (True, "Lib Rarian")
    assert _api(scenario, "GET", "/me", token=token)[0] == 401


@pytest.mark.parametrize("known", [True, False])
def test_wrong_passwords_are_slowed_down_alike_for_known_and_unknown_addresses(scenario, known):
    email = scenario.outsider_librarian if known else f"nobody-{uuid.uuid4().hex[:6]}@nowhere.example"
    answers = [
        http("POST", f"{scenario.stack.base}/api/login", {"email": email, "password": "wrong password"})
        for _ in range(6)
    ]
    assert [status for status, _ in answers] == [401] * 5 + [429]
    assert answers[0][1]["message"] == "That e-mail and password do not match."
    assert answers[-1][1]["code"] == "rate_limited" and "Wait" in answers[-1][1]["message"]
    if known:  # even the right password waits, so guessing gets nowhere
        status, _ = http(
            "POST", f"{scenario.stack.base}/api/login", {"email": email, "password": "demo-password"}
        )
        assert status == 429
