"""Disconnects are normal life: patrons and librarians drop and come back, and nothing is lost."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import clock
from devstack.client import http


def _later(**delta: float) -> str:
    return clock.iso(clock.now() + timedelta(**delta))


def _active_chat(scenario, **fields):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(**fields)
    librarian.call("accept", session_id=requested["session_id"])
    patron.wait_type("session_update", status="active")
    return librarian, patron, requested


def test_a_patron_who_drops_gets_exactly_what_they_missed(scenario):
    librarian, patron, requested = _active_chat(scenario)
    session_id = requested["session_id"]
    assert patron.call("send_message", session_id=session_id, text="before the drop")["seq"] == 3
    patron.kill()
    assert librarian.wait_type("session_update", status="reconnecting")["session_id"] == session_id

    librarian.call("send_message", session_id=session_id, text="are you there?")
    librarian.call("note", session_id=session_id, text="patron dropped")
    librarian.call("send_message", session_id=session_id, text="here is the link")

    back = scenario.connect()
    resumed = back.call("resume", patron_token=requested["patron_token"], after_seq=3)
    assert resumed["type"] == "resumed" and resumed["session"]["status"] == "active"
    assert [(m["seq"], m["text"]) for m in resumed["messages"]] == [
        (4, "are you there?"),
        (6, "here is the link"),
    ]
    assert "follow_up" not in resumed
    assert librarian.wait_type("session_update", status="active")["session_id"] == session_id

    # A send the patron never saw acknowledged is retried with the same ref: one message.
    first = back.call("send_message", session_id=session_id, text="sorry, wifi", ref="r-1")
    again = back.call("send_message", session_id=session_id, text="sorry, wifi", ref="r-1")
    assert first["seq"] == again["seq"] == 7
    librarian.wait_type("message", seq=7)
    assert [m["text"] for m in librarian.of_type("message")].count("sorry, wifi") == 1


def test_past_the_grace_period_the_chat_ends_and_a_late_patron_is_offered_a_ticket(scenario):
    librarian, patron, requested = _active_chat(scenario, name="Pat", email=scenario.email("late"))
    session_id = requested["session_id"]
    patron.kill()
    librarian.wait_type("session_update", status="reconnecting")

    def endings() -> list[dict]:
        return [u for u in librarian.of_type("session_update") if u["status"] == "ended"]

    scenario.stack.run_job("expire_reconnects", _later(seconds=30))  # still within grace
    assert endings() == []
    assert scenario.stack.run_job("expire_reconnects", _later(seconds=61))["changed"] >= 1
    ended = librarian.wait_type("session_update", status="ended")
    assert ended["ended_by"] == "disconnect"
    scenario.stack.run_job("expire_reconnects", _later(seconds=120))  # nothing more to do
    assert len(endings()) == 1
    assert len(scenario.stack.mails_to(scenario.email("late"))) == 1

    late = scenario.connect()
    resumed = late.call("resume", patron_token=requested["patron_token"], after_seq=2)
    assert resumed["session"]["status"] == "ended"
    assert resumed["session"]["ended_by"] == "disconnect"
    assert "you were disconnected for too long" in resumed["messages"][-1]["text"]
    offer = resumed["follow_up"]
    assert offer["action"] == "submit_question"
    assert (offer["library"], offer["session_id"], offer["question"]) == (
        scenario.home,
        session_id,
        "Do you have large-print books?",
    )
    assert (offer["name"], offer["email"]) == ("Pat", scenario.email("late"))

    fields = {k: offer[k] for k in ("library", "session_id", "question", "name", "email")}
    ticket = late.call("submit_question", patron_token=requested["patron_token"], **fields)
    assert ticket["type"] == "question_submitted"
    too_late = late.call(
        "send_message", session_id=session_id, text="hello?", patron_token=requested["patron_token"]
    )
    assert too_late["code"] == "session_ended"


def test_a_librarian_who_drops_keeps_their_chats_and_catches_up(scenario):
    librarian, patron, requested = _active_chat(scenario)
    session_id = requested["session_id"]
    librarian.kill()
    away = patron.wait_type("session_update")
    assert away["status"] == "active" and away["librarian"]["reconnecting"] is True

    patron.call("send_message", session_id=session_id, text="hello? anyone?")
    scenario.stack.run_job("expire_reconnects", _later(seconds=60))  # within the librarian's grace
    assert "waiting" not in [u["status"] for u in patron.of_type("session_update")]

    back = scenario.connect(scenario.librarian)
    snapshot = back.call("monitor")
    assert [(s["session_id"], s["status"]) for s in snapshot["mine"]] == [(session_id, "active")]
    assert "reconnecting" not in snapshot["mine"][0]["librarian"]
    assert "reconnecting" not in patron.wait_type("session_update")["librarian"]

    missed = back.call("history", session_id=session_id, after_seq=2)
    assert missed["type"] == "history"
    assert [m["text"] for m in missed["messages"]] == ["hello? anyone?"]
    back.call("send_message", session_id=session_id, text="Back now, sorry!")
    assert patron.wait_type("message", text="Back now, sorry!")
    scenario.stack.run_job("expire_reconnects", _later(seconds=600))  # back in time: nothing to do
    assert "waiting" not in [u["status"] for u in patron.of_type("session_update")]
    assert patron.of_type("session_update")[-1]["status"] == "active"


def test_a_librarian_not_back_in_time_has_their_chats_returned_to_the_queue(scenario):
    colleague = scenario.monitoring(scenario.admin)
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat()
    session_id = requested["session_id"]
    librarian.call("accept", session_id=session_id)
    patron.wait_type("session_update", status="active")
    librarian.call("send_message", session_id=session_id, text="Let me look that up.")
    librarian.kill()
    patron.wait(lambda f: f["type"] == "session_update" and (f.get("librarian") or {}).get("reconnecting"))

    assert scenario.stack.run_job("expire_reconnects", _later(seconds=121))["changed"] >= 1
    requeued = patron.wait_type("session_update", status="waiting")
    assert "librarian" not in requeued
    assert "back in the queue" in patron.wait_type("message", kind="system", seq=4)["text"]
    offered = colleague.wait(lambda f: f.get("op") == "added" and f["session"]["session_id"] == session_id)
    assert offered["session"]["status"] == "waiting"

    taken = colleague.call("accept", session_id=session_id)
    assert taken["type"] == "accepted"
    assert [m["text"] for m in taken["messages"]][:3] == [
        "Do you have large-print books?",
        taken["messages"][1]["text"],
        "Let me look that up.",
    ]
    assert patron.wait_type("session_update", status="active")["librarian"] == {"name": "Admin"}
    assert scenario.connect(scenario.librarian).call("monitor")["mine"] == []


def test_a_connection_recycled_before_two_hours_goes_unnoticed(scenario):
    librarian, patron, requested = _active_chat(scenario)
    session_id = requested["session_id"]
    fresh = scenario.connect()
    resumed = fresh.call("resume", patron_token=requested["patron_token"], after_seq=2)
    assert resumed["messages"] == []
    patron.close()  # the old socket closes after the new one took over
    librarian.call("send_message", session_id=session_id, text="still with you")
    assert fresh.wait_type("message", text="still with you")
    assert librarian.of_type("session_update") == []  # nobody saw the socket change
    assert fresh.call("heartbeat")["type"] == "ack"


def test_a_socket_that_vanishes_without_disconnect_is_swept(scenario):
    base = scenario.stack.base
    librarian = scenario.monitoring(scenario.librarian)
    scenario.stack.lose_next_disconnect()
    librarian.close()
    # The forgotten monitor row still says someone is there...
    assert http("GET", f"{base}/api/libraries/{scenario.home}/availability")[1]["available"] is True
    scenario.stack.run_job("sweep_connections", _later(minutes=5))  # too young to have idled out
    assert http("GET", f"{base}/api/libraries/{scenario.home}/availability")[1]["available"] is True
    # ...until the sweep asks API Gateway about sockets old enough to have idled out.
    swept = scenario.stack.run_job("sweep_connections", _later(minutes=11))
    assert swept["changed"] >= 1
    assert http("GET", f"{base}/api/libraries/{scenario.home}/availability")[1]["available"] is False
