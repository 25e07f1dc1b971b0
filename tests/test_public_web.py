"""Safe on the public web: what a hostile page, patron or partner can no longer do. Input
refused or neutralised (e-mail addresses, links, names, cursors, tokens of any shape), a
partner's `history` limited to chats that concern them, the monitor never framed, and the
librarian's WebSocket opened with a one-time ticket instead of the sign-in token."""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from websockets.exceptions import InvalidStatus

from chalicelib import clock
from devstack.client import Client, http


def _refused(client: Client, code: str, action: str, **fields) -> dict:
    reply = client.call(action, **fields)
    assert (reply["type"], reply.get("code")) == ("error", code), reply
    return reply


def _later(**delta: float) -> str:
    return clock.iso(clock.now() + timedelta(**delta))


# --- e-mail addresses, links and names -------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("a@b.co,evil@example.org", "bad_request"),
        ("a@b.co\x00", "bad_request"),
        ("sam @example.org", "bad_request"),
        ("sám@example.org", "bad_request"),
        ("a@b", "bad_request"),
        ("a..b@example.org", "bad_request"),
        ("<a@example.org>", "bad_request"),
        ("x" * 65 + "@example.org", "bad_request"),  # the local part is at most 64
        ("x@" + "y" * 250 + ".org", "too_large"),  # the whole at most 254
    ],
)
def test_an_email_that_is_not_one_address_is_refused(scenario, email, code):
    scenario.monitoring(scenario.librarian)
    patron = scenario.connect()
    reply = _refused(patron, code, "request_chat", library=scenario.home, question="Hi?", email=email)
    assert "email" in reply["message"]
    _refused(patron, code, "submit_question", library=scenario.home, question="Hi?", email=email)


def test_ordinary_addresses_are_taken(scenario):
    scenario.monitoring(scenario.librarian)
    for email in ("sam.o'neil+books@mail.example.org", "  x_y-z@sub-1.example.co  "):
        reply = scenario.connect().call("request_chat", library=scenario.home, question="Hi?", email=email)
        assert reply["type"] == "chat_requested", reply


@pytest.mark.parametrize(
    "url",
    [
        "https://library.example@evil.example/",
        "https://user:pass@example.org/",
        "https://example.org/\u202egpj.exe",
        "https://exa\u200bmple.org/",
        "https://example.org/a b",
        "javascript:alert(1)",
        "data:text/html,hi",
        "https://example.org:99999/",
        "//example.org/",
    ],
)
def test_push_url_refuses_what_is_not_a_plain_web_address(scenario, url):
    librarian = scenario.monitoring(scenario.librarian)
    _, requested = scenario.chat()
    librarian.call("accept", session_id=requested["session_id"])
    _refused(librarian, "bad_request", "push_url", session_id=requested["session_id"], url=url)
    assert (
        librarian.call("push_url", session_id=requested["session_id"], url="https://example.org/x")["seq"]
        == 3
    )


def test_a_librarys_website_and_alternatives_follow_the_same_rule(scenario):
    admin = scenario.stack.login(scenario.admin)
    url = f"{scenario.stack.base}/api/libraries/{scenario.home}"
    settings = http("GET", url, token=admin)[1]
    for bad in ("https://library.example@evil.example/", "https://home.example/\u202eevil"):
        status, refused = http("PUT", url, {**settings, "website": bad}, admin)
        assert (status, refused["code"]) == (400, "bad_request"), bad
        alternatives = [{"label": "Our site", "url": bad}]
        status, refused = http("PUT", url, {**settings, "alternatives": alternatives}, admin)
        assert (status, refused["code"]) == (400, "bad_request"), bad
    status, saved = http("PUT", url, {**settings, "website": "https://home.example/"}, admin)
    assert (status, saved["website"]) == (200, "https://home.example/")


def test_a_page_url_that_is_not_a_web_address_is_dropped_and_the_chat_goes_ahead(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    for page_url, kept in [
        ("javascript:alert(document.cookie)", None),
        ("https://library.example@evil.example/", None),
        ("https://home.example/\u202eevil", None),
        ("https://home.example/" + "x" * 2000, None),
        ("https://home.example/catalogue?q=large+print", "https://home.example/catalogue?q=large+print"),
    ]:
        _, requested = scenario.chat(page_url=page_url)
        accepted = librarian.call("accept", session_id=requested["session_id"])
        assert accepted["session"].get("page_url") == kept, page_url


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Refdesk", "Refdesk (patron)"),
        ("REFDESK", "REFDESK (patron)"),
        ("\uff32\uff45\uff46\uff44\uff45\uff53\uff4b", "Refdesk (patron)"),  # full-width, NFKC-folded
        ("Librarian", "Librarian (patron)"),
        ("Bob Binder (Librarian)", "Bob Binder (Librarian) (patron)"),
        ("Bob Binder [staff]", "Bob Binder [staff] (patron)"),
        ("\u202eevil\u202c Sam", "evil Sam"),
        ("Sam\u200b\u200d\u2066", "Sam"),
        ("Sam\x00\x1b[31m", "Sam[31m"),
        ("Ann  \t Lee", "Ann Lee"),
        ("Librarian Fan Club", "Librarian Fan Club"),  # only the names themselves are reserved
    ],
)
def test_patron_names_are_cleaned_and_cannot_pass_for_staff_or_the_system(scenario, name, shown):
    librarian = scenario.monitoring(scenario.librarian)
    _, requested = scenario.chat(name=name)
    accepted = librarian.call("accept", session_id=requested["session_id"])
    assert accepted["session"]["patron"]["name"] == shown
    assert accepted["messages"][0]["from"] == {"role": "patron", "name": shown}


def test_a_name_of_only_invisible_characters_is_no_name(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, requested = scenario.chat(name="\u200b\u202e")
    accepted = librarian.call("accept", session_id=requested["session_id"])
    assert "name" not in accepted["session"]["patron"]


def test_staff_names_are_cleaned_and_the_services_own_name_refused(scenario):
    admin = scenario.stack.login(scenario.admin)
    path = f"{scenario.stack.base}/api/libraries/{scenario.home}/staff"
    status, refused = http("POST", path, {"email": f"r@{scenario.home}.example", "name": "Refdesk"}, admin)
    assert (status, refused["code"]) == (400, "bad_request") and "name" in refused["message"]
    status, refused = http("POST", path, {"email": f"z@{scenario.home}.example", "name": "\u200b"}, admin)
    assert (status, refused["code"]) == (400, "bad_request")
    status, added = http(
        "POST", path, {"email": f"d@{scenario.home}.example", "name": "Dee\u202e Lee"}, admin
    )
    assert (status, added["name"]) == (200, "Dee Lee")
    status, renamed = http(
        "PATCH", f"{scenario.stack.base}/api/staff/d@{scenario.home}.example", {"name": "Dee\x00 Lee"}, admin
    )
    assert (status, renamed["name"]) == (200, "Dee Lee")
    status, refused = http("POST", path, {"email": "a@b.co,c@d.co", "name": "Two"}, admin)
    assert (status, refused["code"]) == (400, "bad_request")


# --- input that used to reach internal_error -------------------------------------------------------


def test_deep_json_is_bad_request_on_both_apis(scenario):
    patron = scenario.connect()
    for depth in (999, 1000, 5000):
        patron.send_raw("[" * depth + "]" * depth)
        assert patron.wait_type("error")["code"] == "bad_request"
        patron.send_raw('{"action":"send_message","session_id":"x","text":' + "[" * depth + "]" * depth + "}")
        assert patron.wait_type("error")["code"] == "bad_request"
        request = urllib.request.Request(
            f"{scenario.stack.base}/api/login",
            data=("[" * depth + "]" * depth).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 400


def test_json_that_python_reads_but_nothing_can_store_is_bad_request(scenario):
    patron = scenario.connect()
    for raw in (
        '{"action":"heartbeat","ref":"\\ud800"}',  # a lone surrogate
        '{"action":"history","session_id":"x","after_seq":NaN}',
        '{"action":"history","session_id":"x","after_seq":Infinity}',
    ):
        patron.send_raw(raw)
        assert patron.wait_type("error")["code"] == "bad_request", raw
    reply = _refused(patron, "bad_request", "resume", patron_token="x.y", after_seq=10**40)
    assert "after_seq" in reply["message"]


@pytest.mark.parametrize("token", [".", ".abc", "x.", "é.é", "no-dot"])
def test_any_patron_token_is_forbidden_not_an_error(scenario, token):
    scenario.monitoring(scenario.librarian)
    _, requested = scenario.chat()
    patron = scenario.connect()
    _refused(patron, "forbidden", "resume", patron_token=token)
    _refused(patron, "forbidden", "history", session_id=requested["session_id"], patron_token=token)
    _refused(
        patron, "forbidden", "send_message", session_id=requested["session_id"], text="x", patron_token=token
    )


def test_any_bearer_token_is_unauthorized_not_an_error(scenario):
    body, signature = scenario.stack.login(scenario.librarian).split(".")
    for token in (f"{body}.{signature[:-1]}é", "é.é", ".", f"{body}.", f"{body}.{signature}.x"):
        request = urllib.request.Request(f"{scenario.stack.base}/api/me")
        request.add_header("Authorization", f"Bearer {token}".encode().decode("latin-1"))
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401, token
        assert json.loads(refused.value.read())["code"] == "unauthorized"
    for token in ("é.é", f"{body}.{signature}é"):
        with pytest.raises(InvalidStatus) as refused_socket:
            Client(f"{scenario.stack.ws_url}?token={urllib.parse.quote(token)}")
        assert refused_socket.value.response.status_code == 401


def _cursor(key: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def test_a_cursor_the_list_did_not_give_out_is_bad_request(scenario):
    scenario.monitoring(scenario.librarian)
    token = scenario.stack.login(scenario.librarian)
    base = f"{scenario.stack.base}/api/questions"
    for _ in range(3):
        scenario.chat()
    status, page = http("GET", f"{base}?limit=1", token=token)
    assert status == 200 and page["next"]
    assert http("GET", f"{base}?limit=1&cursor={page['next']}", token=token)[0] == 200
    forged = [
        {},
        {"a": 1},
        {"question_id": {"S": "x"}},
        {"question_id": {"S": "x"}, "library": {"S": "elsewhere"}, "created_at": {"S": "x"}},
        {"question_id": {"S": ""}, "library": {"S": scenario.home}, "created_at": {"S": "x"}},
        {"question_id": {"N": "1"}, "library": {"S": scenario.home}, "created_at": {"S": "x"}},
        {
            "question_id": {"S": "x"},
            "library_status": {"S": f"{scenario.home}#open"},
            "created_at": {"S": "x"},
        },
    ]
    for key in forged:
        status, refused = http("GET", f"{base}?cursor={_cursor(key)}", token=token)
        assert (status, refused["code"]) == (400, "bad_request"), key
    deep = base64.urlsafe_b64encode(("[" * 3000 + "]" * 3000).encode()).decode()
    assert http("GET", f"{base}?cursor={deep}", token=token)[0] == 400
    # A page's cursor read with another status is another list's.
    status, refused = http("GET", f"{base}?limit=1&status=open&cursor={page['next']}", token=token)
    assert (status, refused["code"]) == (400, "bad_request")


# --- a partner's history ---------------------------------------------------------------------------


def test_a_partner_reads_only_the_chats_that_concern_their_library(scenario):
    home = scenario.monitoring(scenario.librarian)
    partner = scenario.monitoring(scenario.partner_librarian)
    outsider = scenario.connect(scenario.outsider_librarian)

    # Waiting at home, never offered to the partner: not theirs to read.
    _, waiting = scenario.chat("Waiting at home", email=scenario.email("w"))
    _refused(partner, "forbidden", "history", session_id=waiting["session_id"])
    # Taken at home: still not.
    _, taken = scenario.chat("Taken at home", email=scenario.email("t"))
    home.call("accept", session_id=taken["session_id"])
    _refused(partner, "forbidden", "history", session_id=taken["session_id"])
    assert home.call("history", session_id=taken["session_id"])["type"] == "history"
    _refused(outsider, "forbidden", "history", session_id=taken["session_id"])

    # Offered to the partner by name: theirs to read while the offer stands.
    assert (
        home.call("transfer", session_id=taken["session_id"], librarian=scenario.partner_librarian)["type"]
        == "ack"
    )
    partner.wait_type("transfer_offer")
    assert partner.call("history", session_id=taken["session_id"])["type"] == "history"
    partner.call("decline", session_id=taken["session_id"])
    _refused(partner, "forbidden", "history", session_id=taken["session_id"])

    # Escalated to the cooperative: offered to the partner's library, so theirs to read.
    scenario.stack.run_job("escalate_waiting", _later(seconds=60))  # after 40 s, before 600
    partner.wait(lambda f: f.get("op") == "added" and f["session"]["session_id"] == waiting["session_id"])
    assert partner.call("history", session_id=waiting["session_id"])["type"] == "history"
    # Served by the partner: theirs, and a colleague of theirs who never saw it may read it too.
    partner.call("accept", session_id=waiting["session_id"])
    assert partner.call("history", session_id=waiting["session_id"])["type"] == "history"


# --- headers ---------------------------------------------------------------------------------------


def _headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}


def test_the_monitor_may_not_be_framed_and_the_chat_page_may(stack):
    for path in ("/monitor/", "/monitor/policy.html", "/widget/monitor/index.html"):
        headers = _headers(stack.base + path)
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path
    assert _headers(stack.base + "/monitor/socket.js")["x-frame-options"] == "DENY"
    for path in ("/chat/demo-public", "/widget/chat.html", "/demo/"):
        headers = _headers(stack.base + path)
        assert "frame-ancestors" not in headers["content-security-policy"], path
        assert "x-frame-options" not in headers, path
        assert headers["x-content-type-options"] == "nosniff", path
    for path in ("/widget/qwidget.js", "/api/libraries/demo-public/availability", "/dev/outbox"):
        assert _headers(stack.base + path)["x-content-type-options"] == "nosniff", path
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(stack.base + "/api/nowhere", timeout=10)
    assert missing.value.headers["X-Content-Type-Options"] == "nosniff"


# --- connect tickets -------------------------------------------------------------------------------


def test_a_connect_ticket_opens_one_librarian_socket_once(scenario):
    stack = scenario.stack
    token = stack.login(scenario.librarian)
    status, issued = http("POST", f"{stack.base}/api/ws-ticket", token=token)
    assert status == 200 and issued["expires_in"] == 30 and issued["ticket"]
    assert token not in issued["ticket"]

    socket = Client(f"{stack.ws_url}?ticket={urllib.parse.quote(issued['ticket'])}")
    scenario.clients.append(socket)
    snapshot = socket.call("monitor")
    assert snapshot["type"] == "queue_snapshot"
    assert scenario.librarian in [colleague["email"] for colleague in snapshot["online"]]

    for ticket in (issued["ticket"], "not-a-ticket", "", "é"):  # used, forged, empty, odd
        with pytest.raises(InvalidStatus) as refused:
            Client(f"{stack.ws_url}?ticket={urllib.parse.quote(ticket)}")
        assert refused.value.response.status_code == 401, ticket

    assert http("POST", f"{stack.base}/api/ws-ticket")[0] == 401
    assert http("POST", f"{stack.base}/api/ws-ticket", token="forged.token")[0] == 401


def test_a_ticket_issued_before_a_logout_no_longer_opens_a_socket(scenario):
    stack = scenario.stack
    token = stack.login(scenario.partner_librarian)
    ticket = http("POST", f"{stack.base}/api/ws-ticket", token=token)[1]["ticket"]
    assert http("POST", f"{stack.base}/api/logout", token=token)[0] == 200
    with pytest.raises(InvalidStatus) as refused:
        Client(f"{stack.ws_url}?ticket={ticket}")
    assert refused.value.response.status_code == 401
