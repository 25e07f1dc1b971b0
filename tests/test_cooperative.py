"""A 24/7 cooperative desk over real sockets: the home queue first, partners after the
library's escalation time, queue positions, giving up, and librarians working together
(conferencing, transfer to a colleague, IM, the roster)."""

from __future__ import annotations

import threading
from datetime import timedelta

from chalicelib import clock
from devstack.client import http


def _later(**delta: float) -> str:
    return clock.iso(clock.now() + timedelta(**delta))


def _queue_updates(client, session_id: str, op: str) -> list[dict]:
    return [
        f
        for f in client.of_type("queue_update")
        if f["op"] == op and f["session"]["session_id"] == session_id
    ]


def _question(scenario, email: str, question_id: str) -> tuple[int, dict]:
    token = scenario.stack.login(email)
    return http("GET", f"{scenario.stack.base}/api/questions/{question_id}", token=token)


# --- routing ---------------------------------------------------------------------------------------


def test_the_home_queue_has_the_first_chance_and_a_partners_early_accept_is_forbidden(scenario):
    home = scenario.monitoring(scenario.librarian)
    partner = scenario.monitoring(scenario.partner_librarian)
    _, requested = scenario.chat()
    session_id = requested["session_id"]
    assert home.wait_type("queue_update", op="added")["session"]["escalated"] is False
    refused = partner.call("accept", session_id=session_id)
    assert refused["code"] == "forbidden"
    assert _queue_updates(partner, session_id, "added") == []
    assert session_id not in [s["session_id"] for s in partner.call("monitor")["new"]]


def test_escalation_offers_the_request_to_partners_once_however_often_the_job_runs(scenario):
    home = scenario.monitoring(scenario.librarian)
    partner = scenario.monitoring(scenario.partner_librarian)
    patron, requested = scenario.chat()
    session_id = requested["session_id"]
    scenario.stack.run_job("escalate_waiting", _later(seconds=30))  # not yet
    assert _queue_updates(partner, session_id, "added") == []
    scenario.stack.run_job("escalate_waiting", _later(seconds=41))
    scenario.stack.run_job("escalate_waiting", _later(seconds=42))  # a second run changes nothing
    offered = partner.wait(lambda f: f.get("op") == "added" and f["session"]["session_id"] == session_id)
    assert offered["session"]["escalated"] is True
    assert home.wait(lambda f: f.get("op") == "changed" and f["session"]["session_id"] == session_id)
    accepted = partner.call("accept", session_id=session_id)
    assert accepted["session"]["served_by_library"] == scenario.partner
    assert len(_queue_updates(partner, session_id, "added")) == 1
    greeting = patron.wait_type(
        "message",
        kind="system",
        text=("A librarian from Partner Library, a partner of your library, is helping you."),
    )
    assert greeting["from"]["role"] == "system"


def test_a_request_whose_library_has_nobody_monitoring_goes_to_the_cooperative_at_once(scenario):
    partner = scenario.monitoring(scenario.partner_librarian)
    _, requested = scenario.chat()
    offered = partner.wait_type("queue_update", op="added")
    assert (offered["session"]["session_id"], offered["session"]["escalated"]) == (
        requested["session_id"],
        True,
    )


def test_a_library_that_never_escalates_is_closed_when_only_partners_monitor(scenario, stack):
    lonely = f"lonely-{scenario.home}"
    stack.fixtures(
        {
            "libraries": [
                {
                    "id": lonely,
                    "name": "Lonely",
                    "cooperative": f"coop-{scenario.home[5:]}",
                    "escalate_after_s": None,
                }
            ]
        }
    )
    scenario.monitoring(scenario.partner_librarian)
    reply = scenario.connect().call("request_chat", library=lonely, question="Anyone?")
    assert reply["type"] == "chat_unavailable"


def test_patrons_learn_their_place_in_line_and_see_it_move(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, first = scenario.chat("first")
    second_patron, second = scenario.chat("second")
    assert (first["position"], second["position"]) == (1, 2)
    librarian.call("accept", session_id=first["session_id"])
    moved = second_patron.wait_type("queue_position")
    assert (moved["session_id"], moved["position"]) == (second["session_id"], 1)
    # A patron back on a new socket learns their place in the resume reply.
    back = scenario.connect().call("resume", patron_token=second["patron_token"], after_seq=0)
    assert (back["type"], back["position"]) == ("resumed", 1)


def test_a_request_nobody_takes_is_given_up_with_a_follow_up_and_filed_open(scenario):
    scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(email=scenario.email("unanswered"), name="Una")
    scenario.stack.run_job("escalate_waiting", _later(seconds=601))
    ended = patron.wait_type("session_update", status="ended")
    assert ended["ended_by"] == "unanswered"
    follow_up = ended["follow_up"]
    assert follow_up["action"] == "submit_question"
    assert (follow_up["session_id"], follow_up["email"], follow_up["name"]) == (
        requested["session_id"],
        scenario.email("unanswered"),
        "Una",
    )
    assert (
        "no librarian was free"
        in patron.wait_type(
            "message", kind="system", text=("We are sorry: no librarian was free to take your chat.")
        )["text"]
    )
    status, question = _question(scenario, scenario.librarian, requested["session_id"])
    assert (status, question["status"]) == (200, "open")


def _accept_into(results, librarian, session_id):
    results["accept"] = librarian.call("accept", session_id=session_id)


def test_a_give_up_racing_an_accept_lets_exactly_one_win(scenario):
    for _ in range(3):
        librarian = scenario.monitoring(scenario.librarian)
        patron, requested = scenario.chat()
        results: dict[str, object] = {}
        accepting = threading.Thread(target=_accept_into, args=(results, librarian, requested["session_id"]))
        accepting.start()
        scenario.stack.run_job("escalate_waiting", _later(seconds=601))
        accepting.join()
        accepted = results["accept"]["type"] == "accepted"  # type: ignore[index]
        update = patron.wait_type("session_update")
        assert update["status"] == ("active" if accepted else "ended")
        if accepted:
            assert (
                librarian.call("send_message", session_id=requested["session_id"], text="hi")["type"] == "ack"
            )
        else:
            assert results["accept"]["code"] == "session_ended"  # type: ignore[index]
        assert [f for f in patron.of_type("session_update") if f["status"] != update["status"]] == []


def test_a_partner_who_served_a_chat_can_follow_up_its_question(scenario):
    partner = scenario.monitoring(scenario.partner_librarian)
    _, requested = scenario.chat()
    partner.call("accept", session_id=requested["session_id"])
    status, live = _question(scenario, scenario.partner_librarian, requested["session_id"])
    assert (status, live["status"]) == (200, "live")  # theirs to follow up while the chat goes on
    partner.call("set_codes", session_id=requested["session_id"], resolution="followup_by_me")
    partner.call("end_chat", session_id=requested["session_id"])
    ticket = partner.call("create_ticket", session_id=requested["session_id"], note="check the ILL")
    status, filed = _question(scenario, scenario.partner_librarian, ticket["question_id"])
    assert (status, filed["source"], filed["served_by_library"]) == (200, "ticket", scenario.partner)
    status, question = _question(scenario, scenario.partner_librarian, requested["session_id"])
    assert (status, question["status"], question["served_by_library"]) == (200, "pending", scenario.partner)
    token = scenario.stack.login(scenario.partner_librarian)
    status, listed = http("GET", f"{scenario.stack.base}/api/questions?served_for_partners=true", token=token)
    assert status == 200 and requested["session_id"] in [q["question_id"] for q in listed["questions"]]
    status, _ = _question(scenario, scenario.librarian, requested["session_id"])  # and the patron's library
    assert status == 200
    status, _ = _question(scenario, scenario.outsider_librarian, requested["session_id"])
    assert status == 403


# --- working together ------------------------------------------------------------------------------


def _active(scenario, librarian_email: str):
    librarian = scenario.monitoring(librarian_email)
    patron, requested = scenario.chat()
    librarian.call("accept", session_id=requested["session_id"])
    patron.wait_type("session_update", status="active")
    return librarian, patron, requested["session_id"]


def test_an_admin_joins_a_chat_in_progress_and_leaves_it(scenario):
    librarian, patron, session_id = _active(scenario, scenario.librarian)
    librarian.call("note", session_id=session_id, text="patron wants large print")
    outsider_admin = scenario.monitoring(scenario.partner_librarian)
    assert outsider_admin.call("join", session_id=session_id)["code"] == "forbidden"
    admin = scenario.monitoring(scenario.admin)
    joined = admin.call("join", session_id=session_id)
    assert joined["type"] == "joined"
    assert "patron wants large print" in [m["text"] for m in joined["messages"]]  # notes included
    assert patron.wait_type("message", kind="system", text="Admin joined the chat.")
    names = [p["name"] for p in patron.wait(lambda f: f.get("librarians"))["librarians"]]
    assert names == ["Librarian", "Admin"]
    assert admin.call("send_message", session_id=session_id, text="I can help too")["type"] == "ack"
    assert patron.wait_type("message", text="I can help too")["from"]["name"] == "Admin"
    # Back on a new socket (a reload), joining again only moves the admin's seat there.
    admin_again = scenario.monitoring(scenario.admin)
    assert admin_again.call("join", session_id=session_id)["type"] == "joined"
    assert librarian.call("send_message", session_id=session_id, text="seen there?")["type"] == "ack"
    assert admin_again.wait_type("message", text="seen there?")
    joins = [m for m in patron.of_type("message") if m["text"] == "Admin joined the chat."]
    assert len(joins) == 1
    assert admin.call("leave", session_id=session_id)["type"] == "ack"
    assert librarian.wait_type("message", kind="system", text="Admin left the chat.")
    assert admin.call("send_message", session_id=session_id, text="gone?")["code"] == "forbidden"
    assert librarian.call("send_message", session_id=session_id, text="still here")["type"] == "ack"


def test_a_non_admin_may_not_join_and_a_waiting_chat_is_accepted_not_joined(scenario):
    _, _, session_id = _active(scenario, scenario.admin)
    assert scenario.monitoring(scenario.librarian).call("join", session_id=session_id)["code"] == "forbidden"
    admin = scenario.monitoring(scenario.admin)
    _, waiting = scenario.chat()
    assert admin.call("join", session_id=waiting["session_id"])["code"] == "bad_request"


def test_a_chat_offered_to_a_colleague_who_accepts_changes_hands(scenario):
    old, patron, session_id = _active(scenario, scenario.librarian)
    colleague = scenario.monitoring(scenario.admin)
    assert (
        old.call("transfer", session_id=session_id, librarian=scenario.admin, note="needs ILL")["type"]
        == "ack"
    )
    offer = colleague.wait_type("transfer_offer")
    assert (offer["session"]["session_id"], offer["note"], offer["from"]["email"]) == (
        session_id,
        "needs ILL",
        scenario.librarian,
    )
    taken = colleague.call("accept", session_id=session_id)
    assert taken["type"] == "accepted"
    assert "Transfer note from Librarian: needs ILL" in [m["text"] for m in taken["messages"]]
    told = patron.wait(lambda f: f.get("type") == "session_update" and f["librarian"]["name"] == "Admin")
    assert "email" not in told["librarian"]  # patrons see a name, never a librarian's address
    assert "Transfer note" not in " ".join(m["text"] for m in patron.of_type("message"))
    # The old librarian's monitor learns by e-mail that the chat is no longer theirs.
    assert old.wait(lambda f: f.get("type") == "session_update" and f["librarian"]["email"] == scenario.admin)
    assert old.call("send_message", session_id=session_id, text="me again")["code"] == "forbidden"
    assert (
        colleague.call("send_message", session_id=session_id, text="Hello, I'm taking over")["type"] == "ack"
    )


def test_a_declined_offer_leaves_the_chat_with_its_librarian(scenario):
    old, _patron, session_id = _active(scenario, scenario.librarian)
    colleague = scenario.monitoring(scenario.admin)
    old.call("transfer", session_id=session_id, librarian=scenario.admin)
    colleague.wait_type("transfer_offer")
    assert colleague.call("decline", session_id=session_id)["type"] == "ack"
    declined = old.wait_type("transfer_declined")
    assert (declined["session_id"], declined["reason"], declined["by"]["email"]) == (
        session_id,
        "declined",
        scenario.admin,
    )
    assert old.call("send_message", session_id=session_id, text="still mine")["type"] == "ack"
    assert colleague.call("accept", session_id=session_id)["code"] == "already_accepted"


def test_an_offer_nobody_answers_in_a_minute_goes_back(scenario):
    old, _, session_id = _active(scenario, scenario.librarian)
    colleague = scenario.monitoring(scenario.admin)
    old.call("transfer", session_id=session_id, librarian=scenario.admin)
    colleague.wait_type("transfer_offer")
    scenario.stack.run_job("expire_transfer_offers", _later(seconds=30))
    assert old.of_type("transfer_declined") == []
    scenario.stack.run_job("expire_transfer_offers", _later(seconds=61))
    assert old.wait_type("transfer_declined")["reason"] == "timeout"
    assert colleague.call("accept", session_id=session_id)["code"] == "already_accepted"


def test_an_offer_to_a_colleague_who_goes_offline_goes_back_at_once(scenario):
    old, _, session_id = _active(scenario, scenario.librarian)
    colleague = scenario.monitoring(scenario.admin)
    old.call("transfer", session_id=session_id, librarian=scenario.admin)
    colleague.wait_type("transfer_offer")
    colleague.close()
    assert old.wait_type("transfer_declined")["reason"] == "offline"


def test_an_offer_to_a_librarian_who_is_not_signed_in_is_not_found(scenario):
    old, _, session_id = _active(scenario, scenario.librarian)
    assert old.call("transfer", session_id=session_id, librarian=scenario.admin)["code"] == "not_found"


def test_im_reaches_every_socket_of_a_colleague_in_the_cooperative_only(scenario):
    sender = scenario.monitoring(scenario.librarian)
    first, second = scenario.connect(scenario.partner_librarian), scenario.connect(scenario.partner_librarian)
    assert sender.call("im", librarian=scenario.partner_librarian, text="Can you take ILL?")["type"] == "ack"
    for socket in (first, second):
        got = socket.wait_type("im")
        assert (got["text"], got["from"]["email"], got["from"]["library"]) == (
            "Can you take ILL?",
            scenario.librarian,
            scenario.home,
        )
    assert sender.call("im", librarian=scenario.admin, text="there?")["code"] == "not_found"  # offline
    scenario.connect(scenario.outsider_librarian)
    assert sender.call("im", librarian=scenario.outsider_librarian, text="hi")["code"] == "forbidden"


def test_the_roster_shows_who_is_monitoring_and_who_went_offline(scenario):
    watcher = scenario.monitoring(scenario.librarian)
    partner = scenario.connect(scenario.partner_librarian)
    snapshot = partner.call("monitor")
    assert scenario.librarian in [p["email"] for p in snapshot["online"]]
    came = watcher.wait_type("roster_update", op="online")
    assert came["librarian"] == {
        "email": scenario.partner_librarian,
        "name": "Partner Librarian",
        "library": scenario.partner,
    }
    partner.kill()
    assert (
        watcher.wait_type("roster_update", op="offline", timeout=15)["librarian"]["email"]
        == scenario.partner_librarian
    )
    away = scenario.monitoring(scenario.admin)
    away.call("stop_monitoring")
    assert watcher.wait(
        lambda f: (
            f.get("type") == "roster_update"
            and f["op"] == "offline"
            and f["librarian"]["email"] == scenario.admin
        )
    )
