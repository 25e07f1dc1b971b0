"""Every read is a GetItem or a Query: no Scan in the code, and none made by a whole chat."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_code_that_ships_calls_scan():
    sources = [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]
    offenders = [str(p) for p in sources if re.search(r"\.scan\(|\bScan\b", p.read_text())]
    assert offenders == []


def test_a_whole_chat_makes_no_scan_request(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(email="noscan@example.org")
    librarian.call("accept", session_id=requested["session_id"])
    patron.call("send_message", session_id=requested["session_id"], text="hi")
    librarian.call("end_chat", session_id=requested["session_id"])
    scenario.stack.run_job("expire_reconnects", "2030-01-01T00:00:00Z")
    scenario.stack.run_job("purge_personal_data", "2030-01-01T00:00:00Z")  # its data removed, too
    calls = scenario.stack.calls()
    assert calls.get("dynamodb.TransactWriteItems", 0) > 0  # the counter does see this chat
    assert calls.get("dynamodb.Scan", 0) == 0
