"""Races and retries: the first accept wins; a retried message is written once."""

from __future__ import annotations

import threading
import uuid

from devstack.client import Client


def test_twenty_librarians_accepting_at_once_produce_one_accepted(scenario):
    emails = [f"racer{i}-{uuid.uuid4().hex[:6]}@{scenario.home}.example" for i in range(20)]
    scenario.stack.fixtures(
        {
            "staff": [
                {"email": e, "name": f"Racer {i}", "library": scenario.home} for i, e in enumerate(emails)
            ]
        }
    )
    racers = [scenario.monitoring(email) for email in emails]
    patron, requested = scenario.chat()
    for racer in racers:
        racer.wait_type("queue_update", op="added")

    barrier = threading.Barrier(len(racers))
    replies: list[dict] = [{}] * len(racers)

    def race(index: int, racer: Client) -> None:
        barrier.wait()
        replies[index] = racer.call("accept", session_id=requested["session_id"], timeout=30)

    threads = [threading.Thread(target=race, args=(i, r)) for i, r in enumerate(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    kinds = sorted(reply.get("type") + ":" + reply.get("code", "") for reply in replies)
    assert kinds.count("accepted:") == 1
    assert kinds.count("error:already_accepted") == 19
    winner = next(i for i, reply in enumerate(replies) if reply["type"] == "accepted")
    assert patron.wait_type("session_update")["librarian"] == {"name": f"Racer {winner}"}
    assert len(patron.of_type("session_update")) == 1


def test_the_same_ref_sent_three_times_creates_one_message(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat()
    session_id = requested["session_id"]
    librarian.call("accept", session_id=session_id)
    acks = [patron.call("send_message", session_id=session_id, text="only once", ref="r-1") for _ in range(3)]
    assert [a["seq"] for a in acks] == [3, 3, 3]
    librarian.call("send_message", session_id=session_id, text="next")
    assert librarian.wait_type("message", text="next")["seq"] == 4
    assert [m["seq"] for m in librarian.of_type("message") if m["text"] == "only once"] == [3]


def test_librarian_and_patron_sending_together_get_distinct_gapless_seqs(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat()
    session_id = requested["session_id"]
    librarian.call("accept", session_id=session_id)

    def burst(client: Client, who: str) -> None:
        for n in range(15):
            client.send("send_message", session_id=session_id, text=f"{who} {n}")

    threads = [threading.Thread(target=burst, args=pair) for pair in ((patron, "p"), (librarian, "l"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _ in range(32):  # the 2 opening messages and the 30 sent here
        patron.wait_type("message", timeout=20)
    seen = sorted(m["seq"] for m in patron.of_type("message"))
    assert seen == list(range(1, 33))
