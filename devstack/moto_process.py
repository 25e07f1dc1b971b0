"""moto in a process of its own, so that the local stack has a second core (`--moto-process`).

The local stack is one Python process: the gateway's event loop, every handler invocation and
in-process moto take turns on one interpreter lock, so the stack uses one core however many
the machine has. A relayed message costs it about 20 ms of CPU, more than half of it moto
and botocore answering the message's two DynamoDB requests; at about 46 messages a second
that core is full (`bench/paced.py`).

`python -m devstack --moto-process` starts this module as a child process, a moto server
faithful to DynamoDB under concurrent requests as in-process moto is, and points the stack at
it as at any AWS_ENDPOINT_URL:

- requests are applied one at a time (a lock around each), as `devstack/aws.py` applies
  in-process moto's: a moto server's own threads apply concurrent requests with nothing
  between them, which numbered two messages of one chat alike (docs/deploy.md);
- the same moto patches as in-process (`moto_transactions`: a cancelled transaction undone
  item by item, not by copying whole tables; `moto_memory`: moto's objects freed);
- HTTP/1.1, so botocore keeps its connections instead of opening one per request;
- it exits when the stack does: the stack is stopped with SIGTERM, which runs no clean-up,
  so the child watches for its parent to go.

The stack then sees DynamoDB, SES and SSM as a deployed stage does, over HTTP; its counting
and e-mail hooks (`devstack/aws.py`) are botocore's client-side events and work the same.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from . import moto_memory, moto_transactions

HOST = "127.0.0.1"


def start() -> tuple[str, subprocess.Popen[bytes]]:
    """Start the child on a free port; its endpoint URL once it answers."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = int(probe.getsockname()[1])
    command = [
        sys.executable,
        "-m",
        "devstack.moto_process",
        "--port",
        str(port),
        "--parent",
        str(os.getpid()),
    ]
    process = subprocess.Popen(command)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return f"http://{HOST}:{port}", process
        except OSError as error:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("moto's process did not start") from error
            time.sleep(0.1)


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def serve(port: int, parent: int) -> None:
    moto_transactions.install()
    moto_memory.install()
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class KeepAlive(MotoRequestHandler):
        protocol_version = "HTTP/1.1"

    moto = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def one_at_a_time(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            answer = moto(environ, start_response)
            try:
                return [b"".join(answer)]
            finally:
                getattr(answer, "close", lambda: None)()

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    make_server(HOST, port, one_at_a_time, threaded=True, request_handler=KeepAlive).serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True, help="exit when this process has gone")
    args = parser.parse_args()
    serve(args.port, args.parent)


if __name__ == "__main__":
    main()
