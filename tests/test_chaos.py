"""A 100-message conversation while the patron's socket is killed 20 times at random moments.

The patron here behaves as the widget does: it keeps the messages it holds by seq, resumes
after the highest seq it holds, and re-sends every message it has no ack for, with the same
ref. Nothing may be lost, repeated or reordered on either side.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field

from devstack.client import Client

SEED = 20261123
MESSAGES = 100
KILLS = 20


@dataclass
class ResilientPatron:
    scenario: object
    session_id: str
    token: str
    client: Client | None  # None while offline
    held: dict[int, dict] = field(default_factory=dict)  # seq -> message, as the widget keeps it
    unacked: dict[str, str] = field(default_factory=dict)  # ref -> text
    read: int = 0  # frames of the current socket already taken in
    seen_twice: int = 0  # a message that came both live and in a resume: shown once
    resends: int = 0
    recovered: int = 0  # messages that came back in a `resumed` reply
    resumes: int = 0

    def absorb(self) -> None:
        """Take in what the socket has delivered since last time: messages by seq, acks by ref."""
        frames = self.client.received[self.read :]
        self.read += len(frames)
        for frame in frames:
            messages = frame["messages"] if frame["type"] == "resumed" else [frame]
            if frame["type"] == "resumed":
                self.recovered += len(messages)
            for message in messages:
                if message.get("type", "message") == "message" and "seq" in message:
                    self.seen_twice += message["seq"] in self.held
                    self.held[message["seq"]] = message
            if frame["type"] == "ack":
                self.unacked.pop(frame.get("ref"), None)

    def send(self, text: str) -> None:
        """Send now, or, while offline, keep it to send on reconnecting (as the widget does)."""
        ref = uuid.uuid4().hex[:12]
        self.unacked[ref] = text
        if self.client is not None:
            self._send(ref, text)

    def _send(self, ref: str, text: str) -> None:
        self.client.send(
            "send_message", ref=ref, session_id=self.session_id, text=text, patron_token=self.token
        )

    def kill(self) -> None:
        self.absorb()
        self.client.kill()
        self.absorb()
        self.client = None

    def resume(self) -> None:
        self.client, self.read = self.scenario.connect(), 0
        self.resumes += 1
        self.client.call("resume", patron_token=self.token, after_seq=max(self.held, default=0))
        for ref, text in list(self.unacked.items()):
            self.resends += 1
            self._send(ref, text)

    def wait_for(self, text: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.absorb()
            if any(m["text"] == text for m in self.held.values()) and not self.unacked:
                return
            time.sleep(0.01)
        raise TimeoutError(f"the patron never saw {text!r}; unacked {self.unacked}; held {sorted(self.held)}")


def test_a_hundred_messages_survive_twenty_random_drops(scenario):
    rng = random.Random(SEED)
    librarian = scenario.monitoring(scenario.librarian)
    first, requested = scenario.chat("Chaos question")
    session_id = requested["session_id"]
    librarian.call("accept", session_id=session_id)
    patron = ResilientPatron(scenario, session_id, requested["patron_token"], first)

    kill_at = set(rng.sample(range(MESSAGES), KILLS))
    started = time.monotonic()
    said: list[str] = []
    for number in range(MESSAGES):
        speaker = rng.choice(("patron", "librarian"))
        text = f"{speaker} message {number}"
        said.append(text)
        moment = rng.choice(("away", "in flight", "after")) if number in kill_at else None
        if moment == "away":  # the message is written while the patron is offline
            patron.kill()
        if speaker == "patron":
            patron.send(text)
        else:
            librarian.send("send_message", session_id=session_id, text=text)
        if moment == "in flight":  # killed before the ack or the message could come back
            patron.kill()
            patron.resume()
        offline_send = moment == "away" and speaker == "patron"
        if not offline_send:
            librarian.wait(lambda f, text=text: f.get("type") == "message" and f["text"] == text)
        if moment == "away":
            patron.resume()
        if moment == "after":  # killed with the message perhaps still on its way
            patron.kill()
            patron.resume()
        patron.wait_for(text)
        if offline_send:
            librarian.wait(lambda f, text=text: f.get("type") == "message" and f["text"] == text)
    elapsed = time.monotonic() - started

    def conversation(messages) -> list[str]:
        return [m["text"] for m in messages if m["kind"] == "chat" and m["seq"] > 1]

    patron_view = [patron.held[seq] for seq in sorted(patron.held)]
    librarian_view = librarian.of_type("message")
    print(
        f"\nchaos: {MESSAGES} messages, {patron.resumes} drops (seed {SEED}), "
        f"{patron.recovered} messages recovered on resume, {patron.resends} re-sends, {patron.seen_twice} live+resume overlaps shown once, "
        f"{len(librarian.of_type('session_update'))} status updates to the librarian, {elapsed:.1f} s"
    )
    assert conversation(patron_view) == said
    assert conversation(librarian_view) == said
    seqs = [m["seq"] for m in librarian_view]
    assert seqs == sorted(set(seqs)), "the librarian got a message twice or out of order"
    assert sorted(patron.held) == list(range(1, max(patron.held) + 1)), "the patron is missing a seq"
