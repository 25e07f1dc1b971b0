"""Every error code: the right error, nothing changed, and the socket still usable."""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import InvalidStatus

from devstack.client import Client


@pytest.fixture
def live_chat(scenario):
    """A chat accepted by a librarian: (scenario, librarian, patron, session_id)."""
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(email="errors@example.org")
    librarian.call("accept", session_id=requested["session_id"])
    return scenario, librarian, patron, requested["session_id"]


def _still_usable_and_unchanged(librarian: Client, patron: Client, session_id: str, next_seq: int) -> None:
    assert patron.call("heartbeat")["type"] == "ack"
    ack = librarian.call("send_message", session_id=session_id, text="probe")
    assert ack["seq"] == next_seq, "a refused request must not have written a message"


def _refused(client: Client, code: str, **frame) -> dict:
    reply = client.call(**frame)
    assert reply["type"] == "error", reply
    assert reply["code"] == code, reply
    assert reply["message"]
    return reply


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_request"),
        ("[1, 2]", "bad_request"),
        (json.dumps({"ref": "x"}), "bad_request"),
        (json.dumps({"action": "fly", "ref": "x"}), "unknown_action"),
        ("x" * 40_000, "too_large"),
    ],
)
def test_malformed_frames(live_chat, raw, code):
    _, librarian, patron, session_id = live_chat
    if len(raw) > 16_000:  # in frames of 16 KB: one frame over 32 KB would close the socket (1009)
        patron.socket.send([raw[i : i + 16_000] for i in range(0, len(raw), 16_000)])
    else:
        patron.send_raw(raw)
    error = patron.wait_type("error")
    assert error["code"] == code and error["message"]
    _still_usable_and_unchanged(librarian, patron, session_id, 3)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({}, "bad_request"),  # no text
        ({"text": ""}, "bad_request"),
        ({"text": 42}, "bad_request"),
        ({"text": "x" * 4001}, "too_large"),
    ],
)
def test_bad_message_fields(live_chat, fields, code):
    _, librarian, patron, session_id = live_chat
    _refused(patron, code, action="send_message", session_id=session_id, **fields)
    _still_usable_and_unchanged(librarian, patron, session_id, 3)


def test_exactly_4000_characters_is_accepted(live_chat):
    _, _, patron, session_id = live_chat
    assert patron.call("send_message", session_id=session_id, text="x" * 4000)["seq"] == 3


def test_patron_cannot_do_librarian_actions(live_chat):
    _, librarian, patron, session_id = live_chat
    _refused(patron, "unauthorized", action="accept", session_id=session_id)
    _refused(patron, "unauthorized", action="monitor")
    _refused(patron, "forbidden", action="note", session_id=session_id, text="sneaky")
    _still_usable_and_unchanged(librarian, patron, session_id, 3)


def test_a_bad_token_is_refused_at_connect(scenario):
    with pytest.raises(InvalidStatus) as refused:
        Client(scenario.stack.ws_url, token="forged.token")
    assert refused.value.response.status_code == 401


def test_not_found(live_chat):
    scenario, librarian, patron, session_id = live_chat
    _refused(librarian, "not_found", action="accept", session_id="no-such-session")
    _refused(scenario.connect(), "not_found", action="request_chat", library="nowhere", question="?")
    _still_usable_and_unchanged(librarian, patron, session_id, 3)


def test_already_accepted_and_session_ended(live_chat):
    scenario, librarian, patron, session_id = live_chat
    _refused(scenario.connect(scenario.admin), "already_accepted", action="accept", session_id=session_id)
    librarian.call("end_chat", session_id=session_id)
    _refused(patron, "session_ended", action="send_message", session_id=session_id, text="hello?")
    _refused(librarian, "session_ended", action="end_chat", session_id=session_id)
    _refused(scenario.connect(scenario.admin), "session_ended", action="accept", session_id=session_id)


def test_push_url_takes_only_http_and_https(live_chat):
    _, librarian, patron, session_id = live_chat
    _refused(
        librarian,
        "bad_request",
        action="push_url",
        session_id=session_id,
        url="javascript:alert(1)",
    )
    _refused(librarian, "bad_request", action="push_url", session_id=session_id, url="file:///etc/passwd")
    _still_usable_and_unchanged(librarian, patron, session_id, 3)


def test_rate_limited_after_five_requests_a_minute(scenario):
    scenario.monitoring(scenario.librarian)
    patron = scenario.connect()
    for n in range(5):
        assert (
            patron.call("request_chat", library=scenario.home, question=f"q{n}")["type"] == "chat_requested"
        )
    _refused(patron, "rate_limited", action="request_chat", library=scenario.home, question="one more")
    assert patron.call("heartbeat")["type"] == "ack"
