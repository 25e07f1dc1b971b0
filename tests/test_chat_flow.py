"""The core chat loop end to end: real WebSocket clients against the local stack."""

from __future__ import annotations

from devstack.client import http


def test_patron_and_librarian_complete_a_chat(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(
        "Where can I find census records?", name="Pat", email=scenario.email("pat")
    )
    session_id = requested["session_id"]
    assert requested["status"] == "waiting" and requested["patron_token"]

    first, connecting = patron.wait_type("message"), patron.wait_type("message")
    assert (first["seq"], first["kind"], first["text"]) == (
        1,
        "chat",
        "Where can I find census records?",
    )
    assert (connecting["seq"], connecting["kind"]) == (2, "system")
    assert "connecting you to a librarian" in connecting["text"]

    added = librarian.wait_type("queue_update", op="added")
    assert added["session"]["session_id"] == session_id
    assert added["session"]["patron"] == {"name": "Pat", "email": scenario.email("pat")}

    accepted = librarian.call("accept", session_id=session_id)
    assert accepted["type"] == "accepted"
    assert [m["seq"] for m in accepted["messages"]] == [1, 2]
    assert patron.wait_type("session_update")["librarian"] == {"name": "Librarian"}
    assert librarian.wait_type("queue_update", op="taken")["session"]["status"] == "active"

    ack = patron.call("send_message", session_id=session_id, text="For my grandmother's town")
    assert ack == {"type": "ack", "ref": ack["ref"], "seq": 3}
    heard = librarian.wait_type("message", seq=3)
    assert heard["from"] == {"role": "patron", "name": "Pat"}

    librarian.call("typing", session_id=session_id, typing=True)
    assert patron.wait_type("typing")["typing"] is True

    librarian.call("send_message", session_id=session_id, text="Try the state archive.")
    assert patron.wait_type("message", seq=4)["from"] == {"role": "librarian", "name": "Librarian"}
    librarian.call("push_url", session_id=session_id, url="https://archives.example/census")
    assert patron.wait_type("message", seq=5)["kind"] == "url"

    assert librarian.call("end_chat", session_id=session_id)["type"] == "ack"
    for side in (patron, librarian):
        ended = side.wait_type("session_update", status="ended")
        assert ended["ended_by"] == "librarian" and ended["ended_at"]
    assert "ended the chat" in patron.wait_type("message", seq=6)["text"]

    mails = [m for m in scenario.stack.outbox() if m["to"] == scenario.email("pat")]
    assert len(mails) == 1
    assert "Try the state archive." in mails[0]["text"]
    assert "https://archives.example/census" in mails[0]["html"]


def test_patron_told_at_once_when_nobody_is_monitoring(scenario):
    patron = scenario.connect()
    reply = patron.call("request_chat", library=scenario.home, question="Anyone there?")
    assert reply["type"] == "chat_unavailable"
    assert reply["alternatives"] == [{"label": "Call us", "url": "tel:+15550100"}]
    status, body = http("GET", f"{scenario.stack.base}/api/libraries/{scenario.home}/availability")
    assert (status, body["available"]) == (200, False)


def test_a_cooperative_partner_covers_the_queue_and_an_outsider_cannot(scenario):
    partner = scenario.monitoring(scenario.partner_librarian)
    outsider = scenario.monitoring(scenario.outsider_librarian)
    _, requested = scenario.chat()
    assert partner.wait_type("queue_update", op="added")["queue"] == scenario.home
    refused = outsider.call("accept", session_id=requested["session_id"])
    assert refused["code"] == "forbidden"
    assert outsider.of_type("queue_update") == []
    assert partner.call("accept", session_id=requested["session_id"])["type"] == "accepted"


def test_monitor_snapshot_lists_waiting_requests_and_my_active_chats(scenario):
    scenario.monitoring(scenario.partner_librarian)  # keeps the queue served
    _, waiting = scenario.chat("first")
    _, mine = scenario.chat("second")
    librarian = scenario.monitoring(scenario.librarian)
    librarian.call("accept", session_id=mine["session_id"])
    again = librarian.call("monitor")
    assert [s["session_id"] for s in again["new"]] == [waiting["session_id"]]
    assert [s["session_id"] for s in again["mine"]] == [mine["session_id"]]
    assert "all" not in again
    admin_view = scenario.monitoring(scenario.admin).received[0]
    assert {s["session_id"] for s in admin_view["all"]} == {
        waiting["session_id"],
        mine["session_id"],
    }


def test_stop_monitoring_makes_chat_unavailable_but_keeps_active_chats(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat()
    librarian.call("accept", session_id=requested["session_id"])
    librarian.call("stop_monitoring")
    late = scenario.connect().call("request_chat", library=scenario.home, question="hello?")
    assert late["type"] == "chat_unavailable"
    patron.call("send_message", session_id=requested["session_id"], text="still there?")
    assert librarian.wait_type("message", text="still there?")


def test_patron_may_send_detail_while_waiting(scenario):
    scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat()
    ack = patron.call("send_message", session_id=requested["session_id"], text="It is for school")
    assert ack["seq"] == 3
    librarian = scenario.connect(scenario.admin)
    accepted = librarian.call("accept", session_id=requested["session_id"])
    assert [m["text"] for m in accepted["messages"]][-1] == "It is for school"


def test_patron_ending_the_chat_is_reported_as_ended_by_patron(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(email=scenario.email("leaver"))
    librarian.call("accept", session_id=requested["session_id"])
    patron.call("end_chat", session_id=requested["session_id"])
    assert librarian.wait_type("session_update", status="ended")["ended_by"] == "patron"
    again = librarian.call("end_chat", session_id=requested["session_id"])
    assert again["code"] == "session_ended"
    assert len([m for m in scenario.stack.outbox() if m["to"] == scenario.email("leaver")]) == 1


def test_submit_question_files_a_ticket(scenario):
    patron = scenario.connect()
    reply = patron.call(
        "submit_question",
        library=scenario.home,
        question="Opening hours at Christmas?",
        email=scenario.email("q"),
    )
    assert reply["type"] == "question_submitted" and reply["question_id"]


def test_an_ended_chat_stays_in_my_active_until_closed(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, requested = scenario.chat()
    session_id = requested["session_id"]
    librarian.call("accept", session_id=session_id)
    assert librarian.call("close_chat", session_id=session_id)["code"] == "bad_request"
    librarian.call("end_chat", session_id=session_id)
    mine = librarian.call("monitor")["mine"]
    assert [(s["session_id"], s["status"]) for s in mine] == [(session_id, "ended")]
    other = scenario.connect(scenario.admin)
    assert other.call("close_chat", session_id=session_id)["code"] == "forbidden"
    assert librarian.call("close_chat", session_id=session_id)["type"] == "ack"
    assert librarian.call("monitor")["mine"] == []
