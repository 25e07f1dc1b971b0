"""A small synchronous Refdesk client for tests, the benchmark and poking at the local stack."""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

Frame = dict[str, Any]


class Client:
    """One WebSocket. Every frame received is kept; `wait` consumes the first that matches."""

    def __init__(self, ws_url: str, token: str | None = None, source: str | None = None) -> None:
        """`source`: the local address to connect from, a loopback one such as 127.0.0.7 (all
        of 127.0.0.0/8 is the loopback on Linux), so the stack sees a patron on another network."""
        url = ws_url + (f"?token={token}" if token else "")
        where: dict[str, Any] = {"source_address": (source, 0)} if source else {}
        self.socket = connect(url, open_timeout=10, max_size=2**20, legacy=True, **where)
        self.received: list[Frame] = []
        self._consumed: set[int] = set()
        self._changed = threading.Condition()
        self.closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            for raw in self.socket:
                frame = json.loads(raw)
                with self._changed:
                    self.received.append(frame)
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self.closed = True
                self._changed.notify_all()

    def send_raw(self, text: str) -> None:
        self.socket.send(text)

    def send(self, action: str, **fields: Any) -> str:
        ref = fields.pop("ref", None) or uuid.uuid4().hex[:12]
        self.socket.send(json.dumps({"action": action, "ref": ref, **fields}))
        return ref

    def call(self, action: str, timeout: float = 10, **fields: Any) -> Frame:
        """Send a request and return its reply (the first frame echoing its ref)."""
        ref = self.send(action, **fields)
        return self.wait(lambda f: f.get("ref") == ref and f.get("type") != "message", timeout)

    def wait(self, match: Callable[[Frame], bool], timeout: float = 10) -> Frame:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for index, frame in enumerate(self.received):
                    if index not in self._consumed and match(frame):
                        self._consumed.add(index)
                        return frame
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.closed and remaining < timeout - 0.5):
                    raise TimeoutError(f"no matching frame; received: {self.received[-10:]}")
                self._changed.wait(min(remaining, 0.5))

    def wait_type(self, type_: str, timeout: float = 10, **fields: Any) -> Frame:
        """The next frame of this type whose fields equal those given."""
        return self.wait(
            lambda f: f.get("type") == type_ and all(f.get(k) == v for k, v in fields.items()),
            timeout,
        )

    def of_type(self, type_: str) -> list[Frame]:
        with self._changed:
            return [f for f in self.received if f.get("type") == type_]

    def close(self) -> None:
        self.socket.close()
        self._reader.join(timeout=5)

    def wait_closed(self, timeout: float = 10) -> None:
        """Until the server has closed this socket; TimeoutError if it does not."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self.closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the socket is still open")
                self._changed.wait(min(remaining, 0.5))

    def kill(self) -> None:
        """Drop the connection the way Wi-Fi does: no closing handshake, a TCP reset, and
        whatever was in flight lost."""
        with contextlib.suppress(OSError):
            self.socket.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.socket.close_socket()
        self._reader.join(timeout=5)


def http(method: str, url: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode()


class Stack:
    """A running local stack, by its base URL (and its process id, when started by process.py)."""

    def __init__(self, base: str, pid: int | None = None) -> None:
        self.base = base.rstrip("/")
        self.pid = pid
        self.ws_url = self.base.replace("http", "ws", 1) + "/ws"

    def login(self, email: str, password: str = "demo-password") -> str:
        status, body = http("POST", f"{self.base}/api/login", {"email": email, "password": password})
        assert status == 200, body
        return str(body["token"])

    def connect_status(self, token: str) -> int:
        """The HTTP status a librarian's WebSocket handshake with this token gets (101: open)."""
        try:
            Client(self.ws_url, token).close()
        except InvalidStatus as refused:
            return refused.response.status_code
        return 101

    def patron(self, source: str | None = None) -> Client:
        return Client(self.ws_url, source=source)

    def librarian(self, email: str, password: str = "demo-password") -> Client:
        return Client(self.ws_url, self.login(email, password))

    def outbox(self) -> list[Frame]:
        outbox: list[Frame] = http("GET", f"{self.base}/dev/outbox")[1]
        return outbox

    def mails_to(self, address: str, at_least: int = 1, timeout: float = 10) -> list[Frame]:
        """The e-mails sent to `address`, once there are `at_least` of them (mail goes out
        just after the chat's last events, so a test that saw the end may have to wait)."""
        deadline = time.monotonic() + timeout
        while True:
            mails = [m for m in self.outbox() if m["to"] == address]
            if len(mails) >= at_least or time.monotonic() > deadline:
                return mails
            time.sleep(0.05)

    def run_job(self, job: str, now: str) -> Frame:
        result: Frame = http("POST", f"{self.base}/dev/jobs/{job}?now={now}")[1]
        return result

    def fixtures(self, spec: Frame) -> None:
        status, body = http("POST", f"{self.base}/dev/fixtures", spec)
        assert status == 201, body

    def lose_next_disconnect(self) -> None:
        http("POST", f"{self.base}/dev/lose_next_disconnect")

    def calls(self) -> dict[str, int]:
        counts: dict[str, int] = http("GET", f"{self.base}/dev/calls")[1]
        return counts
