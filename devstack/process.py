"""Start `python -m devstack` as a child process (tests and the benchmark use it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .client import Stack

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_stack(
    log_path: Path, env: dict[str, str] | None = None, demo: bool = True, args: list[str] | None = None
) -> Iterator[Stack]:
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        metrics = log_path.with_name(f"{log_path.stem}-metrics.log")  # each stack its own
        command = [sys.executable, "-m", "devstack", "--port", str(port), "--metrics-log", str(metrics)]
        command += args or []
        process = subprocess.Popen(
            command if demo else [*command, "--no-demo"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(process, base, log_path)
            yield Stack(base, pid=process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_up(process: subprocess.Popen[bytes], base: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/dev/outbox", timeout=1)
            return
        except OSError as error:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local stack did not start; see {log_path}") from error
            time.sleep(0.2)
