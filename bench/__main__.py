"""Benchmarks, figures only (nothing here asserts on time).

Relay: N concurrent chats through the local gateway, M messages each. Prints DynamoDB
requests per relayed message (counted by botocore hooks in the stack), Scans (must be 0),
management-API posts per message, and round-trip latency p50/p99 from a patron's send to
the librarian's receipt; and the seq check: any message number a receiver got twice or never
(`bench/seq_check.py`).

Write units: per relayed message at message 10 and 200 of a chat, from the items' sizes, and
index write units (`bench/write_units.py`).

Reports: a year's report over 10,000 chats, and its CSV (`bench/reports.py`, in-process moto).

The local stack: the cost per message on tables of 0 to 50,000 stored messages
(`bench/moto_scaling.py`, in-process moto), and its memory over a 10,000-message soak
(`bench/soak.py`, a local stack of its own).

Paced: 100 chats at once, each sending one message every 2 s on a fixed schedule for 60 s;
latency p50/p99 from a send to the other side's receipt, and every message received exactly
once and rightly numbered; run as `make run` starts the stack, moto in a process of its own,
and with moto in the stack's process (`bench/paced.py`, a local stack of its own for each).

Cold start: the import time of the deployed handler module (app.py, which every function
loads: the WebSocket routes, the REST API and the schedules), median of fresh interpreters,
and what it is spent on; then the same from the deployment package, unpacked read-only as
Lambda has it, with the package's size before and after slimming (`bench/cold_start.py`).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from bench.cold_start import library_imports  # the floor both cold-start figures compare with
from bench.seq_check import SeqCheck, received
from devstack.client import Client, Stack
from devstack.process import ROOT, running_stack

TARGET_REQUESTS_PER_MESSAGE = 2
TARGET_IMPORT_MS = 250
LIBRARIES = ("pynamodb", "botocore", "pydantic", "chalice", "aws_lambda_powertools", "urllib3")
IMPORT_PROBE = "import time; t = time.perf_counter(); {}; print((time.perf_counter() - t) * 1000)"


def _import_ms(statements: str, runs: int) -> list[float]:
    probe = IMPORT_PROBE.format(statements)
    return sorted(
        float(
            subprocess.run(
                [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    )


def cold_start(runs: int) -> list[str]:
    """Import app.py in fresh interpreters, as a Lambda cold start does, and say where the time goes."""
    times = _import_ms("import app", runs)
    floor = statistics.median(_import_ms(library_imports(), runs))
    profile = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import app"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    spent: dict[str, float] = {}
    for line in profile.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match:  # a package's outermost import carries its whole cost
            package = match.group(3).split(".")[0]
            spent[package] = max(spent.get(package, 0), int(match.group(1)) / 1000)
    median = statistics.median(times)
    verdict = "met" if median <= TARGET_IMPORT_MS else "MISSED"
    top = sorted(((spent.get(name, 0), name) for name in LIBRARIES), reverse=True)
    return [
        f"cold start: import app (every function's handler module) median {median:.0f} ms, "
        f"min {times[0]:.0f} ms over {runs} fresh interpreters (target <= {TARGET_IMPORT_MS} ms: {verdict})",
        f"  the libraries alone, as the code imports them (PynamoDB with botocore, pydantic, Chalice, Powertools): {floor:.0f} ms",
        "  spent importing (cumulative; pynamodb includes botocore, botocore urllib3): "
        + ", ".join(f"{name} {ms:.0f} ms" for ms, name in top),
    ]


def _chat(stack: Stack, library: str, email: str, messages: int, latencies: list[float], n: int) -> None:
    librarian = stack.librarian(email)
    librarian.call("monitor", queues=[library])
    # Each patron on a network of their own (a loopback address), as N patrons are: the
    # per-network limits on chat requests are not what this measures.
    patron = Client(stack.ws_url, source=f"127.1.{n // 250}.{n % 250 + 2}")
    session_id = patron.call("request_chat", library=library, question="benchmark")["session_id"]
    librarian.call("accept", session_id=session_id)
    barrier.wait()
    go.wait()
    sent: list[str] = []
    for n in range(messages):
        sender, receiver = (patron, librarian) if n % 2 == 0 else (librarian, patron)
        text = f"m{n}-{uuid.uuid4().hex[:6]}"
        sent.append(text)
        started = time.perf_counter()
        sender.send("send_message", session_id=session_id, text=text)
        receiver.wait_type("message", text=text, timeout=30)
        latencies.append(time.perf_counter() - started)
    barrier.wait()
    for client in (patron, librarian):  # each message numbered once, none skipped, as each side saw it
        seq_check.record(session_id, received(client, session_id, sent))
    counted.wait()  # closing sockets makes requests of its own: not part of the figures
    patron.close()
    librarian.close()


def _figures(module: str) -> list[str]:
    """What `python -m module` prints."""
    run = subprocess.run([sys.executable, "-m", module], cwd=ROOT, capture_output=True, text=True, check=True)
    return run.stdout.splitlines()


barrier: threading.Barrier
go = threading.Event()
counted = threading.Event()
seq_check = SeqCheck()


def main() -> None:
    global barrier
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=10)
    parser.add_argument("--messages", type=int, default=30)
    parser.add_argument("--import-runs", type=int, default=9)
    args = parser.parse_args()
    imports = [*cold_start(args.import_runs), *_figures("bench.cold_start")]
    # Benchmarks of their own, each in a fresh interpreter with in-process moto.
    report_figures = [*_figures("bench.write_units"), *_figures("bench.reports")]
    # The local stack itself: cost per message as tables fill, memory over a 10,000-message soak.
    stack_figures = [*_figures("bench.moto_scaling"), *_figures("bench.soak"), *_figures("bench.paced")]

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
            threading.Thread(target=_chat, args=(stack, library, email, args.messages, latencies, n))
            for n, (library, email) in enumerate(zip(libraries, emails, strict=True))
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
        seq_check.report(),
        f"round trip patron->librarian->... p50 {statistics.median(ms):.1f} ms, "
        f"p99 {ms[int(len(ms) * 0.99) - 1]:.1f} ms, max {ms[-1]:.1f} ms",
        *imports,
        *report_figures,
        *stack_figures,
    ]
    print("\n".join(report))
    Path(ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "bench.txt").write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
