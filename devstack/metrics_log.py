"""The local stack's metrics off the terminal.

Powertools Metrics prints each invocation's CloudWatch EMF record to stdout as one JSON line;
in Lambda, CloudWatch Logs turns those lines into metrics. Locally they would bury the
terminal, so `python -m devstack` sends them to a file instead and lets everything else
printed through. Deployed functions are untouched: this is only ever installed here.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TextIO

EMF_START = '{"_aws"'


class EmfToFile(io.TextIOBase):
    """A stdout that writes EMF records (lines starting `{"_aws"`) to `metrics` and every
    other line to `terminal`."""

    def __init__(self, terminal: TextIO, metrics: TextIO) -> None:
        self.terminal = terminal
        self.metrics = metrics
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += text
        while "\n" in self.pending:
            line, self.pending = self.pending.split("\n", 1)
            target = self.metrics if line.startswith(EMF_START) else self.terminal
            target.write(line + "\n")
        return len(text)

    def flush(self) -> None:
        # A line still being written goes out now unless it may become an EMF record.
        if self.pending and not (self.pending.startswith(EMF_START) or EMF_START.startswith(self.pending)):
            self.terminal.write(self.pending)
            self.pending = ""
        self.terminal.flush()
        self.metrics.flush()

    def fileno(self) -> int:
        return self.terminal.fileno()

    def isatty(self) -> bool:
        return self.terminal.isatty()


def divert(path: Path) -> Path:
    """From now on EMF lines printed to stdout are appended to `path` (its folder is made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metrics = path.open("a", encoding="utf-8", buffering=1)
    sys.stdout = EmfToFile(sys.stdout, metrics)
    return path
