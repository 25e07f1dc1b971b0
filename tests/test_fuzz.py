"""Hostile input never reaches `internal_error` or a 500.

A seeded fuzzer sends about 1,000 WebSocket frames from patron and librarian sockets (every
action name with its fields mutated, wrong types, deep and huge JSON, odd Unicode, binary)
and a few hundred REST requests (bodies, queries, path parameters and sign-ins, mutated).
Every reply must be `ack`, a documented reply or an `error` with a contract code, and every
REST status one of the contract's. Meanwhile a victim chat's transcript must not change, and
afterwards a fresh chat must still work end to end.
"""

from __future__ import annotations

import base64
import json
import os
import random
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed

from chalicelib.wire.actions import INBOUND
from chalicelib.wire.events import event_types
from devstack.client import Client, http

# Another seed explores other inputs: REFDESK_FUZZ_SEED=7 pytest tests/test_fuzz.py
SEED = int(os.environ.get("REFDESK_FUZZ_SEED", "20261124"))
FRAME_BYTES = 32 * 1024
CONTRACT_CODES = {
    "bad_request",
    "unknown_action",
    "unauthorized",
    "forbidden",
    "not_found",
    "already_accepted",
    "session_ended",
    "too_large",
    "rate_limited",
}
CONTRACT_STATUSES = {200, 201, 204, 400, 401, 403, 404, 409, 410, 413, 429}
REPLIES = {
    "ack",
    "error",
    "chat_requested",
    "chat_unavailable",
    "question_submitted",
    "resumed",
    "queue_snapshot",
    "accepted",
    "history",
    "joined",
    "logged_out",
}
# Every other event the server sends is pushed, never a reply (chalicelib/wire/events.py).
PUSHED = set(event_types()) - REPLIES
ACTIONS = sorted(INBOUND)
ODD_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u200b",
    "\u2066x\u2069",
    "\ud800",
    "\udfff lone",
    "😀" * 10,
    "é" * 50,
    "\r\n\t",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "https://library.example@evil.example/",
    "https://\u202eexample.org/",
    "http://",
    "https://example.org/a b",
    "a@b.co,evil",
    "a@b.c\x00",
    "x@" + "y" * 300 + ".org",
    "Refdesk",
    "Bob Binder (Librarian)",
    "../../etc/passwd",
    "%00",
    "null",
    ".",
    ".abc",
    "x.",
    "é.é",
    "e30=",
    "eyJhIjoxfQ",
    "a" * 129,
    "a" * 4001,
    "b" * 30_000,
]
ODD_NUMBERS: list[Any] = [0, -1, 1, 2**31, 2**63, 10**40, -(10**40), 1.5, 1e308, -0.0, True, False]


class Fuzzer:
    """`victim`: a chat the fuzzer must not change (its id, never its patron token).
    `playground`: a chat the fuzzer may do anything to (its patron token, and its librarian
    is one of the fuzzing sockets), so mutated frames get past authorisation into handlers."""

    def __init__(
        self, rng: random.Random, scenario: Any, victim: dict[str, str], playground: dict[str, str]
    ) -> None:
        self.rng = rng
        self.scenario = scenario
        self.victim = victim
        self.playground = playground
        self.ids = [
            victim["session_id"],
            victim["session_id"] + "x",
            playground["session_id"],
            playground["patron_token"],
            "no-such-session",
            scenario.home,
            scenario.partner,
            scenario.outsider,
            "demo-public",
        ]

    def string(self) -> Any:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            return rng.choice(ODD_STRINGS)
        if roll < 0.6:
            return rng.choice(self.ids)
        if roll < 0.7:
            return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(1, 40)))
        if roll < 0.8:
            return self.victim["session_id"] + "." + rng.choice([*ODD_STRINGS[:12], "AAAA", "é"])
        return self.hex()[: rng.randrange(1, 12)]

    def hex(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    def value(self, depth: int = 0) -> Any:
        rng = self.rng
        roll = rng.random()
        if roll < 0.5 or depth > 2:
            return self.string()
        if roll < 0.65:
            return rng.choice(ODD_NUMBERS)
        if roll < 0.72:
            return None
        if roll < 0.85:
            return [self.value(depth + 1) for _ in range(rng.randrange(0, 5))]
        if roll < 0.92:
            return {self.string() if rng.random() < 0.5 else "k": self.value(depth + 1) for _ in range(3)}
        return json.loads("[" * 200 + "]" * 200)

    def template(self, action: str) -> dict[str, Any]:
        """A plausible frame for `action`, before mutation."""
        s = self.scenario
        chat = self.rng.choice([self.victim, self.playground])
        victim = chat["session_id"]  # either chat: the fuzzer may only change the playground
        token = chat.get("patron_token", victim + ".forged")
        fields: dict[str, Any] = {
            "request_chat": {
                "library": s.home,
                "question": "Fuzzed question?",
                "name": "Fuzz",
                "email": "fuzz@example.org",
                "page_url": "https://example.org/page",
            },
            "submit_question": {"library": s.home, "question": "Fuzzed?", "email": "fuzz@example.org"},
            "resume": {"patron_token": token, "after_seq": 0},
            "monitor": {"queues": [s.home, s.partner]},
            "accept": {"session_id": victim},
            "push_url": {"session_id": victim, "url": "https://example.org/"},
            "note": {"session_id": victim, "text": "fuzz"},
            "send_message": {"session_id": victim, "text": "fuzz", "patron_token": token},
            "typing": {"session_id": victim, "typing": True, "patron_token": token},
            "end_chat": {"session_id": victim, "patron_token": token},
            "close_chat": {"session_id": victim},
            "history": {"session_id": victim, "after_seq": 0, "patron_token": token},
            "set_codes": {"session_id": victim, "resolution": "answered", "descriptive": ["x"]},
            "internal_note": {"session_id": victim, "text": "fuzz"},
            "create_ticket": {"session_id": victim, "note": "fuzz"},
            "transfer": {"session_id": victim, "librarian": s.partner_librarian, "note": "fuzz"},
            "decline": {"session_id": victim},
            "join": {"session_id": victim},
            "leave": {"session_id": victim},
            "im": {"librarian": s.librarian, "text": "fuzz"},
        }.get(action, {})
        return {"action": action, "ref": self.hex(), **fields}

    def frame(self, actions: list[str]) -> str | bytes:
        """One frame of at most 32 KB (over that the gateway closes the socket with 1009, as
        API Gateway does, before any code runs)."""
        while True:
            frame = self._frame(actions)
            if len(frame) <= FRAME_BYTES:  # JSON text here is ASCII: characters are bytes
                return frame

    def _frame(self, actions: list[str]) -> str | bytes:
        """Mostly a real action with mutated fields, sometimes garbage."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.65:
            frame = self.template(rng.choice(actions))
            keys = [k for k in frame if k != "action"]
            keys += ["session_id", "patron_token", "text", "after_seq", "before_seq", "librarian", "library"]
            for _ in range(rng.randrange(1, 4)):
                key = rng.choice(keys)
                if rng.random() < 0.2:
                    frame.pop(key, None)
                else:
                    frame[key] = self.value()
            return json.dumps(frame)
        if roll < 0.75:
            return json.dumps({"action": self.value(), "ref": self.value(), self.string(): self.value()})
        if roll < 0.8:
            depth = rng.choice([100, 500, 999, 1000, 1001, 5000, 16_000])
            inner = "[" * depth + "]" * depth
            return rng.choice([inner, '{"action":"send_message","text":' + inner + "}"])
        if roll < 0.85:
            return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        if roll < 0.9:
            # The gateway closes a socket sent a frame over 32 KB (1009), as API Gateway does:
            # up to that, over the field limits.
            size = rng.choice([4_001, 20_000, 32_000])
            return json.dumps({"action": rng.choice(actions), "text": "x" * size, "session_id": "x"})
        return rng.choice(
            [
                "",
                "null",
                "[]",
                "1",
                '"x"',
                "{",
                "{}",
                '{"action":null}',
                '{"action":"heartbeat","ref":' + "9" * 400 + "}",
                '{"action":"resume","patron_token":"x","after_seq":1e999}',
                '{"action":"history","session_id":"x","after_seq":NaN}',
                '{"action":"heartbeat","ref":"\\ud800"}',
                "\ufeff{}",
            ]
        )


def _reply_to(client: Client, timeout: float = 10) -> dict[str, Any]:
    """The next reply on this socket; pushed events meanwhile must be known ones."""
    frame = client.wait(lambda f: f.get("type") not in PUSHED, timeout)
    return frame


class Side:
    """One fuzzing socket, opened again if the server ever drops it (a failure, recorded)."""

    def __init__(self, open_: Callable[[], Client], actions: list[str], client: Client | None = None) -> None:
        self.open, self.actions = open_, actions
        self.client = client or open_()

    def fuzz(self, fuzzer: Fuzzer, count: int, failures: list) -> int:
        """Send `count` frames one at a time, each answered before the next."""
        for _ in range(count):
            frame = fuzzer.frame(self.actions)
            shown = frame if isinstance(frame, bytes) else frame[:300]
            try:
                self.client.socket.send(frame)
                reply = _reply_to(self.client)
            except (TimeoutError, ConnectionClosed):
                failures.append(("no reply", shown))
                self.client = self.open()
                continue
            if reply.get("type") not in REPLIES or (
                reply["type"] == "error" and reply.get("code") not in CONTRACT_CODES
            ):
                failures.append((reply, shown))
        unknown = {f.get("type") for f in self.client.received} - REPLIES - PUSHED
        if unknown:
            failures.append(("unknown event types", unknown))
        return count


def _request(method: str, url: str, raw: bytes | None, token: str | None) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=raw, method=method)
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _fuzz_rest(
    fuzzer: Fuzzer, base: str, token: str, library: str, question_id: str, count: int, failures: list
) -> None:
    """`token` signs in an admin of `library` (a library of the fuzzer's own)."""
    rng = fuzzer.rng
    body, signature = token.split(".")
    forged = [
        None,
        "",
        "Bearer",
        "Bearer ",
        f"Basic {token}",
        "Bearer .",
        f"Bearer .{signature}",
        f"Bearer {body}.",
        f"Bearer {body}.{signature[:-2]}é",
        f"Bearer {body}x.{signature}",
        "Bearer é.é",
        f"Bearer {base64.urlsafe_b64encode(b'{}').decode()}.{signature}",
        f"Bearer {body}.{signature}.{signature}",
        "Bearer " + "a" * 5000,
    ]
    ids = [
        library,
        library,
        f"helper@{library}.example",
        f"admin@{library}.example",
        fuzzer.scenario.outsider,
        fuzzer.scenario.home,
        question_id,
        "x",
        "%00",
        "%C3%A9",
        "a" * 300,
        "%2e%2e",
    ]
    routes = [
        ("POST", "/login"),
        ("GET", "/me"),
        ("POST", "/password"),
        ("GET", "/libraries/{id}/staff"),
        ("POST", "/libraries/{id}/staff"),
        ("PATCH", "/staff/{id}"),
        ("GET", "/libraries/{id}/availability"),
        ("GET", "/libraries/{id}/policy"),
        ("PUT", "/libraries/{id}/policy"),
        ("GET", "/libraries/{id}"),
        ("PUT", "/libraries/{id}"),
        ("GET", "/libraries/{id}/codes"),
        ("PUT", "/libraries/{id}/codes"),
        ("GET", "/libraries/{id}/canned"),
        ("PUT", "/libraries/{id}/canned"),
        ("GET", "/questions"),
        ("GET", "/questions/{id}"),
        ("POST", "/questions/{id}/answer"),
        ("POST", "/questions/{id}/notes"),
        ("POST", "/questions/{id}/librarian-message"),
        ("POST", "/questions/{id}/close"),
        ("POST", "/ws-ticket"),
    ]
    bodies = {
        "/login": {"email": "x@example.org", "password": "demo-password"},
        "/password": {"email": "x@example.org", "invitation": "abc", "password": "long enough password"},
        "/libraries/{id}/staff": {"email": "new@example.org", "name": "New", "admin": False},
        "/staff/{id}": {"name": "Renamed"},
        "/libraries/{id}/policy": {"sections": [{"title": "T", "text": "x"}]},
        "/libraries/{id}": {"name": "Fuzz Library"},
        "/libraries/{id}/codes": {
            "resolution": [{"code": "a", "label": "A", "status": "open"}],
            "descriptive": [],
        },
        "/libraries/{id}/canned": {"messages": [{"title": "T", "text": "x"}]},
    }
    for _ in range(count):
        method, path = rng.choice(routes)
        auth = f"Bearer {token}" if rng.random() < 0.6 else rng.choice(forged)
        url_path = path.replace("{id}", rng.choice(ids))
        query = ""
        if path == "/questions":
            params = {
                "limit": rng.choice(["1", "0", "-1", "abc", "1e9", "99999999999999999999", "2"]),
                "status": rng.choice(["", "live", "open", "nope", "\x00"]),
                "served_for_partners": rng.choice(["true", "false", "maybe", ""]),
                "cursor": rng.choice(
                    [
                        "",
                        "e30=",
                        "eyJhIjoxfQ==",
                        "%%%",
                        "ÿÿ",
                        base64.urlsafe_b64encode(json.dumps({"question_id": {"S": "x"}}).encode()).decode(),
                        base64.urlsafe_b64encode(
                            json.dumps(
                                {"question_id": {"S": ""}, "library": {"S": "x"}, "created_at": {"N": "1"}}
                            ).encode()
                        ).decode(),
                        base64.urlsafe_b64encode(json.dumps({"a": {"B": "!!"}}).encode()).decode(),
                        base64.urlsafe_b64encode(("[" * 2000 + "]" * 2000).encode()).decode(),
                    ]
                ),
            }
            query = "?" + urllib.parse.urlencode({k: v for k, v in params.items() if rng.random() < 0.7})
        raw: bytes | None = None
        if method in ("POST", "PUT", "PATCH"):
            template = dict(bodies.get(path, {"text": "fuzz"}))
            roll = rng.random()
            if roll < 0.6:
                for _ in range(rng.randrange(1, 3)):
                    template[rng.choice([*template, "text", "email"])] = fuzzer.value()
                raw = json.dumps(template).encode()
            elif roll < 0.7:
                depth = rng.choice([999, 1000, 5000])
                raw = ("[" * depth + "]" * depth).encode()
            elif roll < 0.8:
                raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 100)))
            elif roll < 0.9:
                raw = rng.choice([b"", b"null", b"[]", b"{", b'{"email": NaN}', b'"\\ud800"', b"{}"])
            else:
                raw = json.dumps(template).encode()
        status, payload = _request(method, f"{base}/api{url_path}{query}", raw, auth)
        reply: Any = None
        try:
            reply = json.loads(payload or b"null")
        except ValueError:
            reply = payload[:200]
        code = reply.get("code") if isinstance(reply, dict) else None
        if status not in CONTRACT_STATUSES or (status >= 400 and code not in CONTRACT_CODES):
            failures.append((method, url_path + query, auth and auth[:40], raw and raw[:200], status, reply))


def _transcript(client: Client, session_id: str, **fields: Any) -> dict[str, Any]:
    """The chat as `history` shows it to this side: its state and every message."""
    reply = client.call("history", session_id=session_id, after_seq=0, **fields)
    assert reply["type"] == "history" and not reply.get("more_before"), reply
    return {"session": reply["session"], "messages": reply["messages"]}


def test_fuzzed_frames_and_requests_get_contract_errors_and_change_nothing(scenario):
    rng = random.Random(SEED)
    stack = scenario.stack
    fuzz_library = f"fuzz-{uuid.uuid4().hex[:8]}"
    fuzz_admin = f"admin@{fuzz_library}.example"
    stack.fixtures(
        {
            "libraries": [{"id": fuzz_library, "name": "Fuzz Library"}],
            "staff": [
                {"email": fuzz_admin, "name": "Fuzz Admin", "library": fuzz_library, "admin": True},
                {"email": f"helper@{fuzz_library}.example", "name": "Helper", "library": fuzz_library},
            ],
        }
    )

    # The victim: a chat in progress, with messages from both sides, a note and a link.
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat("A victim's question", name="Vic", email=scenario.email("vic"))
    session_id, token = requested["session_id"], requested["patron_token"]
    librarian.call("accept", session_id=session_id)
    patron.call("send_message", session_id=session_id, text="Hello from the victim")
    librarian.call("send_message", session_id=session_id, text="Hello from the librarian")
    librarian.call("note", session_id=session_id, text="A note")
    librarian.call("push_url", session_id=session_id, url="https://example.org/books")
    before_staff = _transcript(librarian, session_id)
    before_patron = _transcript(patron, session_id, patron_token=token)
    assert len(before_staff["messages"]) == 6

    # The playground: a chat at the outsider library, its librarian and patron fuzzing sockets.
    outsider = scenario.monitoring(scenario.outsider_librarian)
    player = scenario.connect()
    opened = player.call("request_chat", library=scenario.outsider, question="Play?", name="Player")
    assert outsider.call("accept", session_id=opened["session_id"])["type"] == "accepted"
    patrons = iter([player])

    fuzzer = Fuzzer(rng, scenario, {"session_id": session_id}, opened)
    failures: list[Any] = []
    started = time.monotonic()
    librarian_actions = [a for a in ACTIONS if a != "logout"]  # logging out would close the socket
    sides = [
        Side(lambda: scenario.monitoring(scenario.partner_librarian), librarian_actions),
        Side(lambda: scenario.monitoring(scenario.outsider_librarian), librarian_actions, outsider),
    ]
    frames = 0
    for round_ in range(4):
        # a fresh patron each round (the rate limits are per socket), the playground's first
        sides.append(Side(lambda: next(patrons, None) or scenario.connect(), ACTIONS))
        for side in sides:
            frames += side.fuzz(fuzzer, 60 if round_ < 3 else 70, failures)
    _fuzz_rest(fuzzer, stack.base, stack.login(fuzz_admin), fuzz_library, session_id, 300, failures)
    elapsed = time.monotonic() - started
    assert not failures, json.dumps(failures[:20], indent=1, default=repr, ensure_ascii=True)
    assert frames >= 1000
    assert elapsed < 60

    # The victim's chat is as it was, for both sides: its state and its transcript.
    assert _transcript(librarian, session_id) == before_staff
    assert _transcript(patron, session_id, patron_token=token) == before_patron

    # And a fresh chat works end to end (from another network: the fuzzer's own requests
    # may have used up what one network may have waiting).
    fresh = scenario.connect(source=scenario.another_network())
    opened = fresh.call("request_chat", library=scenario.home, question="After the storm?", name="Pat")
    assert opened["type"] == "chat_requested", opened
    accepted = librarian.call("accept", session_id=opened["session_id"])
    assert accepted["type"] == "accepted", accepted
    assert fresh.call("send_message", session_id=opened["session_id"], text="Still there?")["type"] == "ack"
    assert librarian.call("send_message", session_id=opened["session_id"], text="Yes.")["type"] == "ack"
    fresh.wait(lambda f: f.get("type") == "message" and f.get("text") == "Yes.")
    assert fresh.call("end_chat", session_id=opened["session_id"])["type"] == "ack"
    librarian.wait_type("session_update", session_id=opened["session_id"], status="ended")
    assert http("GET", f"{stack.base}/api/libraries/{scenario.home}/availability")[0] == 200
