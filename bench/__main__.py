"""Relay benchmark: N concurrent chats through the local gateway, M messages each.

Prints DynamoDB requests per relayed message (counted by botocore hooks in the stack),
Scans (must be 0), management-API posts per message, and round-trip latency p50/p99 from a
patron's send to the librarian's receipt. Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import uuid
from pathlib import Path

from devstack.client import Client, Stack
from devstack.process import ROOT, running_stack

TARGET_REQUESTS_PER_MESSAGE = 2


def _chat(stack: Stack, library: str, email: str, messages: int, latencies: list[float]) -> None:
    librarian = stack.librarian(email)
    librarian.call("monitor", queues=[library])
    patron = Client(stack.ws_url)
    session_id = patron.call("request_chat", library=library, question="benchmark")["session_id"]
    librarian.call("accept", session_id=session_id)
    barrier.wait()
    go.wait()
    for n in range(messages):
        sender, receiver = (patron, librarian) if n % 2 == 0 else (librarian, patron)
        text = f"m{n}-{uuid.uuid4().hex[:6]}"
        started = time.perf_counter()
        sender.send("send_message", session_id=session_id, text=text)
        receiver.wait_type("message", text=text, timeout=30)
        latencies.append(time.perf_counter() - started)
    barrier.wait()
    counted.wait()  # closing sockets makes requests of its own: not part of the figures
    patron.close()
    librarian.close()


barrier: threading.Barrier
go = threading.Event()
counted = threading.Event()


def main() -> None:
    global barrier
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=10)
    parser.add_argument("--messages", type=int, default=30)
    args = parser.parse_args()

    with running_stack(ROOT / "test-artifacts" / "bench-devstack.log") as stack:
        # One library per chat, so that no chat's queue updates reach another's librarian.
        libraries = [f"bench-{i}-{uuid.uuid4().hex[:6]}" for i in range(args.chats)]
        emails = [f"lib@{library}.example" for library in libraries]
        stack.fixtures(
            {
                "libraries": [{"id": library, "name": "Bench Library"} for library in libraries],
                "staff": [{"email": e, "library": lib} for e, lib in zip(emails, libraries, strict=True)],
            }
        )
        barrier = threading.Barrier(args.chats + 1)
        latencies: list[float] = []
        threads = [
            threading.Thread(target=_chat, args=(stack, library, email, args.messages, latencies))
            for library, email in zip(libraries, emails, strict=True)
        ]
        for thread in threads:
            thread.start()
        barrier.wait()  # every chat is set up: count only the relaying from here
        time.sleep(1)  # let the last queue updates of the set-up go out
        before = stack.calls()
        started = time.perf_counter()
        go.set()
        barrier.wait()  # every message of every chat has been received
        elapsed = time.perf_counter() - started
        after = stack.calls()
        counted.set()
        for thread in threads:
            thread.join()

    relayed = args.chats * args.messages
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    dynamo = {k.split(".", 1)[1]: v for k, v in delta.items() if k.startswith("dynamodb.") and v}
    dynamo_total = sum(dynamo.values())
    posts = delta.get("apigatewaymanagementapi.PostToConnection", 0)
    scans = after.get("dynamodb.Scan", 0)
    ms = sorted(x * 1000 for x in latencies)
    per_message = dynamo_total / relayed
    report = [
        f"chats {args.chats}, messages each {args.messages}, relayed {relayed} in {elapsed:.2f} s "
        f"({relayed / elapsed:.0f} msg/s)",
        f"DynamoDB requests per relayed message: {per_message:.2f} "
        f"(target <= {TARGET_REQUESTS_PER_MESSAGE}: {'met' if per_message <= TARGET_REQUESTS_PER_MESSAGE else 'MISSED'})",
        "  by operation: " + ", ".join(f"{op} {n / relayed:.2f}" for op, n in sorted(dynamo.items())),
        f"DynamoDB Scans during the whole run: {scans}",
        f"management-API posts per message: {posts / relayed:.2f}",
        f"round trip patron->librarian->... p50 {statistics.median(ms):.1f} ms, "
        f"p99 {ms[int(len(ms) * 0.99) - 1]:.1f} ms, max {ms[-1]:.1f} ms",
    ]
    print("\n".join(report))
    Path(ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "bench.txt").write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
