"""What operators see: JSON logs with route, connection and session; EMF metrics; no tracer
loaded unless a stage turns tracing on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _metric_names(records: list[dict]) -> set[str]:
    return {
        metric["Name"]
        for record in records
        if "_aws" in record
        for directive in record["_aws"]["CloudWatchMetrics"]
        for metric in directive["Metrics"]
    }


def test_a_chat_is_counted_and_its_log_lines_say_where_they_came_from(lambda_app, capfd, monkeypatch):
    from chalicelib.observability import logger

    monkeypatch.setattr(logger.registered_handler, "stream", sys.__stdout__)  # where Lambda reads logs
    librarian = lambda_app.connect(token=lambda_app.token())
    lambda_app.send(librarian, action="monitor")
    patron = lambda_app.connect()
    session_id = lambda_app.send(patron, action="request_chat", library="lib-a", question="q")["session_id"]
    lambda_app.send(librarian, action="accept", session_id=session_id)
    lambda_app.send(patron, action="send_message", session_id=session_id, text="hi")
    stranger = lambda_app.connect()
    refused = lambda_app.send(stranger, action="send_message", session_id=session_id, text="x")
    assert refused["code"] == "forbidden"

    records = _records(capfd.readouterr().out)
    assert {"ChatsRequested", "ChatsAccepted", "WaitToAccept", "MessagesRelayed", "Errors"} <= _metric_names(
        records
    )
    (error_metric,) = [r for r in records if "Errors" in r]
    assert error_metric["code"] == "forbidden" and error_metric["Errors"] == [1.0]
    (refusal,) = [r for r in records if r.get("message") == "request refused"]
    assert (
        refusal["connection_id"],
        refusal["route"],
        refusal["action"],
        refusal["session_id"],
        refusal["code"],
    ) == (
        stranger,
        "$default",
        "send_message",
        session_id,
        "forbidden",
    )


def test_no_tracer_is_made_or_imported_unless_tracing_is_on(lambda_app):
    from chalicelib import observability

    lambda_app.send(lambda_app.connect(), action="heartbeat")
    assert observability._tracer is None
    root = Path(__file__).resolve().parents[2]
    probe = "import sys, app; print(any(m.startswith('aws_xray_sdk') for m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "False"


def test_invocations_at_once_in_one_process_count_and_flush_without_failing(capsys):
    """The local gateway runs invocations on threads of one process, sharing one Metrics
    (Lambda runs one at a time): a flush must not fail because another thread flushed first
    (powertools checks for metrics, then serialises them), which refused a socket with 500."""
    import threading

    from chalicelib import observability

    failures: list[BaseException] = []

    def invocation() -> None:
        try:
            for _ in range(300):
                observability.count("MessagesRelayed")
                observability._flush()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=invocation) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    values = [r["MessagesRelayed"] for r in _records(capsys.readouterr().out) if "MessagesRelayed" in r]
    counted = sum(sum(v) if isinstance(v, list) else v for v in values)
    assert counted == 8 * 300  # every count flushed once, none lost or flushed twice
