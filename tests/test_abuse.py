"""Safe on the public web, end to end over real sockets: the library's address mails only what
a librarian stood behind, within daily caps; and limits keyed by the socket, the chat and the
network a patron comes from (a loopback address of its own per scenario, devstack/client.py)
turn a script away with `rate_limited` and when to retry, never silently, while other
patrons go on."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime


class _Limits:
    """chalicelib.domain.rate_limit, imported at first use: importing chalicelib while tests
    are collected would fix its settings before the unit tests' environment is set."""

    def __getattr__(self, name: str):
        if name.startswith("_"):  # pytest looks for its own markers on whatever a module holds
            raise AttributeError(name)
        from chalicelib.domain import rate_limit as module

        return getattr(module, name)


rate_limit = _Limits()


def _accepted_chat(scenario, librarian, email: str, question: str = "Large print?"):
    patron, requested = scenario.chat(question, email=email)
    session_id = requested["session_id"]
    assert librarian.call("accept", session_id=session_id)["type"] == "accepted"
    return patron, session_id, requested["patron_token"]


def _is_retry_later(reply: dict) -> bool:
    return (
        reply["type"] == "error"
        and reply["code"] == "rate_limited"
        and isinstance(reply.get("retry_after"), int)
        and reply["retry_after"] >= 1
        and f"Wait {reply['retry_after']} second" in reply["message"]
    )


# --- mail only what a librarian stood behind ---------------------------------------------------------


def test_a_chat_nobody_accepted_mails_nothing_when_its_patron_ends_it(scenario):
    scenario.monitoring(scenario.librarian)
    stranger = scenario.email("stranger")
    patron, requested = scenario.chat(
        "Your card is suspended, verify at https://evil.example/login", email=stranger
    )
    assert patron.call("end_chat", session_id=requested["session_id"])["type"] == "ack"
    ended = patron.wait_type("session_update", status="ended")
    assert "librarian" not in ended
    time.sleep(1)  # the mail would have gone just after the end
    assert scenario.stack.mails_to(stranger, timeout=0) == []


def test_a_request_given_up_unanswered_mails_nothing(scenario):
    quick = f"{scenario.home}-quick"
    scenario.stack.fixtures(
        {
            "libraries": [{"id": quick, "name": "Quick", "give_up_after_s": 1}],
            "staff": [{"email": f"lib@{quick}.example", "library": quick}],
        }
    )
    scenario.monitoring(f"lib@{quick}.example")
    address = scenario.email("given-up")
    patron = scenario.connect()
    requested = patron.call("request_chat", library=quick, question="Anyone?", email=address)
    assert requested["type"] == "chat_requested", requested
    time.sleep(1.5)
    scenario.stack.run_job("escalate_waiting", datetime.now(UTC).isoformat().replace("+00:00", "Z"))
    patron.wait_type("session_update", status="ended", ended_by="unanswered")
    time.sleep(1)
    assert scenario.stack.mails_to(address, timeout=0) == []


def test_a_chat_a_librarian_accepted_mails_its_transcript(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    address = scenario.email("reader")
    patron, session_id, _ = _accepted_chat(scenario, librarian, address)
    patron.call("send_message", session_id=session_id, text="Mysteries, mostly.")
    assert patron.call("end_chat", session_id=session_id)["type"] == "ack"
    (mail,) = scenario.stack.mails_to(address)
    assert "Mysteries, mostly." in mail["text"]


def test_one_address_gets_at_most_three_transcripts_a_day_and_the_librarian_never_sees_an_error(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    address = scenario.email("victim")
    for n in range(rate_limit.TRANSCRIPTS_PER_ADDRESS + 2):
        _, session_id, _ = _accepted_chat(scenario, librarian, address, f"Question {n}")
        assert librarian.call("end_chat", session_id=session_id)["type"] == "ack"
    time.sleep(1)
    mails = scenario.stack.mails_to(address, at_least=rate_limit.TRANSCRIPTS_PER_ADDRESS + 1, timeout=2)
    assert len(mails) == rate_limit.TRANSCRIPTS_PER_ADDRESS
    # Another address is not held back by that one's cap.
    other = scenario.email("someone-else")
    _, session_id, _ = _accepted_chat(scenario, librarian, other)
    librarian.call("end_chat", session_id=session_id)
    assert len(scenario.stack.mails_to(other)) == 1


# --- one network cannot flood the queue -------------------------------------------------------------


def test_a_hundred_sockets_from_one_network_cannot_make_a_hundred_waiting_requests(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patrons = [scenario.connect() for _ in range(100)]

    def ask(patron):
        return patron.call("request_chat", library=scenario.home, question="Spam?", timeout=30)

    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(pool.map(ask, patrons))
    opened = [r for r in replies if r["type"] == "chat_requested"]
    refused = [r for r in replies if r["type"] == "error"]
    assert len(opened) == rate_limit.WAITING_PER_SOURCE
    assert len(refused) == 100 - rate_limit.WAITING_PER_SOURCE
    assert all(_is_retry_later(r) for r in refused), refused[:3]
    time.sleep(0.5)
    added = [f for f in librarian.of_type("queue_update") if f["op"] == "added"]
    assert len(added) == rate_limit.WAITING_PER_SOURCE  # no more alerts than requests let in

    # A patron on another network is not held back.
    elsewhere = scenario.connect(source=scenario.another_network())
    reply = elsewhere.call("request_chat", library=scenario.home, question="A real question")
    assert reply["type"] == "chat_requested", reply


def test_a_request_accepted_or_ended_frees_its_place_among_its_networks_waiting_requests(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    waiting = [scenario.chat(f"Question {n}") for n in range(rate_limit.WAITING_PER_SOURCE)]
    sessions = [requested["session_id"] for _, requested in waiting]
    refused = scenario.connect().call("request_chat", library=scenario.home, question="One more")
    assert _is_retry_later(refused), refused
    assert librarian.call("accept", session_id=sessions[0])["type"] == "accepted"
    assert scenario.chat("Now there is room")[1]["type"] == "chat_requested"
    assert _is_retry_later(scenario.connect().call("request_chat", library=scenario.home, question="Full"))
    patron, _ = waiting[1]
    assert patron.call("end_chat", session_id=sessions[1])["type"] == "ack"
    assert scenario.chat("Room again")[1]["type"] == "chat_requested"


def test_questions_sent_at_once_from_one_network_cannot_beat_its_bucket(scenario):
    """Parallel requests meet one conditional write each: exactly the burst gets through."""
    patrons = [scenario.connect() for _ in range(40)]

    def leave(patron):
        return patron.call(
            "submit_question",
            library=scenario.home,
            question="Opening hours?",
            email=scenario.email("asker"),
            timeout=30,
        )

    with ThreadPoolExecutor(max_workers=40) as pool:
        replies = list(pool.map(leave, patrons))
    filed = [r for r in replies if r["type"] == "question_submitted"]
    assert len(filed) == rate_limit.QUESTIONS_PER_SOURCE.burst
    assert all(_is_retry_later(r) for r in replies if r["type"] == "error")


# --- in a chat: each frame answered, none silently lost ------------------------------------------------


def _replies(client, refs: list[str], timeout: float = 30) -> dict[str, dict]:
    wanted = set(refs)
    found: dict[str, dict] = {}
    deadline = time.monotonic() + timeout
    while wanted - set(found) and time.monotonic() < deadline:
        frame = client.wait(lambda f: f.get("ref") in wanted and f.get("ref") not in found, timeout=timeout)
        found[frame["ref"]] = frame
    return found


def test_a_burst_of_200_messages_relays_the_first_and_refuses_the_rest_with_a_time_to_retry(scenario):
    """One socket's frames are handled at once and finish in any order (as API Gateway's), so
    which of the burst win the bucket's last tokens is not fixed; how many is."""
    librarian = scenario.monitoring(scenario.librarian)
    patron, session_id, _ = _accepted_chat(scenario, librarian, scenario.email("burst"))
    started = time.monotonic()
    refs = [patron.send("send_message", session_id=session_id, text=f"spam {n}") for n in range(200)]
    replies = _replies(patron, refs)
    elapsed = time.monotonic() - started
    assert len(replies) == 200  # every frame answered: an ack or an error
    acked = sorted(
        (ref for ref in refs if replies[ref]["type"] == "ack"), key=lambda ref: replies[ref]["seq"]
    )
    refused = [ref for ref in refs if replies[ref]["type"] == "error"]
    burst = rate_limit.PATRON_MESSAGES.burst
    assert burst <= len(acked) <= burst + int(elapsed) + 1
    assert len(acked) + len(refused) == 200
    assert all(_is_retry_later(replies[ref]) for ref in refused), [replies[ref] for ref in refused[:3]]
    # The librarian got exactly the messages acknowledged, in the order of their seqs.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        relayed = sorted(
            (f for f in librarian.of_type("message") if f["text"].startswith("spam ")), key=lambda f: f["seq"]
        )
        if len(relayed) >= len(acked):
            break
        time.sleep(0.05)
    assert [f["text"] for f in relayed] == [f"spam {refs.index(ref)}" for ref in acked]
    assert [f["seq"] for f in relayed] == [replies[ref]["seq"] for ref in acked]

    # After the time it was told, the patron is heard again; a refused ref sent again goes too.
    time.sleep(max(replies[ref]["retry_after"] for ref in refused))
    again = patron.call("send_message", session_id=session_id, text="spam again", ref=refused[-1])
    assert again["type"] == "ack", again
    librarian.wait(lambda f: f.get("type") == "message" and f["text"] == "spam again")


def test_messages_sent_at_once_from_many_sockets_cannot_beat_the_chats_bucket(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, session_id, token = _accepted_chat(scenario, librarian, scenario.email("many"))
    sockets = [scenario.connect() for _ in range(5)]

    def flood(client):
        refs = [
            client.send("send_message", session_id=session_id, text=uuid.uuid4().hex, patron_token=token)
            for _ in range(40)
        ]
        return list(_replies(client, refs).values())

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=5) as pool:
        replies = [r for batch in pool.map(flood, sockets) for r in batch]
    elapsed = time.monotonic() - started
    assert len(replies) == 200
    acked = [r for r in replies if r["type"] == "ack"]
    burst = rate_limit.PATRON_MESSAGES.burst
    assert burst <= len(acked) <= burst + int(elapsed) + 1
    # after the question and the "connecting you" notice (seqs 1 and 2): no gap, no repeat
    assert sorted(r["seq"] for r in acked) == list(range(3, 3 + len(acked)))
    assert all(_is_retry_later(r) for r in replies if r["type"] == "error")


def test_typing_notices_past_their_pace_are_refused_and_not_relayed(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, session_id, _ = _accepted_chat(scenario, librarian, scenario.email("typist"))
    started = time.monotonic()
    refs = [patron.send("typing", session_id=session_id, typing=n % 2 == 0) for n in range(60)]
    replies = _replies(patron, refs)
    elapsed = time.monotonic() - started
    acked = [ref for ref in refs if replies[ref]["type"] == "ack"]
    burst = rate_limit.TYPING_PER_SOCKET.burst
    assert burst <= len(acked) <= burst + int(elapsed) + 1
    assert all(_is_retry_later(replies[ref]) for ref in refs if ref not in acked)
    time.sleep(0.5)
    assert len(librarian.of_type("typing")) == len(acked)
    # The librarian's own typing is not paced: it is for patrons' sockets.
    for n in range(30):
        assert librarian.call("typing", session_id=session_id, typing=n % 2 == 0)["type"] == "ack"


def test_a_legitimate_conversation_is_never_slowed(scenario):
    """Patron and librarian taking turns, as fast as the stack answers: nothing refused."""
    librarian = scenario.monitoring(scenario.librarian)
    patron, session_id, _ = _accepted_chat(scenario, librarian, scenario.email("chatty"))
    for n in range(40):
        sender = patron if n % 2 == 0 else librarian
        assert sender.call("typing", session_id=session_id, typing=True)["type"] == "ack"
        assert sender.call("send_message", session_id=session_id, text=f"turn {n}")["type"] == "ack"
