"""The local stack's cost per message as messages pile up (in-process moto, as the stack runs it).

A relayed message costs the local stack's DynamoDB a GetItem of the session and one
TransactWriteItems (`domain.messages.append` -> `data.sessions.append`: the message, its
client ref and the session's `last_seq`). moto's own transactions copy every table they touch,
so that cost grew with the messages and refs stored; `devstack/moto_transactions.py` undoes a
cancelled transaction item by item instead. This measures the cost per message on tables
holding 0 to 50,000 stored messages (each with its ref, in chats of 100), seeded with
batch_write_item, with moto started exactly as the local stack starts it
(`devstack.aws.start_moto`), and, on the smaller tables, with moto's own transactions for
comparison. Figures only. Run as `python -m bench.moto_scaling` (`make bench` runs it too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table

from bench import inprocess  # noqa: F401 - the environment first
from chalicelib.data import access
from chalicelib.data.models import ALL_MODELS, ChatSession, Message, MessageRef
from chalicelib.domain import messages
from devstack import aws, moto_transactions

GOAL = 1.2  # the cost per message on the fullest table, at most this many times an empty table's
LEVELS = (0, 1_000, 5_000, 20_000, 50_000)
MESSAGES_PER_CHAT = 100
SENT_AT = "2026-11-23T10:00:00.000Z"


def _seed(start: int, stop: int) -> None:
    """Stored messages start..stop-1 (with their refs and, per 100, their ended chat)."""
    expires = datetime.now(UTC) + timedelta(days=1)
    with Message.batch_write() as stored, MessageRef.batch_write() as refs:
        for n in range(start, stop):
            session_id, seq = f"stored-{n // MESSAGES_PER_CHAT:05d}", n % MESSAGES_PER_CHAT + 1
            text = f"stored message {n}: a sentence or two, as a patron or a librarian writes them."
            stored.save(
                Message(
                    session_id=session_id,
                    seq=seq,
                    kind="chat",
                    from_role="patron" if seq % 2 else "librarian",
                    text=text,
                    sent_at=SENT_AT,
                )
            )
            refs.save(
                MessageRef(
                    session_id=session_id, ref=f"patron:{uuid.uuid4().hex[:12]}", seq=seq, expires_at=expires
                )
            )
    with ChatSession.batch_write() as chats:
        for chat in range(start // MESSAGES_PER_CHAT, stop // MESSAGES_PER_CHAT):
            session_id = f"stored-{chat:05d}"
            chats.save(_chat(session_id, status="ended", last_seq=MESSAGES_PER_CHAT))


def _chat(session_id: str, *, status: str = "active", last_seq: int = 0) -> ChatSession:
    return ChatSession(
        session_id=session_id,
        library="bench-library",
        status=status,
        question="benchmark",
        question_id=session_id,
        patron_token_hash="bench",
        created_at=SENT_AT,
        librarian="lib@bench.example",
        last_seq=last_seq,
    )


def _per_message_ms(count: int) -> list[float]:
    """The CPU ms of each of `count` messages in a new chat: the relay's GetItem, then the
    append. CPU time of this thread (everything here runs on it, moto included), so that other
    work on the machine weighs on the figure less than on wall-clock time."""
    session_id = f"live-{uuid.uuid4().hex[:8]}"
    _chat(session_id).save()
    librarian = messages.librarian("lib@bench.example", "Bench Librarian")
    times = []
    for n in range(count):
        started = time.thread_time()
        session = access.session(session_id)
        messages.append(session, librarian, f"message {n}", ref=uuid.uuid4().hex[:12])
        times.append((time.thread_time() - started) * 1000)
    return times


class Levels:
    """The sessions, messages and refs tables' contents at each level of stored messages, put in
    place in turn: moto's table keeps its items in one dict (`Table.items`, partition key ->
    item, or -> {sort key -> item}), and a stored chat is one partition, so a level is a
    shallow copy of that dict taken when the seeding reached it."""

    def __init__(self) -> None:
        self.contents: dict[int, list[Any]] = {}

    @staticmethod
    def _tables() -> list[Table]:
        backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]]
        return [backend.get_table(model.Meta.table_name) for model in (ChatSession, Message, MessageRef)]

    def keep(self, level: int) -> None:
        self.contents[level] = [defaultdict(dict, table.items) for table in self._tables()]

    def use(self, level: int) -> None:
        for table, items in zip(self._tables(), self.contents[level], strict=True):
            table.items = items


def measure(rounds: int, per_round: int, moto_own_up_to: int) -> list[str]:
    """Seed level by level, then time every level in turn, round after round, so that load
    from elsewhere on the machine falls on all the levels alike."""
    mock = aws.start_moto()
    try:
        for model in ALL_MODELS:
            model.create_table(wait=True)
        _per_message_ms(50)  # warm up: imports, the first validators, botocore's caches
        levels = Levels()
        started = time.perf_counter()
        stored = 0
        for level in LEVELS:
            _seed(stored, level)
            levels.keep(level)
            stored = level
        seeding = time.perf_counter() - started
        logged: dict[int, list[float]] = {level: [] for level in LEVELS}
        moto_own: dict[int, list[float]] = {level: [] for level in LEVELS if level <= moto_own_up_to}
        for turn in range(rounds):
            for level in LEVELS[turn % len(LEVELS) :] + LEVELS[: turn % len(LEVELS)]:
                levels.use(level)
                logged[level] += _per_message_ms(per_round)
                if level in moto_own:
                    moto_transactions.uninstall()
                    try:
                        moto_own[level] += _per_message_ms(max(1, per_round // 10))
                    finally:
                        moto_transactions.install()
    finally:
        mock.stop()
    median = {level: statistics.median(times) for level, times in logged.items()}
    ratio = median[LEVELS[-1]] / median[0]
    verdict = "met" if ratio <= GOAL else "MISSED"
    return [
        f"local stack: cost per message at {LEVELS[-1]:,} stored messages {ratio:.2f}x of an empty table "
        f"(goal <= {GOAL}x: {verdict})",
        f"  per message (GetItem + append transaction, median CPU ms of {rounds * per_round}), "
        "by messages stored: " + ", ".join(f"{level:,}: {ms:.1f}" for level, ms in median.items()),
        "  with moto's own transactions (a copy of each table touched): "
        + ", ".join(f"{level:,}: {statistics.median(times):.1f}" for level, times in moto_own.items())
        + f"; seeding {LEVELS[-1]:,} messages and refs with batch_write_item took {seeding:.0f} s",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10, help="times each level is timed, in turn")
    parser.add_argument("--per-round", type=int, default=20, help="messages timed at a level each round")
    parser.add_argument("--moto-own-up-to", type=int, default=5_000, help="levels timed without the undo log")
    args = parser.parse_args()
    print("\n".join(measure(args.rounds, args.per_round, args.moto_own_up_to)))


if __name__ == "__main__":
    main()
