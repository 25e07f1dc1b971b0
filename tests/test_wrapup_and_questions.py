"""Ending and coding chats, the question list, and exiting the system, end to end:
WebSocket, REST, /dev/outbox and /dev/jobs."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import clock
from devstack.client import http


def _api(scenario, method: str, path: str, email: str, body=None):
    return http(method, f"{scenario.stack.base}/api{path}", body, token=scenario.stack.login(email))


def _live_chat(scenario, librarian, question="Where are the maps?", email="pat", name="Pat"):
    patron, requested = scenario.chat(question, email=scenario.email(email), name=name)
    session_id = requested["session_id"]
    assert librarian.call("accept", session_id=session_id)["type"] == "accepted"
    patron.wait_type("session_update", status="active")
    return patron, requested, session_id


def _question(scenario, session_id: str, email: str | None = None):
    status, body = _api(scenario, "GET", f"/questions/{session_id}", email or scenario.librarian)
    assert status == 200, body
    return body


def _mails_to(scenario, address: str):
    return [m for m in scenario.stack.outbox() if m["to"] == address]


# --- exiting the system ---------------------------------------------------------------------------


def test_logout_ends_live_chats_mails_them_and_leaves_waiting_requests_to_others(scenario):
    colleague = scenario.monitoring(scenario.admin)
    leaving = scenario.monitoring(scenario.librarian)
    first, _, first_id = _live_chat(scenario, leaving, email="one")
    second, _, second_id = _live_chat(scenario, leaving, "Census help?", email="two")
    waiting, waiting_request = scenario.chat("Still waiting?")

    out = leaving.call("logout")
    assert out["type"] == "logged_out" and sorted(out["ended"]) == sorted([first_id, second_id])
    for patron, address in ((first, scenario.email("one")), (second, scenario.email("two"))):
        ended = patron.wait_type("session_update", status="ended")
        assert ended["ended_by"] == "exit"
        assert (
            "has left the service"
            in patron.wait(lambda f: f.get("kind") == "system" and "left" in f["text"])["text"]
        )
        assert len(_mails_to(scenario, address)) == 1

    # The waiting request is untouched and still offered to everyone else.
    assert waiting.of_type("session_update") == []
    assert waiting_request["session_id"] in [s["session_id"] for s in colleague.call("monitor")["new"]]
    scenario.chat("Arrived after the exit")
    colleague.wait(lambda f: f.get("op") == "added" and f["session"]["question"] == "Arrived after the exit")
    assert not [
        f for f in leaving.of_type("queue_update") if f["session"]["question"] == "Arrived after the exit"
    ]

    # Gone from My Active; filed as answered and labelled in_progress, for under two hours.
    assert scenario.connect(scenario.librarian).call("monitor")["mine"] == []
    for session_id in (first_id, second_id):
        question = _question(scenario, session_id)
        assert (question["status"], question["labels"]) == ("answered", ["in_progress"])
    ended_at = clock.parse(first.of_type("session_update")[-1]["ended_at"])
    scenario.stack.run_job("clear_in_progress", clock.iso(ended_at + timedelta(hours=1)))
    for session_id in (first_id, second_id):
        assert _question(scenario, session_id)["labels"] == ["in_progress"]
    later = scenario.stack.run_job("clear_in_progress", clock.iso(ended_at + timedelta(hours=2)))
    assert later["changed"] >= 2
    for session_id in (first_id, second_id):
        assert _question(scenario, session_id)["labels"] == []
        assert _question(scenario, session_id)["status"] == "answered"


# --- the question list on a live chat -------------------------------------------------------------


def test_question_list_actions_on_a_live_chat_show_in_the_chat_and_the_chat_goes_on(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, _, session_id = _live_chat(scenario, librarian, email="live")
    listed = _api(scenario, "GET", "/questions?status=live", scenario.admin)[1]["questions"]
    assert session_id in [q["question_id"] for q in listed]

    status, _ = _api(
        scenario,
        "POST",
        f"/questions/{session_id}/answer",
        scenario.admin,
        {"text": "The map room is on floor 3."},
    )
    assert status == 200
    for side in (patron, librarian):
        answer = side.wait_type("message", kind="answer")
        assert answer["text"] == "The map room is on floor 3." and answer["from"]["name"] == "Admin"
    (mail,) = _mails_to(scenario, scenario.email("live"))
    assert "The map room is on floor 3." in mail["text"] and "Where are the maps?" in mail["text"]

    _api(
        scenario,
        "POST",
        f"/questions/{session_id}/notes",
        scenario.admin,
        {"text": "They also have atlases."},
    )
    _api(
        scenario,
        "POST",
        f"/questions/{session_id}/librarian-message",
        scenario.admin,
        {"text": "Mention the atlases?"},
    )
    notes = [librarian.wait_type("message", kind="note")["text"] for _ in range(2)]
    assert "They also have atlases." in notes[0] and "Mention the atlases?" in notes[1]

    assert _api(scenario, "POST", f"/questions/{session_id}/close", scenario.admin)[0] == 200
    assert "closed this question" in librarian.wait_type("message", kind="note")["text"]
    assert patron.call("send_message", session_id=session_id, text="Thanks!")["type"] == "ack"
    assert _question(scenario, session_id)["status"] == "live"
    assert not [m for m in patron.of_type("message") if m["kind"] == "note"]

    # No resolution code: the close decides when the chat ends.
    librarian.call("end_chat", session_id=session_id)
    question = _question(scenario, session_id)
    assert question["status"] == "closed"
    assert [a["kind"] for a in question["activity"]] == ["answer", "note", "librarian_message", "close"]


def test_a_resolution_code_decides_over_a_close_from_the_question_list(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, _, session_id = _live_chat(scenario, librarian)
    _api(scenario, "POST", f"/questions/{session_id}/close", scenario.admin)
    assert librarian.call("set_codes", session_id=session_id, resolution="followup_by_me")["type"] == "ack"
    assert _question(scenario, session_id)["status"] == "live"
    librarian.call("end_chat", session_id=session_id)
    assert _question(scenario, session_id)["status"] == "pending"


def test_question_list_actions_on_an_ended_chat_and_a_left_question(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, _, session_id = _live_chat(scenario, librarian, email="ended")
    librarian.call("end_chat", session_id=session_id)
    assert len(_mails_to(scenario, scenario.email("ended"))) == 1  # the transcript

    _api(
        scenario,
        "POST",
        f"/questions/{session_id}/answer",
        scenario.librarian,
        {"text": "Follow-up: try the atlas."},
    )
    assert len(_mails_to(scenario, scenario.email("ended"))) == 2
    assert _question(scenario, session_id)["status"] == "answered"
    closed = _api(scenario, "POST", f"/questions/{session_id}/close", scenario.librarian)
    assert closed[0] == 200, closed
    assert _question(scenario, session_id)["status"] == "closed"

    form = scenario.connect().call(
        "submit_question", library=scenario.home, question="No e-mail?", email=scenario.email("form")
    )
    left = _question(scenario, form["question_id"])
    assert (left["source"], left["status"], left["transcript"]) == ("form", "open", [])
    _api(
        scenario,
        "POST",
        f"/questions/{form['question_id']}/notes",
        scenario.librarian,
        {"text": "Checked the stacks."},
    )
    assert _question(scenario, form["question_id"])["activity"][0]["text"] == "Checked the stacks."


def test_the_question_list_filters_through_indexes_and_pages(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    ids = []
    for number in range(3):
        patron = scenario.connect()
        reply = patron.call(
            "submit_question", library=scenario.home, question=f"q{number}", email=scenario.email("p")
        )
        ids.append(reply["question_id"])
    _, _, live_id = _live_chat(scenario, librarian)

    everything = _api(scenario, "GET", "/questions", scenario.librarian)[1]
    assert [q["question_id"] for q in everything["questions"]] == [live_id, *reversed(ids)]
    page_one = _api(scenario, "GET", "/questions?status=open&limit=2", scenario.librarian)[1]
    assert len(page_one["questions"]) == 2 and page_one["next"]
    page_two = _api(
        scenario, "GET", f"/questions?status=open&limit=2&cursor={page_one['next']}", scenario.librarian
    )[1]
    assert [q["question_id"] for q in page_one["questions"] + page_two["questions"]] == list(reversed(ids))
    assert page_two["next"] is None
    assert _api(scenario, "GET", "/questions?label=in_progress", scenario.librarian)[1]["questions"] == []
    assert _api(scenario, "GET", "/questions?status=nonsense", scenario.librarian)[0] == 400
    assert _api(scenario, "GET", f"/questions?library={scenario.partner}", scenario.librarian)[0] == 403
    assert _api(scenario, "GET", f"/questions/{ids[0]}", scenario.partner_librarian)[0] == 403
    assert _api(scenario, "GET", "/questions?cursor=not-a-cursor", scenario.librarian)[0] == 400


# --- wrap-up codes --------------------------------------------------------------------------------


def test_set_codes_checks_the_librarys_lists_and_changes_nothing_when_refused(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, _, session_id = _live_chat(scenario, librarian)
    librarian.call("end_chat", session_id=session_id)
    five = ["genealogy", "local_history", "maps_gis", "archives_special", "catalog_search"]
    assert (
        librarian.call("set_codes", session_id=session_id, resolution="answered", descriptive=five)["code"]
        == "bad_request"
    )
    unknown = librarian.call("set_codes", session_id=session_id, resolution="made_up")
    assert unknown["code"] == "bad_request" and "made_up" in unknown["message"]
    assert (
        librarian.call("set_codes", session_id=session_id, resolution="answered", descriptive=["nope"])[
            "code"
        ]
        == "bad_request"
    )
    outsider = scenario.monitoring(scenario.outsider_librarian)
    assert outsider.call("set_codes", session_id=session_id, resolution="answered")["code"] == "forbidden"
    untouched = _question(scenario, session_id)
    assert (untouched["resolution"], untouched["descriptive"], untouched["status"]) == (None, [], "answered")

    ok = librarian.call(
        "set_codes", session_id=session_id, resolution="referred", descriptive=five[:4], analytics=False
    )
    assert ok["type"] == "ack"
    coded = _question(scenario, session_id)
    assert (coded["resolution"], coded["descriptive"], coded["status"], coded["in_analytics"]) == (
        "referred",
        five[:4],
        "referred",
        False,
    )


def test_libraries_customise_their_code_lists(scenario):
    status, defaults = _api(scenario, "GET", f"/libraries/{scenario.home}/codes", scenario.librarian)
    assert status == 200 and len(defaults["descriptive"]) > 50
    assert {"answered", "followup_by_me", "followup_by_patrons_library", "referred", "patron_left"} <= {
        c["code"] for c in defaults["resolution"]
    }
    custom = {
        "resolution": [{"code": "done", "label": "Done", "status": "answered"}],
        "descriptive": [{"code": "zines", "label": "Zines"}],
    }
    assert _api(scenario, "PUT", f"/libraries/{scenario.home}/codes", scenario.librarian, custom)[0] == 403
    assert _api(scenario, "PUT", f"/libraries/{scenario.partner}/codes", scenario.admin, custom)[0] == 403
    bad = {**custom, "resolution": [{"code": "x", "label": "X", "status": "maybe"}]}
    assert _api(scenario, "PUT", f"/libraries/{scenario.home}/codes", scenario.admin, bad)[0] == 400
    assert _api(scenario, "PUT", f"/libraries/{scenario.home}/codes", scenario.admin, custom)[0] == 200
    assert _api(scenario, "GET", f"/libraries/{scenario.home}/codes", scenario.partner_librarian)[1] == custom

    librarian = scenario.monitoring(scenario.librarian)
    _, _, session_id = _live_chat(scenario, librarian)
    assert librarian.call("set_codes", session_id=session_id, resolution="answered")["code"] == "bad_request"
    assert (
        librarian.call("set_codes", session_id=session_id, resolution="done", descriptive=["zines"])["type"]
        == "ack"
    )


# --- internal notes and tickets -------------------------------------------------------------------


def test_internal_notes_and_librarian_notes_never_reach_the_patron(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested, session_id = _live_chat(scenario, librarian, email="private")
    librarian.call("note", session_id=session_id, text="SECRET-1 live note")
    librarian.call("send_message", session_id=session_id, text="A public reply")
    _api(scenario, "POST", f"/questions/{session_id}/notes", scenario.admin, {"text": "SECRET-2 list note"})
    librarian.call("end_chat", session_id=session_id)
    assert (
        librarian.call("internal_note", session_id=session_id, text="SECRET-3 after the chat")["type"]
        == "ack"
    )

    (mail,) = _mails_to(scenario, scenario.email("private"))
    assert "SECRET" not in mail["text"] + mail["html"] and "A public reply" in mail["text"]
    token = requested["patron_token"]
    fetched = [
        scenario.connect().call("resume", patron_token=token, after_seq=0),
        patron.call("history", session_id=session_id, patron_token=token),
    ]
    for reply in fetched:
        assert "SECRET" not in str(reply) and "A public reply" in str(reply)
    assert "SECRET" not in str(patron.received)
    staff_view = _question(scenario, session_id)["transcript"]
    assert sum("SECRET" in m["text"] for m in staff_view) == 3


def test_create_ticket_files_a_follow_up_linked_to_the_transcript(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, _, session_id = _live_chat(scenario, librarian, email="ticket")
    librarian.call("end_chat", session_id=session_id)
    ticket = librarian.call("create_ticket", session_id=session_id, note="Find the 1901 plan")
    assert ticket["type"] == "question_submitted"
    filed = _question(scenario, ticket["question_id"])
    assert (filed["source"], filed["status"], filed["session_id"]) == ("ticket", "open", session_id)
    assert filed["patron"]["email"] == scenario.email("ticket")
    assert filed["activity"][0]["text"] == "Find the 1901 plan"
    assert [m["seq"] for m in filed["transcript"]][:2] == [1, 2]
    outsider = scenario.monitoring(scenario.outsider_librarian)
    assert outsider.call("create_ticket", session_id=session_id)["code"] == "forbidden"


def test_transfer_returns_a_chat_to_a_partner_queue_with_its_transcript_and_note(scenario):
    partner = scenario.monitoring(scenario.partner_librarian)
    librarian = scenario.monitoring(scenario.librarian)
    patron, _, session_id = _live_chat(scenario, librarian)
    assert librarian.call("transfer", session_id=session_id, library=scenario.outsider)["code"] == "forbidden"
    moved = librarian.call(
        "transfer", session_id=session_id, library=scenario.partner, note="Needs their archive"
    )
    assert moved["type"] == "ack"
    assert patron.wait_type("session_update", status="waiting")
    assert (
        "Partner Library"
        in patron.wait(lambda f: f.get("kind") == "system" and "passed" in f["text"])["text"]
    )
    offered = partner.wait(
        lambda f: (
            f.get("op") == "added"
            and f["session"]["session_id"] == session_id
            and f["queue"] == scenario.partner
        )
    )
    assert offered["session"]["status"] == "waiting"
    taken = partner.call("accept", session_id=session_id)
    assert "Transfer note: Needs their archive" in [m["text"] for m in taken["messages"]]
