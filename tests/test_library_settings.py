"""A library's settings and policy page over HTTP against the local stack: who may read and
change them, what a body must be, and the settings taking effect for patrons and routing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib import clock, limits
from devstack.client import http


def _api(scenario, method: str, path: str, email: str, body: Any = None) -> tuple[int, Any]:
    token = scenario.stack.login(email)
    return http(method, f"{scenario.stack.base}/api{path}", body, token=token)


def _settings(scenario, email: str | None = None) -> dict:
    status, body = _api(scenario, "GET", f"/libraries/{scenario.home}", email or scenario.admin)
    assert status == 200, body
    return body


def _later(**delta: float) -> str:
    return clock.iso(clock.now() + timedelta(**delta))


EDITED = {
    "name": "Home Library (Main)",
    "hours": "Mon-Fri 9-17",
    "website": "https://home.example.org/",
    "alternatives": [
        {"label": "Call the desk", "url": "tel:+15550199"},
        {"label": "E-mail us", "url": "mailto:ask@home.example.org"},
        {"label": "Our FAQ", "url": "https://home.example.org/faq"},
    ],
    "unavailable_message": "The desk is closed. Call us or leave a question below.",
    "escalate_after_s": 90,
    "give_up_after_s": 900,
    "retention_days": 730,
}


# --- who may read and change them ------------------------------------------------------------------


def test_the_librarys_own_and_its_partners_librarians_read_the_settings_and_outsiders_may_not(scenario):
    own = _settings(scenario, scenario.librarian)
    assert own == {
        "library_id": scenario.home,
        "name": "Home Library",
        "cooperative": own["cooperative"],
        "hours": "",
        "website": "",
        "alternatives": [{"label": "Call us", "url": "tel:+15550100"}],
        "unavailable_message": "",
        "escalate_after_s": 40,
        "give_up_after_s": 600,
        "retention_days": 90,
    }
    assert own["cooperative"].startswith("coop-")
    assert _settings(scenario, scenario.partner_librarian) == own
    status, body = _api(scenario, "GET", f"/libraries/{scenario.home}", scenario.outsider_librarian)
    assert (status, body["code"]) == (403, "forbidden")
    assert _api(scenario, "GET", "/libraries/no-such-library", scenario.admin)[0] == 404
    assert http("GET", f"{scenario.stack.base}/api/libraries/{scenario.home}")[0] == 401


def test_an_admin_changes_the_settings_and_reads_back_what_was_saved(scenario):
    current = _settings(scenario)
    body = {**current, **EDITED}
    status, saved = _api(scenario, "PUT", f"/libraries/{scenario.home}", scenario.admin, body)
    assert (status, saved) == (200, body)
    assert _settings(scenario, scenario.librarian) == body

    # "Never offered to the cooperative" is kept apart from "not set".
    never = {**body, "escalate_after_s": None, "unavailable_message": "", "website": ""}
    assert _api(scenario, "PUT", f"/libraries/{scenario.home}", scenario.admin, never) == (200, never)
    assert _settings(scenario) == never


def test_only_an_admin_of_the_library_may_change_it(scenario, stack):
    other_admin = f"admin@{scenario.partner}.example"
    stack.fixtures(
        {
            "staff": [
                {"email": other_admin, "name": "Partner Admin", "library": scenario.partner, "admin": True}
            ]
        }
    )
    before = _settings(scenario)
    body = {**before, **EDITED}
    for email in (scenario.librarian, other_admin, scenario.outsider_librarian):
        status, refused = _api(scenario, "PUT", f"/libraries/{scenario.home}", email, body)
        assert (status, refused["code"]) == (403, "forbidden"), email
        status, refused = _api(scenario, "PUT", f"/libraries/{scenario.home}/policy", email, {"sections": []})
        assert (status, refused["code"]) == (403, "forbidden"), email
    assert _settings(scenario) == before
    assert (
        _api(scenario, "GET", f"/libraries/{scenario.home}/policy", scenario.admin)[1]["updated_at"] is None
    )


# --- what a body must be ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        (
            {"alternatives": [{"label": "Leave a question", "url": "/chat/home#question"}]},
            400,
            "Leave a question",
        ),
        ({"alternatives": [{"label": "Click me", "url": "javascript:alert(1)"}]}, 400, "javascript:alert(1)"),
        ({"alternatives": [{"label": "Far away", "url": "//evil.example/"}]}, 400, "alternatives.0"),
        ({"alternatives": [{"label": "Call", "url": "tel:+1 555 0100"}]}, 400, "tel:+15550100"),
        (
            {"alternatives": [{"label": f"Link {n}", "url": "https://x.example/"} for n in range(21)]},
            400,
            "alternatives",
        ),
        ({"alternatives": [{"label": "", "url": "https://x.example/"}]}, 400, "alternatives.0.label"),
        ({"alternatives": [{"label": "x", "url": "https://x.example/", "target": "_top"}]}, 400, "target"),
        ({"website": "home.example.org"}, 400, "website"),
        ({"website": "ftp://home.example.org/"}, 400, "website"),
        ({"library_id": "someone-else"}, 400, "library_id"),
        ({"cooperative": "another-coop"}, 400, "cooperative"),
        ({"cooperative": None}, 400, "cooperative"),
        ({"name": "   "}, 400, "name"),
        ({"name": "x" * (limits.LIBRARY_NAME + 1)}, 413, "name"),
        ({"escalate_after_s": -1}, 400, "escalate_after_s"),
        ({"escalate_after_s": 86401}, 400, "escalate_after_s"),
        ({"escalate_after_s": "40"}, 400, "escalate_after_s"),
        ({"give_up_after_s": 59}, 400, "give_up_after_s"),
        ({"give_up_after_s": 600.5}, 400, "give_up_after_s"),
        ({"give_up_after_s": None}, 400, "give_up_after_s"),
        ({"escalate_after_s": 600, "give_up_after_s": 600}, 400, "more than escalate_after_s"),
        ({"retention_days": 29}, 400, "retention_days"),
        ({"retention_days": 3651}, 400, "retention_days"),
        ({"retention_days": True}, 400, "retention_days"),
        ({"colour": "red"}, 400, "colour"),
    ],
)
def test_a_bad_body_is_refused_with_a_message_naming_what_is_wrong_and_changes_nothing(
    scenario, change, status, says
):
    before = _settings(scenario)
    body = {**before, **EDITED, **change}
    got, refused = _api(scenario, "PUT", f"/libraries/{scenario.home}", scenario.admin, body)
    assert got == status, refused
    assert refused["code"] == ("too_large" if status == 413 else "bad_request")
    assert says in refused["message"]
    assert _settings(scenario) == before


def test_a_body_missing_a_setting_is_refused(scenario):
    body = {**_settings(scenario), **EDITED}
    del body["retention_days"]
    status, refused = _api(scenario, "PUT", f"/libraries/{scenario.home}", scenario.admin, body)
    assert (status, refused["code"]) == (400, "bad_request")
    assert "retention_days" in refused["message"]


# --- the policy page -------------------------------------------------------------------------------


SECTIONS = [
    {"title": "Who we serve", "text": "Residents of the county; visitors use the building."},
    {
        "title": "Borrowing",
        "text": "Three renewals unless someone has a hold.\nNo fines on children's books.",
    },
    {
        "title": "Referrals",
        "text": "Fines: the circulation desk, 555-0100. Tell visitors <b>we</b> welcome them.",
    },
]


def test_an_admin_saves_the_policy_sections_and_they_are_dated_and_read_back(scenario):
    path = f"/libraries/{scenario.home}/policy"
    before = clock.iso(clock.now() - timedelta(seconds=1))
    status, saved = _api(scenario, "PUT", path, scenario.admin, {"sections": SECTIONS})
    assert status == 200, saved
    assert saved["sections"] == SECTIONS
    assert saved["updated_at"] >= before
    assert saved["policy"].startswith("Who we serve\nResidents of the county")
    assert {"library_id", "name", "cooperative", "hours", "alternatives", "website"} <= set(saved)

    status, read = _api(scenario, "GET", path, scenario.partner_librarian)
    assert (status, read) == (200, saved)
    assert _api(scenario, "GET", path, scenario.outsider_librarian)[0] == 403

    # Titles and texts are trimmed; an empty list clears the page (and dates it too).
    status, trimmed = _api(
        scenario, "PUT", path, scenario.admin, {"sections": [{"title": "  Hours ", "text": " 9-5 "}]}
    )
    assert (status, trimmed["sections"]) == (200, [{"title": "Hours", "text": "9-5"}])
    status, cleared = _api(scenario, "PUT", path, scenario.admin, {"sections": []})
    assert (status, cleared["sections"], cleared["policy"]) == (200, [], "")
    assert cleared["updated_at"] >= saved["updated_at"]


def test_a_policy_page_from_before_sections_reads_as_one_section(scenario, stack):
    old = f"old-{scenario.home}"
    stack.fixtures(
        {"libraries": [{"id": old, "name": "Old Library", "policy": "Cards are free.\nRenew twice."}]}
    )
    stack.fixtures({"staff": [{"email": f"lib@{old}.example", "name": "Old Librarian", "library": old}]})
    status, policy = _api(scenario, "GET", f"/libraries/{old}/policy", f"lib@{old}.example")
    assert status == 200, policy
    assert policy["sections"] == [{"title": "Policy", "text": "Cards are free.\nRenew twice."}]
    assert (policy["policy"], policy["updated_at"]) == ("Cards are free.\nRenew twice.", None)


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (
            {"sections": [{"title": f"Part {n}", "text": "Text"} for n in range(limits.POLICY_SECTIONS + 1)]},
            400,
            "sections",
        ),
        ({"sections": [{"title": "x" * (limits.POLICY_TITLE + 1), "text": "Text"}]}, 413, "sections.0.title"),
        ({"sections": [{"title": "Long", "text": "x" * (limits.POLICY_TEXT + 1)}]}, 413, "sections.0.text"),
        ({"sections": [{"title": "Borrowing", "text": "  "}]}, 400, "sections.0.text"),
        ({"sections": [{"title": "Borrowing"}]}, 400, "sections.0.text"),
        ({"sections": [{"title": "Borrowing", "text": "Text", "html": "<b>"}]}, 400, "html"),
        ({"sections": [], "updated_at": "2020-01-01T00:00:00.000Z"}, 400, "updated_at"),
        ({}, 400, "sections"),
    ],
)
def test_a_bad_policy_is_refused_and_changes_nothing(scenario, body, status, says):
    path = f"/libraries/{scenario.home}/policy"
    assert _api(scenario, "PUT", path, scenario.admin, {"sections": SECTIONS})[0] == 200
    before = _api(scenario, "GET", path, scenario.admin)[1]
    got, refused = _api(scenario, "PUT", path, scenario.admin, body)
    assert got == status, refused
    assert refused["code"] == ("too_large" if status == 413 else "bad_request")
    assert says in refused["message"]
    assert _api(scenario, "GET", path, scenario.admin)[1] == before


# --- the settings take effect ----------------------------------------------------------------------


def test_availability_shows_the_new_closed_message_alternatives_name_and_hours(scenario):
    body = {**_settings(scenario), **EDITED}
    assert _api(scenario, "PUT", f"/libraries/{scenario.home}", scenario.admin, body)[0] == 200
    status, availability = http("GET", f"{scenario.stack.base}/api/libraries/{scenario.home}/availability")
    assert status == 200
    assert availability["available"] is False
    assert availability["message"] == EDITED["unavailable_message"]
    assert availability["alternatives"] == EDITED["alternatives"]
    assert (availability["name"], availability["hours"]) == (EDITED["name"], EDITED["hours"])
    assert availability["limits"]["policy_sections"] == limits.POLICY_SECTIONS

    # The patron asking over the socket is told the same.
    patron = scenario.connect()
    unavailable = patron.call("request_chat", library=scenario.home, question="Anyone there?")
    assert unavailable["type"] == "chat_unavailable"
    assert (unavailable["message"], unavailable["alternatives"]) == (
        EDITED["unavailable_message"],
        EDITED["alternatives"],
    )

    # An empty message goes back to the default text.
    assert (
        _api(
            scenario,
            "PUT",
            f"/libraries/{scenario.home}",
            scenario.admin,
            {**body, "unavailable_message": ""},
        )[0]
        == 200
    )
    availability = http("GET", f"{scenario.stack.base}/api/libraries/{scenario.home}/availability")[1]
    assert availability["message"].startswith("No librarian is available to chat right now.")


def test_routing_follows_the_saved_escalation_time(scenario):
    body = {**_settings(scenario), "escalate_after_s": 5, "give_up_after_s": 120}
    assert _api(scenario, "PUT", f"/libraries/{scenario.home}", scenario.admin, body)[0] == 200
    scenario.monitoring(scenario.librarian)
    partner = scenario.monitoring(scenario.partner_librarian)
    _, requested = scenario.chat()
    session_id = requested["session_id"]
    scenario.stack.run_job("escalate_waiting", _later(seconds=6))  # the default (40 s) would wait
    offered = partner.wait(lambda f: f.get("op") == "added" and f["session"]["session_id"] == session_id)
    assert offered["session"]["escalated"] is True

    # Never offered to the cooperative: a partner is not offered the next request at all.
    assert (
        _api(
            scenario, "PUT", f"/libraries/{scenario.home}", scenario.admin, {**body, "escalate_after_s": None}
        )[0]
        == 200
    )
    patron, second = scenario.chat("And another question?")
    scenario.stack.run_job("escalate_waiting", _later(seconds=60))
    assert partner.call("accept", session_id=second["session_id"])["code"] == "forbidden"
    assert patron.of_type("session_update") == []
    # ...and it is given up at the saved time, not the default ten minutes.
    scenario.stack.run_job("escalate_waiting", _later(seconds=121))
    assert patron.wait_type("session_update", status="ended")["ended_by"] == "unanswered"
