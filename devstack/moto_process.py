"""moto in a process of its own, so that the local stack has a second core (as `make run` starts it).

Were moto in the stack's process (`python -m devstack --moto-in-process`), the gateway's event
loop, every handler invocation and moto would take turns on one interpreter lock, and the
stack would use one core however many the machine has: a relayed message costs about 18 ms of
CPU, half of it moto answering the message's two DynamoDB requests, so at 50 messages a second
(100 chats, each one message per 2 s) that core is full and the latency climbs to seconds
(`bench/paced.py`, `docs/performance.md`).

`python -m devstack` starts this module as a child process and points the stack at it as at
any AWS_ENDPOINT_URL. The child is in-process moto behind a small HTTP server, not a moto
server:

- each request is handed to moto as in-process moto gets it (`BotocoreStubber.process_request`,
  the request's address rebuilt from the service and region it is signed for), so the stack
  meets exactly the moto the unit tests meet, with the same patches (`devstack.aws.start_moto`:
  a cancelled transaction undone item by item, moto's objects freed), and none of a moto
  server's Flask routing, which cost a fifth of its CPU;
- requests are applied one at a time (the lock `devstack/aws.py` puts around moto), as
  DynamoDB applies each atomically: a moto server's own threads apply concurrent requests
  with nothing between them, which numbered two messages of one chat alike (docs/deploy.md);
- HTTP/1.1 without Nagle's algorithm, so botocore keeps its connections and a reply is not
  held back waiting for an acknowledgement;
- it exits when the stack does: the stack is stopped with SIGTERM, which runs no clean-up,
  so the child watches for its parent to go.

The stack's counting and e-mail hooks (`devstack/aws.py`) are botocore's client-side events
and work the same over HTTP.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from botocore.awsrequest import AWSPreparedRequest
from botocore.compat import HTTPHeaders

from . import aws

HOST = "127.0.0.1"
HOSTS = {"ses": "email"}  # a service whose AWS host is not named as it signs


def start() -> tuple[str, subprocess.Popen[bytes]]:
    """Start the child on a free port; its endpoint URL once it answers."""
    from .process import free_port  # here: the child itself needs none of process.py's imports

    port = free_port()
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
    aws.start_moto()
    from moto.core.models import botocore_stubber

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: botocore keeps its connections
        disable_nagle_algorithm = True  # or the body, written after the headers, waits ~40 ms

        def answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            url = aws_url(self.headers.get("Authorization", ""), self.path)
            headers = HTTPHeaders()
            for name, value in self.headers.items():
                headers[name] = value
            request = AWSPreparedRequest(self.command, url, headers, body, stream_output=False)
            answered = botocore_stubber.process_request(request) if url else None
            status, answer_headers, answer = answered or (400, {}, '{"message": "Not a request moto serves"}')
            data = answer.encode() if isinstance(answer, str) else bytes(answer)
            self.send_response(status)
            for name, value in answer_headers.items():
                if name.lower() not in (
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "server",
                    "date",
                ):
                    self.send_header(name, str(value))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = answer

        def log_message(self, *_: Any) -> None:  # no line per request
            pass

    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    Server((HOST, port), Handler).serve_forever()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that closes its kept-alive connection is the stack stopping or botocore
        dropping a connection, not an error; anything else is printed as http.server does."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def aws_url(authorization: str, path: str) -> str | None:
    """The AWS address a request signed for this service and region would have gone to, which
    moto's in-process patterns know it by (as a moto server reads the signature's scope)."""
    scope = (
        authorization.split("Credential=", 1)[1].split(",", 1)[0] if "Credential=" in authorization else ""
    )
    parts = scope.split("/")
    if len(parts) != 5:
        return None
    _key, _date, region, service, _ = parts
    return f"https://{HOSTS.get(service, service)}.{region}.amazonaws.com{path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True, help="exit when this process has gone")
    args = parser.parse_args()
    serve(args.port, args.parent)


if __name__ == "__main__":
    main()
