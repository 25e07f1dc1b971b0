"""Every chat's messages numbered 1, 2, 3... as each reader received them: no number twice, none
skipped.

DynamoDB applies each TransactWriteItems atomically, so two messages of one chat can never
take the same `seq`; an endpoint that is not faithful to that (moto's standalone server under
concurrent transactions) numbers two messages alike. The benchmarks record the `seq` of the
`message` events each receiver got, per chat, and report any duplicated or missing number, so
such a regression shows in `make bench` instead of hiding in a figure.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from devstack.client import Client


def seqs(frames: list[dict[str, Any]], session_id: str) -> list[int]:
    """The seq of each `message` event of this chat, in the order received."""
    return [
        int(frame["seq"])
        for frame in frames
        if frame.get("type") == "message" and frame.get("session_id") == session_id
    ]


def received(client: Client, session_id: str, texts: list[str], timeout: float = 10) -> list[int]:
    """The seqs of this chat's message events `client` got, once the events of every one of
    `texts` have come (events of different invocations may cross), or after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        frames = client.of_type("message")
        got = {frame.get("text") for frame in frames if frame.get("session_id") == session_id}
        if got.issuperset(texts) or time.monotonic() > deadline:
            return seqs(frames, session_id)
        time.sleep(0.02)


class SeqCheck:
    """What each receiver of each chat saw; thread-safe."""

    def __init__(self) -> None:
        self.duplicated = 0  # a number received again by the same receiver
        self.missing = 0  # a number skipped between a receiver's lowest and highest
        self.chats: set[str] = set()
        self._lock = threading.Lock()

    def record(self, session_id: str, received: list[int]) -> None:
        """One receiver's seqs for one chat."""
        counts = Counter(received)
        duplicated = sum(n - 1 for n in counts.values())
        missing = max(counts) - min(counts) + 1 - len(counts) if counts else 0
        with self._lock:
            self.chats.add(session_id)
            self.duplicated += duplicated
            self.missing += missing

    def report(self) -> str:
        verdict = "ok" if self.duplicated == self.missing == 0 else "BROKEN: messages numbered alike or lost"
        return (
            f"seq check: {self.duplicated} duplicated, {self.missing} missing across {len(self.chats)} chats "
            f"(each receiver's message events, per chat: {verdict})"
        )
