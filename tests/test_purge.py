"""Privacy (contract §11): the patron's name, e-mail and page URL go once their library's
retention_days have passed since the chat or question ended (the purge_personal_data job,
run here "as if" days later), or at once when an admin of the library removes them; the
question, the transcript's words and the codes stay for reports. No Scan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib import clock
from devstack.client import http

NAME, PAGE = "Alice Privacy", "https://home.example.org/catalog?q=maps"


def _api(scenario, method: str, path: str, email: str, body: Any = None) -> tuple[int, Any]:
    return http(method, f"{scenario.stack.base}/api{path}", body, token=scenario.stack.login(email))


def _detail(scenario, question_id: str, email: str | None = None) -> dict:
    status, body = _api(scenario, "GET", f"/questions/{question_id}", email or scenario.admin)
    assert status == 200, body
    return body


def _days_after(iso: str, days: float) -> str:
    return clock.iso(clock.parse(iso) + timedelta(days=days))


def _purge(scenario, now: str) -> int:
    """Run the job as if at `now` until it finds nothing more (each run does a bounded page;
    the shared stack holds every earlier test's questions too)."""
    total = 0
    for _ in range(50):
        changed = scenario.stack.run_job("purge_personal_data", now)["changed"]
        total += changed
        if changed == 0:
            return total
    raise AssertionError("the purge never finished")


def _ended_chat(scenario, email_name: str, question: str = "Where are the old maps?") -> tuple[str, dict]:
    """A chat with a named patron who gave an e-mail address and a page, coded and ended."""
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(question, name=NAME, email=scenario.email(email_name), page_url=PAGE)
    session_id = requested["session_id"]
    librarian.call("accept", session_id=session_id)
    assert patron.call("send_message", session_id=session_id, text="I want the 1901 plan")["type"] == "ack"
    librarian.call("send_message", session_id=session_id, text="It is in the map room.")
    assert librarian.call("set_codes", session_id=session_id, resolution="answered")["type"] == "ack"
    librarian.call("end_chat", session_id=session_id)
    return session_id, _detail(scenario, session_id)


def _assert_kept(detail: dict, email: str) -> None:
    assert detail["patron"] == {"name": NAME, "email": email}
    assert detail["session"]["patron"]["name"] == NAME
    assert detail["session"]["page_url"] == PAGE
    assert NAME in {m["from"].get("name") for m in detail["transcript"] if m["from"]["role"] == "patron"}
    assert detail["patron_data_removed_at"] is None


def _assert_removed(detail: dict) -> None:
    assert detail["patron"] == {"name": None, "email": None}
    assert detail["patron_data_removed_at"]
    session = detail["session"]
    assert session.get("patron", {}).get("name") is None and session.get("patron", {}).get("email") is None
    assert session.get("page_url") is None
    assert all(m["from"].get("name") is None for m in detail["transcript"] if m["from"]["role"] == "patron")
    # what stays for reports: the question, the transcript's words, the codes, who served it
    words = [m["text"] for m in detail["transcript"]]
    assert "I want the 1901 plan" in words and "It is in the map room." in words
    assert detail["question"] == "Where are the old maps?"
    assert detail["resolution"] == "answered" and detail["status"] == "answered"
    librarians = {m["from"].get("name") for m in detail["transcript"] if m["from"]["role"] == "librarian"}
    assert librarians == {"Librarian"}
    assert detail["session"]["librarian"]["name"] == "Librarian"
    assert NAME not in str(detail)


# --- the job ---------------------------------------------------------------------------------------


def test_a_chat_ended_more_than_90_days_ago_loses_its_patrons_data_and_keeps_its_words(scenario):
    session_id, detail = _ended_chat(scenario, "purged")
    _assert_kept(detail, scenario.email("purged"))
    ended_at = detail["session"]["ended_at"]

    _purge(scenario, _days_after(ended_at, 89))  # the default retention, 90 days, not yet past
    _assert_kept(_detail(scenario, session_id), scenario.email("purged"))

    _purge(scenario, _days_after(ended_at, 91))
    purged = _detail(scenario, session_id)
    _assert_removed(purged)
    assert purged["patron_data_removed_at"] == _days_after(ended_at, 91)

    # Again, and again later: nothing more to do, and nothing changes.
    assert _purge(scenario, _days_after(ended_at, 91)) == 0
    _purge(scenario, _days_after(ended_at, 400))
    assert _detail(scenario, session_id) == purged

    # The chat is still in the question list (and in its status's list), without the name.
    status, page = _api(scenario, "GET", "/questions?status=answered", scenario.librarian)
    assert status == 200, page
    (listed,) = [q for q in page["questions"] if q["question_id"] == session_id]
    assert (
        listed["patron"] == {"name": None, "email": None} and listed["question"] == "Where are the old maps?"
    )
    assert scenario.stack.calls().get("dynamodb.Scan", 0) == 0


def test_a_library_with_a_30_day_retention_is_purged_after_31_days(scenario):
    settings = _api(scenario, "GET", f"/libraries/{scenario.home}", scenario.admin)[1]
    assert settings["retention_days"] == 90  # the default
    saved = _api(
        scenario, "PUT", f"/libraries/{scenario.home}", scenario.admin, {**settings, "retention_days": 30}
    )
    assert saved[0] == 200, saved
    session_id, detail = _ended_chat(scenario, "thirty")
    ended_at = detail["session"]["ended_at"]
    _purge(scenario, _days_after(ended_at, 29))
    _assert_kept(_detail(scenario, session_id), scenario.email("thirty"))
    _purge(scenario, _days_after(ended_at, 31))
    _assert_removed(_detail(scenario, session_id))


def test_questions_left_by_form_and_tickets_are_purged_from_when_they_were_filed(scenario):
    patron = scenario.connect()
    filed = patron.call(
        "submit_question",
        library=scenario.home,
        question="Any census records?",
        name=NAME,
        email=scenario.email("form"),
    )
    form = _detail(scenario, filed["question_id"])
    assert form["patron"] == {"name": NAME, "email": scenario.email("form")}
    session_id, chat = _ended_chat(scenario, "ticketed")
    librarian = scenario.monitoring(scenario.librarian)
    ticket_id = librarian.call("create_ticket", session_id=session_id, note="find the plan")["question_id"]
    assert _detail(scenario, ticket_id)["patron"]["name"] == NAME

    _purge(scenario, _days_after(form["created_at"], 89))
    assert _detail(scenario, filed["question_id"])["patron"]["name"] == NAME
    _purge(scenario, _days_after(chat["session"]["ended_at"], 91))
    for question_id in (filed["question_id"], ticket_id):
        question = _detail(scenario, question_id)
        assert question["patron"] == {"name": None, "email": None} and question["patron_data_removed_at"]
    assert _detail(scenario, ticket_id)["activity"][0]["text"] == "find the plan"
    _assert_removed(_detail(scenario, session_id))


def test_an_anonymous_chat_is_never_due(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, requested = scenario.chat("No name given")
    librarian.call("accept", session_id=requested["session_id"])
    librarian.call("end_chat", session_id=requested["session_id"])
    detail = _detail(scenario, requested["session_id"])
    _purge(scenario, _days_after(detail["session"]["ended_at"], 91))
    assert _detail(scenario, requested["session_id"]) == detail  # nothing to remove: not marked


# --- an admin's removal at once --------------------------------------------------------------------


def _forget(scenario, question_id: str, email: str | None) -> tuple[int, Any]:
    token = scenario.stack.login(email) if email else None
    return http("DELETE", f"{scenario.stack.base}/api/questions/{question_id}/patron-data", token=token)


def test_an_admin_of_the_patrons_library_removes_a_patrons_data_at_once(scenario, stack):
    partner_admin = f"admin@{scenario.partner}.example"
    stack.fixtures(
        {
            "staff": [
                {"email": partner_admin, "name": "Partner Admin", "library": scenario.partner, "admin": True}
            ]
        }
    )
    session_id, detail = _ended_chat(scenario, "erase")
    _assert_kept(detail, scenario.email("erase"))

    for email, status in [
        (None, 401),
        (scenario.librarian, 403),  # not an admin
        (partner_admin, 403),  # an admin, of another library of the cooperative
        (scenario.outsider_librarian, 403),
    ]:
        refused = _forget(scenario, session_id, email)
        assert refused[0] == status, (email, refused)
    _assert_kept(_detail(scenario, session_id), scenario.email("erase"))
    assert _forget(scenario, "no-such-question", scenario.admin)[0] == 404

    status, summary = _forget(scenario, session_id, scenario.admin)
    assert status == 200, summary
    assert summary["patron"] == {"name": None, "email": None} and summary["patron_data_removed_at"]
    assert summary["question_id"] == session_id and "transcript" not in summary
    removed = _detail(scenario, session_id)
    _assert_removed(removed)
    assert _forget(scenario, session_id, scenario.admin) == (200, summary)  # again: nothing more
    # Nothing is left for the job either.
    _purge(scenario, _days_after(detail["session"]["ended_at"], 91))
    assert _detail(scenario, session_id) == removed


def test_removing_a_tickets_patron_data_removes_its_chats_too_and_a_live_chat_is_refused(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat("Live one", name=NAME, email=scenario.email("live"), page_url=PAGE)
    status, refused = _forget(scenario, requested["session_id"], scenario.admin)
    assert (status, refused["code"]) == (400, "bad_request")
    librarian.call("accept", session_id=requested["session_id"])
    ticket_id = librarian.call("create_ticket", session_id=requested["session_id"])["question_id"]
    status, refused = _forget(scenario, ticket_id, scenario.admin)  # its chat is live
    assert (status, refused["code"]) == (400, "bad_request")
    assert _detail(scenario, requested["session_id"])["session"]["page_url"] == PAGE
    patron.call("send_message", session_id=requested["session_id"], text="thanks")
    librarian.call("end_chat", session_id=requested["session_id"])

    status, summary = _forget(scenario, ticket_id, scenario.admin)
    assert status == 200 and summary["patron"] == {"name": None, "email": None}
    chat = _detail(scenario, requested["session_id"])
    assert chat["patron"] == {"name": None, "email": None} and chat["patron_data_removed_at"]
    assert chat["session"].get("page_url") is None and NAME not in str(chat)
    assert "thanks" in [m["text"] for m in chat["transcript"]]
