"""The local stack's memory over a soak: 10,000 messages relayed through real WebSockets.

The local stack (`python -m devstack`, as `make run` starts it) in a child process; a few
chats at a time, each a library of its own with its librarian monitoring, each chat a new
patron (from a loopback address of its own, as in the relay benchmark) who asks, is accepted,
and alternates 100 messages with the librarian before the librarian ends the chat; then the
next chat. The stack's resident memory (VmRSS in /proc/PID/status: its own process's and
its moto's, which has a process of its own, devstack/moto_process.py) is read after the first
1,000 messages and after every 1,000 to the end. The tables grow with the messages (each
stored with its client ref), so memory may grow with them, but not with the requests:
the goal is the RSS after 10,000 at most 1.5 times the RSS after 1,000. The `seq` of every
`message` event each side received is checked per chat too (bench/seq_check.py).

Figures only. Run as `python -m bench.soak` (`make bench` runs it too).
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid

from devstack.client import Client, Stack
from devstack.process import ROOT, running_stack

from . import proc
from .seq_check import SeqCheck, received

GOAL = 1.5  # RSS after all the messages, at most this many times the RSS after the first 1,000


def stack_mb(pid: int) -> float:
    """The stack's resident memory: its own process's and its moto's (a process of its own)."""
    return proc.rss_mb(pid) + sum(map(proc.rss_mb, proc.children(pid)))


class Soak:
    def __init__(self, stack: Stack, total: int, per_chat: int) -> None:
        self.stack, self.total, self.per_chat = stack, total, per_chat
        self.relayed = 0
        self._reserved = 0  # messages of the chats begun
        self.failed: list[BaseException] = []
        self.check = SeqCheck()
        self._lock = threading.Lock()

    def _take(self) -> bool:
        """One more chat's worth of messages, while the total is not reached."""
        with self._lock:
            if self._reserved >= self.total or self.failed:
                return False
            self._reserved += self.per_chat
            return True

    def lane(self, n: int, library: str, email: str) -> None:
        try:
            librarian = self.stack.librarian(email)
            librarian.call("monitor", queues=[library])
            chat = 0
            while self._take():
                self._chat(librarian, library, source=f"127.2.{n}.{chat % 250 + 2}")
                chat += 1
            librarian.close()
        except BaseException as error:  # reported by the main thread
            with self._lock:
                self.failed.append(error)

    def _chat(self, librarian: Client, library: str, source: str) -> None:
        patron = Client(self.stack.ws_url, source=source)
        try:
            session_id = patron.call("request_chat", library=library, question="soak")["session_id"]
            librarian.call("accept", session_id=session_id)
            sent: list[str] = []
            for n in range(self.per_chat):
                sender, receiver = (patron, librarian) if n % 2 == 0 else (librarian, patron)
                text = f"m{n}-{uuid.uuid4().hex[:6]}"
                sent.append(text)
                sender.send("send_message", session_id=session_id, text=text)
                receiver.wait_type("message", text=text, timeout=30)
                with self._lock:
                    self.relayed += 1
            for client in (patron, librarian):
                self.check.record(session_id, received(client, session_id, sent))
            librarian.call("end_chat", session_id=session_id)
        finally:
            patron.close()


def soak(total: int, chats_at_once: int, per_chat: int, every: int) -> list[str]:
    with running_stack(ROOT / "test-artifacts" / "bench-soak-devstack.log", demo=False) as stack:
        assert stack.pid is not None
        libraries = [f"soak-{i}-{uuid.uuid4().hex[:6]}" for i in range(chats_at_once)]
        emails = [f"lib@{library}.example" for library in libraries]
        stack.fixtures(
            {
                "libraries": [{"id": library, "name": "Soak Library"} for library in libraries],
                "staff": [{"email": e, "library": lib} for e, lib in zip(emails, libraries, strict=True)],
            }
        )
        started_mb = stack_mb(stack.pid)
        run = Soak(stack, total, per_chat)
        threads = [
            threading.Thread(target=run.lane, args=(n, library, email), daemon=True)
            for n, (library, email) in enumerate(zip(libraries, emails, strict=True))
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        samples: dict[int, float] = {}
        next_sample = every
        deadline = time.monotonic() + 3600  # bounded: an hour at most, whatever happens
        while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
            if run.relayed >= next_sample:
                samples[next_sample] = stack_mb(stack.pid)
                next_sample += every
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        while run.relayed >= next_sample:  # the last chats ended between two readings
            samples[next_sample] = stack_mb(stack.pid)
            next_sample += every
        if run.failed:
            raise RuntimeError(f"the soak stopped after {run.relayed} messages") from run.failed[0]
    first, last = samples[every], samples[max(samples)]
    ratio = last / first
    verdict = "met" if ratio <= GOAL else "MISSED"
    return [
        f"local stack: RSS after {max(samples):,} messages {ratio:.2f}x its RSS after the first {every:,} "
        f"(goal <= {GOAL}x: {verdict}); {last:.0f} MB against {first:.0f} MB",
        f"  soak: {run.relayed:,} messages in {run.relayed // per_chat} chats of {per_chat}, "
        f"{chats_at_once} at a time, {elapsed:.0f} s ({run.relayed / elapsed:.0f} msg/s); RSS at start "
        f"{started_mb:.0f} MB, then by messages relayed: "
        + ", ".join(f"{n:,}: {mb:.0f}" for n, mb in samples.items()),
        "  " + run.check.report(),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=5, help="chats at a time")
    parser.add_argument("--per-chat", type=int, default=100, help="messages per chat (at most 120)")
    parser.add_argument("--every", type=int, default=1_000, help="read the RSS every this many messages")
    args = parser.parse_args()
    print("\n".join(soak(args.messages, args.chats, args.per_chat, args.every)))


if __name__ == "__main__":
    main()
