"""Canned messages over HTTP: a library's own and cooperative librarians read its list, its
admins replace it, and a list over the limits (or with a field the route does not know) is
refused and changes nothing."""

from __future__ import annotations

from chalicelib import limits
from devstack.client import http

SAVED = {
    "messages": [
        {"title": "Greeting", "text": "Hello! I'm reading your question now."},
        {"title": "<img src=x onerror=alert(1)>", "text": "Let me check that for you."},
        {"title": "Closing", "text": "Thanks for chatting with us."},
    ]
}


def _canned(scenario, method: str, library: str, email: str, body: dict | None = None) -> tuple[int, dict]:
    token = scenario.stack.login(email)
    return http(method, f"{scenario.stack.base}/api/libraries/{library}/canned", body, token=token)


def test_a_new_library_has_no_canned_messages_and_its_desk_may_read_them(scenario):
    assert _canned(scenario, "GET", scenario.home, scenario.librarian) == (200, {"messages": []})
    assert _canned(scenario, "GET", scenario.home, scenario.partner_librarian) == (200, {"messages": []})
    status, refused = _canned(scenario, "GET", scenario.home, scenario.outsider_librarian)
    assert (status, refused["code"]) == (403, "forbidden")
    assert _canned(scenario, "GET", f"nowhere-{scenario.home}", scenario.librarian)[0] == 404
    assert http("GET", f"{scenario.stack.base}/api/libraries/{scenario.home}/canned")[0] == 401


def test_an_admin_replaces_the_list_and_only_an_admin_of_that_library_may(scenario):
    other_admin = f"admin@{scenario.partner}.example"
    scenario.stack.fixtures(
        {
            "staff": [
                {"email": other_admin, "name": "Partner Admin", "library": scenario.partner, "admin": True}
            ]
        }
    )
    padded = {"messages": [{"title": "  Greeting ", "text": " Hello!\n\nHow can I help?  "}]}
    assert _canned(scenario, "PUT", scenario.home, scenario.admin, padded) == (
        200,
        {"messages": [{"title": "Greeting", "text": "Hello!\n\nHow can I help?"}]},
    )
    assert _canned(scenario, "PUT", scenario.home, scenario.admin, SAVED) == (200, SAVED)
    assert _canned(scenario, "GET", scenario.home, scenario.librarian) == (200, SAVED)
    assert _canned(scenario, "GET", scenario.home, scenario.partner_librarian) == (200, SAVED)
    assert _canned(scenario, "GET", scenario.home, scenario.admin) == (200, SAVED)

    nothing = {"messages": []}
    for email, library in (
        (scenario.librarian, scenario.home),  # not an admin
        (other_admin, scenario.home),  # an admin, of another library in the cooperative
        (scenario.admin, scenario.partner),  # this admin, another library
    ):
        status, refused = _canned(scenario, "PUT", library, email, nothing)
        assert (status, refused["code"]) == (403, "forbidden"), (email, library)
    assert _canned(scenario, "GET", scenario.home, scenario.librarian) == (200, SAVED)
    assert _canned(scenario, "GET", scenario.partner, scenario.partner_librarian) == (200, {"messages": []})

    assert _canned(scenario, "PUT", scenario.home, scenario.admin, nothing) == (200, nothing)
    assert _canned(scenario, "GET", scenario.home, scenario.librarian) == (200, nothing)


def test_a_list_over_the_limits_or_with_unknown_fields_is_refused_and_changes_nothing(scenario):
    assert _canned(scenario, "PUT", scenario.home, scenario.admin, SAVED)[0] == 200
    one = {"title": "Hi", "text": "Hello"}
    most = limits.CANNED_MESSAGES
    assert (most, limits.TEXT) == (200, 4000)
    refused = {
        "too_large": [
            {"messages": [one] * (most + 1)},
            {"messages": [one, {"title": "Long", "text": "x" * (limits.TEXT + 1)}]},
            {"messages": [{"title": "t" * (limits.CANNED_TITLE + 1), "text": "Hello"}]},
            # each within its limits, but together more than one item can hold
            {"messages": [{"title": f"Long {n}", "text": "é" * limits.TEXT} for n in range(50)]},
        ],
        "bad_request": [
            {"messages": [one, {"title": "", "text": "Hello"}]},
            {"messages": [{"title": "   ", "text": "Hello"}]},
            {"messages": [{"title": "Hi", "text": "  "}]},
            {"messages": [{"title": "Hi"}]},
            {"messages": [{**one, "shortcut": "/hi"}]},
            {"messages": [one], "library": scenario.home},
            {"messages": "Hello"},
            {},
        ],
    }
    for code, bodies in refused.items():
        for body in bodies:
            status, error = _canned(scenario, "PUT", scenario.home, scenario.admin, body)
            assert (status, error["code"]) == ((413, code) if code == "too_large" else (400, code)), body
    status, error = _canned(
        scenario, "PUT", scenario.home, scenario.admin, {"messages": [{**one, "shortcut": "/hi"}]}
    )
    assert "shortcut" in error["message"]
    status, error = _canned(scenario, "PUT", scenario.home, scenario.admin, {"messages": [one] * (most + 1)})
    assert f"at most {most}" in error["message"]
    assert _canned(scenario, "GET", scenario.home, scenario.librarian) == (200, SAVED)

    # Exactly at the limits is fine: 200 messages, a 4,000-character text, a 100-character title.
    full = {
        "messages": [
            {"title": "t" * limits.CANNED_TITLE, "text": "x" * limits.TEXT},
            *({"title": f"Message {n}", "text": f"Canned text {n}"} for n in range(2, most + 1)),
        ]
    }
    assert _canned(scenario, "PUT", scenario.home, scenario.admin, full) == (200, full)
    assert _canned(scenario, "GET", scenario.home, scenario.partner_librarian) == (200, full)


def test_the_pages_get_the_canned_limits_with_the_others(scenario):
    token = scenario.stack.login(scenario.librarian)
    status, me = http("GET", f"{scenario.stack.base}/api/me", token=token)
    assert status == 200
    assert (me["limits"]["canned_messages"], me["limits"]["canned_title"], me["limits"]["text"]) == (
        limits.CANNED_MESSAGES,
        limits.CANNED_TITLE,
        limits.TEXT,
    )


def test_the_demo_libraries_ship_canned_messages(stack):
    token = stack.login("carol@demo-univ.example")
    for library in ("demo-public", "demo-univ"):
        status, body = http("GET", f"{stack.base}/api/libraries/{library}/canned", token=token)
        assert status == 200
        titles = [m["title"] for m in body["messages"]]
        assert {"Greeting", "Let me check", "Are you still there?", "Closing"} <= set(titles), titles
        assert any(title.startswith("Referral") for title in titles)
