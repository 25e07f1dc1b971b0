"""The local stack under a steady load: N chats at once, each sending one message every 2 s.

The local stack (`python -m devstack`, as `make run` starts it) in a child process, with one
library and librarian per chat, the librarian monitoring it, and a patron from a loopback
address of its own (as in the relay benchmark: the per-network limits are not what this
measures) who asks and is accepted. That set-up is not measured. Then, for `--seconds`, every
chat sends one message each `--interval`, patron and librarian in turn, on a fixed schedule:
message k of chat i at start + i * interval / N + k * interval, so the chats' messages are
spread evenly over each interval (a steady load), and a slow reply does not push the next
message back. A message's latency runs from just before its frame is written to the moment
the other side's reader thread has its `message` event.

Every message must reach the other side exactly once, rightly numbered:
- lost: not received by the other side within `--timeout` of the last send (a send refused
  with an error is lost too, and counted by its code); in the latency percentiles a lost
  message counts as slower than any received;
- duplicated: a message event that a reader (either side) got more than once;
- misnumbered: any seq a reader got twice or never (`bench/seq_check.py`); a message whose
  seq is not the same in its ack and in both sides' copies; and a message not numbered one
  after the chat's previous message when that one was acknowledged before it was sent.

The run is made twice, each on a stack of its own (`--moto` picks one): as `make run` starts
the stack, with moto in a process of its own (`devstack/moto_process.py`), and with moto inside
the stack's process (`--moto-in-process`), where the gateway, every handler and moto share one
interpreter lock and so one core of the machine's two: the second run shows what that core
is worth. Beside each run, the CPU the stack and its moto used over it. With AWS_ENDPOINT_URL
set, one run, on that endpoint.

Figures only. Run as `python -m bench.paced` (`make bench` runs it too).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from websockets.exceptions import ConnectionClosed

from devstack.client import Client, Frame, Stack
from devstack.process import ROOT, running_stack

from . import proc
from .seq_check import SeqCheck, received

GOAL_P99_MS = 250
SET_UP_AT_ONCE = 10  # chats set up at a time (a login, a request, an accept each)
# The local stack as `make run` starts it, moto in a process of its own (devstack/moto_process.py),
# and with moto in the stack's own process, where everything shares one core.
MOTO = {"process": [], "in-process": ["--moto-in-process"]}
WHERE = {"process": "moto in its own process", "in-process": "moto in-process"}


class StampedClient(Client):
    """A Client that notes when its reader thread got each frame (`arrived`, beside
    `received`): a latency then holds no wait for a waiting thread to wake up and look."""

    def __init__(self, ws_url: str, token: str | None = None, source: str | None = None) -> None:
        self.arrived: list[float] = []
        super().__init__(ws_url, token, source)

    def _read(self) -> None:  # Client._read, with the time each frame came
        try:
            for raw in self.socket:
                at = time.perf_counter()
                frame = json.loads(raw)
                with self._changed:
                    self.received.append(frame)
                    self.arrived.append(at)
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self.closed = True
                self._changed.notify_all()

    def stamped(self, *types: str) -> list[tuple[Frame, float]]:
        """The frames of these types, each with the time it came."""
        with self._changed:
            pairs = zip(self.received, self.arrived, strict=True)
            return [(frame, at) for frame, at in pairs if frame.get("type") in types]


@dataclass
class Sent:
    text: str
    ref: str
    by_patron: bool
    due: float  # when the schedule said to send it (perf_counter)
    at: float = 0.0  # when its frame was written


@dataclass
class Chat:
    session_id: str
    patron: StampedClient
    librarian: StampedClient
    sent: list[Sent] = field(default_factory=list)

    def delivered(self) -> bool:
        """Whether the other side has every message sent so far, and the sender its reply."""
        patron = {f.get("text") for f, _ in self.patron.stamped("message")}
        librarian = {f.get("text") for f, _ in self.librarian.stamped("message")}
        replied = {f.get("ref") for c in (self.patron, self.librarian) for f, _ in c.stamped("ack", "error")}
        return all(m.text in (librarian if m.by_patron else patron) and m.ref in replied for m in self.sent)

    def close(self) -> None:
        self.patron.close()
        self.librarian.close()


def _set_up(stack: Stack, n: int, library: str, email: str) -> Chat:
    librarian = StampedClient(stack.ws_url, stack.login(email))
    librarian.call("monitor", queues=[library])
    patron = StampedClient(stack.ws_url, source=f"127.3.{n // 250}.{n % 250 + 2}")
    session_id = patron.call("request_chat", library=library, question="benchmark")["session_id"]
    librarian.call("accept", session_id=session_id)
    return Chat(session_id, patron, librarian)


def _send_on_schedule(chat: Chat, due: list[float], failed: list[BaseException]) -> None:
    try:
        for k, when in enumerate(due):
            while (left := when - time.perf_counter()) > 0:
                time.sleep(left)
            sender = chat.patron if k % 2 == 0 else chat.librarian
            message = Sent(f"m{k}-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:12], k % 2 == 0, when)
            chat.sent.append(message)
            message.at = time.perf_counter()
            sender.send("send_message", session_id=chat.session_id, text=message.text, ref=message.ref)
    except BaseException as error:  # reported by the main thread
        failed.append(error)


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)  # math.inf for a lost message
    lag_ms: list[float] = field(default_factory=list)  # how late each send was on its schedule
    lost: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # error code -> messages
    unacknowledged: int = 0  # delivered, but the sender had neither ack nor error
    duplicated: int = 0
    misnumbered: int = 0
    check: SeqCheck = field(default_factory=SeqCheck)

    def count(self, chat: Chat) -> None:
        """What the chat's two sides received, against what it sent."""
        texts = [m.text for m in chat.sent]
        copies: dict[bool, dict[str, list[tuple[Frame, float]]]] = {}  # the patron's side? -> text -> copies
        for patron_side, client in ((True, chat.patron), (False, chat.librarian)):
            self.check.record(chat.session_id, received(client, chat.session_id, texts, timeout=0))
            got: dict[str, list[tuple[Frame, float]]] = {}
            for frame, at in client.stamped("message"):
                if frame.get("session_id") == chat.session_id:
                    got.setdefault(str(frame.get("text")), []).append((frame, at))
            self.duplicated += sum(len(same) - 1 for same in got.values())
            copies[patron_side] = got
        replies = {
            str(f.get("ref")): (f, at)
            for c in (chat.patron, chat.librarian)
            for f, at in c.stamped("ack", "error")
        }
        previous: tuple[int, float] | None = None  # the chat's previous message: its seq, when acked
        for message in chat.sent:
            self.lag_ms.append((message.at - message.due) * 1000)
            reply = replies.get(message.ref)
            if reply is not None and reply[0]["type"] == "error":
                self.refused[str(reply[0].get("code"))] += 1
            other = copies[not message.by_patron].get(message.text)
            if not other:
                self.lost += 1
                self.latencies_ms.append(math.inf)
                previous = None
                continue
            self.latencies_ms.append((other[0][1] - message.at) * 1000)
            seq = int(other[0][0]["seq"])
            ack = reply[0].get("seq") if reply is not None else None
            if ack is None:
                self.unacknowledged += 1
            every_copy = {
                int(f["seq"]) for f, _ in [*other, *copies[message.by_patron].get(message.text, [])]
            }
            follows = previous is None or previous[1] > message.at or seq == previous[0] + 1
            if every_copy != {seq} or ack not in (None, seq) or not follows:
                self.misnumbered += 1
            previous = (seq, reply[1]) if reply is not None and ack is not None else None


def _reference_ms() -> float:
    """CPU ms of a fixed piece of pure Python (JSON round trips, arithmetic), median of three.
    This machine's vCPUs are not always as fast: the stack's CPU per message moved by 2x
    between runs of the same code, and this moved with it, so it is printed beside the run."""
    sample = {"type": "message", "seq": 17, "text": "a sentence or two" * 4, "from": {"role": "patron"}}
    times = []
    for _ in range(3):
        started = time.process_time()
        for n in range(20_000):
            json.loads(json.dumps(sample))
            sum(i * n for i in range(50))
        times.append((time.process_time() - started) * 1000)
    return sorted(times)[1]


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest rank: the smallest value that `share` of them are at or below."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _ms(value: float) -> str:
    return "a lost message" if math.isinf(value) else f"{value:.0f} ms"


def paced(chats: int, interval: float, seconds: float, timeout: float, moto: str) -> list[str]:
    per_chat = max(1, round(seconds / interval))
    reference = _reference_ms()
    log = ROOT / "test-artifacts" / f"bench-paced-{moto}-devstack.log"
    with running_stack(log, demo=False, args=MOTO[moto]) as stack:
        assert stack.pid is not None
        libraries = [f"paced-{i}-{uuid.uuid4().hex[:6]}" for i in range(chats)]
        emails = [f"lib@{library}.example" for library in libraries]
        stack.fixtures(
            {
                "libraries": [{"id": library, "name": "Paced Library"} for library in libraries],
                "staff": [{"email": e, "library": lib} for e, lib in zip(emails, libraries, strict=True)],
            }
        )
        with ThreadPoolExecutor(SET_UP_AT_ONCE) as pool:
            running = list(pool.map(lambda n: _set_up(stack, n, libraries[n], emails[n]), range(chats)))
        try:
            time.sleep(1)  # the set-up's last queue updates go out before the clock starts
            failed: list[BaseException] = []
            start = time.perf_counter() + 0.5
            threads = [
                threading.Thread(
                    target=_send_on_schedule,
                    args=(
                        chat,
                        [start + i * interval / chats + k * interval for k in range(per_chat)],
                        failed,
                    ),
                    daemon=True,
                )
                for i, chat in enumerate(running)
            ]
            moto_pids = proc.children(stack.pid)
            stack_cpu, moto_cpu, own_cpu = (
                proc.cpu_s(stack.pid),
                sum(map(proc.cpu_s, moto_pids)),
                time.process_time(),
            )
            calls = stack.calls()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            last_sent = time.perf_counter()
            while not all(chat.delivered() for chat in running) and time.perf_counter() < last_sent + timeout:
                time.sleep(0.05)
            elapsed = time.perf_counter() - start
            stack_cpu = proc.cpu_s(stack.pid) - stack_cpu
            moto_cpu = sum(map(proc.cpu_s, moto_pids)) - moto_cpu
            own_cpu = time.process_time() - own_cpu
            load = os.getloadavg()
            calls = Counter(stack.calls()) - Counter(calls)
            if failed:
                raise RuntimeError("a chat stopped sending") from failed[0]
            tally = Tally()
            for chat in running:
                tally.count(chat)
        finally:
            for chat in running:
                chat.close()
    ms = sorted(tally.latencies_ms)
    p99 = _percentile(ms, 0.99)
    faults = tally.lost + tally.duplicated + tally.misnumbered + tally.check.duplicated + tally.check.missing
    misnumbered = tally.misnumbered + tally.check.duplicated + tally.check.missing
    lag = sorted(tally.lag_ms)
    return [
        f"paced, {WHERE[moto]}: {chats} chats, one message per {interval:g} s each, {seconds:g} s: "
        f"{len(ms):,} messages; "
        f"latency p50 {_ms(_percentile(ms, 0.5))}, p99 {_ms(p99)}, max {_ms(ms[-1])} "
        f"(goal p99 < {GOAL_P99_MS} ms: {'met' if p99 < GOAL_P99_MS else 'MISSED'}); "
        f"lost {tally.lost}, duplicated {tally.duplicated}, misnumbered {misnumbered} "
        f"(goal 0: {'met' if faults == 0 else 'MISSED'})",
        f"  refused {sum(tally.refused.values())}"
        + "".join(f", {code} {n}" for code, n in sorted(tally.refused.items()))
        + f"; delivered without an ack {tally.unacknowledged}; sends behind their schedule p99 "
        f"{_percentile(lag, 0.99):.1f} ms, max {lag[-1]:.1f} ms",
        f"  CPU over the {elapsed:.0f} s: the local stack {stack_cpu / elapsed:.0%} of one core"
        + (f", its moto process {moto_cpu / elapsed:.0%}" if moto_pids else "")
        + f", {(stack_cpu + moto_cpu) * 1000 / len(ms):.1f} ms a message; "
        f"the benchmark's clients {own_cpu / elapsed:.0%}; load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} on {os.cpu_count()} cores; the machine's speed before the run: a fixed "
        f"workload {reference:.0f} ms of CPU (lower is faster)",
        "  requests over the run, per message: "
        + ", ".join(f"{name} {n / len(ms):.2f}" for name, n in calls.most_common()),
        "  " + tally.check.report(),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a chat's messages")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the chats send")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="after the last send, for the last receipts"
    )
    parser.add_argument(
        "--moto",
        choices=[*MOTO, "both"],
        default="both",
        help="the stack's moto: in a process of its own (as make run), in-process, or a run of each",
    )
    args = parser.parse_args()
    if endpoint := os.environ.get("AWS_ENDPOINT_URL"):  # the stack is on it, not on moto of its own
        WHERE["process"] = f"on {endpoint}"
        args.moto = "process"
    for moto in MOTO if args.moto == "both" else [args.moto]:
        print("\n".join(paced(args.chats, args.interval, args.seconds, args.timeout, moto)), flush=True)


if __name__ == "__main__":
    main()
