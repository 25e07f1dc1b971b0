"""The local stack keeps its terminal readable: the CloudWatch EMF records Powertools prints go
to a file, everything else still reaches the terminal (devstack/metrics_log.py)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from devstack.metrics_log import EmfToFile, divert


def test_emf_lines_go_to_the_file_and_the_rest_to_the_terminal() -> None:
    terminal, metrics = io.StringIO(), io.StringIO()
    out = EmfToFile(terminal, metrics)
    record = json.dumps({"_aws": {"Timestamp": 1, "CloudWatchMetrics": []}, "ChatsRequested": [1.0]})
    out.write(f"{record}\nRefdesk local stack on http://127.0.0.1:8000\n")
    out.write('{"_aws"')  # a record printed in pieces is still one record
    out.write(":{}}\n")
    out.write("scheduled job failed")
    out.flush()  # a line with no end yet goes out on flush, unless it may be a record
    assert metrics.getvalue() == f'{record}\n{{"_aws":{{}}}}\n'
    assert terminal.getvalue() == "Refdesk local stack on http://127.0.0.1:8000\nscheduled job failed"


def test_divert_replaces_stdout_until_put_back(tmp_path: Path) -> None:
    real = sys.stdout
    try:
        path = divert(tmp_path / "deep" / "metrics.log")
        print('{"_aws":{"Timestamp":2}}')
        print("hello")
        sys.stdout.flush()
    finally:
        diverted, sys.stdout = sys.stdout, real
    assert isinstance(diverted, EmfToFile)
    diverted.metrics.close()
    assert path.read_text() == '{"_aws":{"Timestamp":2}}\n'
