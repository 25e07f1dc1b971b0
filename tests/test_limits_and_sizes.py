"""Every reply fits API Gateway's 128 KB, and nothing grows without bound: long queues and long
chats over real sockets against the local gateway, which enforces API Gateway's WebSocket
limits (a frame in over 32 KB or a message over 128 KB closes the socket with 1009; a post
over 128 KB is refused with 413)."""

from __future__ import annotations

import json

import boto3
import pytest

from chalicelib import limits
from devstack.client import Client

LONG = 4000  # the longest message or question a patron may write
API_GATEWAY_MESSAGE = 128 * 1024


def _bytes(frame: dict) -> int:
    """A received frame's size as the server wrote it (compact UTF-8 JSON)."""
    return len(json.dumps(frame, ensure_ascii=False, separators=(",", ":")).encode())


def _fits(frame: dict) -> dict:
    assert frame["type"] != "error", frame
    assert _bytes(frame) <= limits.EVENT_BYTES < API_GATEWAY_MESSAGE
    return frame


def _text(number: int) -> str:
    return f"{number:03d} " + "m" * (LONG - 4)


def _page_back(client: Client, session_id: str, first: dict, **fields) -> list[int]:
    """Every seq from `first` (a reply carrying messages) and the pages before it, fetched with
    `history {before_seq}` while the server says more came before; each reply must fit."""
    seqs = [m["seq"] for m in _fits(first)["messages"]]
    more = first.get("more_before", False)
    while more:
        page = _fits(client.call("history", session_id=session_id, before_seq=min(seqs), **fields))
        assert page["type"] == "history" and page["messages"], page
        assert max(m["seq"] for m in page["messages"]) < min(seqs)
        seqs = [m["seq"] for m in page["messages"]] + seqs
        more = page.get("more_before", False)
    return seqs


# --- the monitor's snapshot ------------------------------------------------------------------------


def test_a_long_queue_fits_the_snapshot_which_shows_the_oldest_and_says_how_many_wait(scenario):
    scenario.monitoring(scenario.librarian)  # someone is there, so the requests are taken
    waiting = []
    for number in range(32):
        patron = scenario.connect(source=scenario.another_network())
        requested = patron.call("request_chat", library=scenario.home, question=_text(number))
        assert requested["type"] == "chat_requested", requested
        waiting.append(requested["session_id"])

    snapshot = _fits(scenario.connect(scenario.librarian).call("monitor"))
    shown = [s["session_id"] for s in snapshot["new"] if s["library"] == scenario.home]
    assert shown == waiting[: limits.SNAPSHOT_NEW_PER_QUEUE]  # the oldest, in their order
    assert snapshot["more"] == {"new": {scenario.home: 32 - len(shown)}}
    assert snapshot["mine"] == []

    everything = _fits(scenario.connect(scenario.admin).call("monitor"))  # the All tab too
    assert [s["session_id"] for s in everything["new"]] == shown
    assert 0 < len(everything["all"]) < 32
    assert [s["session_id"] for s in everything["all"]] == waiting[: len(everything["all"])]
    assert everything["more"] == {"new": {scenario.home: 32 - len(shown)}, "all": 32 - len(everything["all"])}


# --- a long chat -------------------------------------------------------------------------------------


def test_a_long_chat_is_accepted_joined_resumed_and_read_back_in_replies_that_fit(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, requested = scenario.chat("A long conversation")
    session_id, token = requested["session_id"], requested["patron_token"]
    assert librarian.call("accept", session_id=session_id)["type"] == "accepted"
    for number in range(60):
        kind = "note" if number % 10 == 9 else "send_message"  # every tenth is a librarian note
        assert librarian.call(kind, session_id=session_id, text=_text(number))["type"] == "ack"
    last = 2 + 60
    notes = {3 + number for number in range(60) if number % 10 == 9}

    # Back to the queue and accepted again: the accepted reply must fit, or the librarian would
    # own a chat they cannot open.
    assert librarian.call("transfer", session_id=session_id)["type"] == "ack"
    accepted = _fits(librarian.call("accept", session_id=session_id))
    assert accepted["type"] == "accepted" and accepted["more_before"] is True
    newest = [m["seq"] for m in accepted["messages"]]
    assert newest == list(range(newest[0], newest[-1] + 1)) and newest[-1] == accepted["session"]["last_seq"]
    assert _page_back(librarian, session_id, accepted) == list(range(1, newest[-1] + 1))

    joined = _fits(scenario.connect(scenario.admin).call("join", session_id=session_id))
    assert joined["type"] == "joined" and joined["more_before"] is True

    # The patron's window reloads (it holds nothing) and pages back to the first message.
    again = scenario.connect()
    resumed = _fits(again.call("resume", patron_token=token, after_seq=0))
    assert resumed["more_before"] is True and resumed["session"]["status"] == "active"
    now_last = resumed["session"]["last_seq"]  # the join's notice came after the 62
    visible = [seq for seq in range(1, now_last + 1) if seq not in notes]
    assert _page_back(again, session_id, resumed, patron_token=token) == visible

    # A patron who dropped after seq 5 gets the newest that fit, then fills the gap with
    # history {after_seq, before_seq}: every message once, in order.
    third = scenario.connect()
    reply = _fits(third.call("resume", patron_token=token, after_seq=5))
    assert reply["more_before"] is True
    held = [m["seq"] for m in reply["messages"]]
    while reply.get("more_before"):
        reply = _fits(
            third.call(
                "history", session_id=session_id, patron_token=token, after_seq=5, before_seq=min(held)
            )
        )
        assert reply["messages"] and min(m["seq"] for m in reply["messages"]) > 5
        held = [m["seq"] for m in reply["messages"]] + held
    assert held == [seq for seq in visible if seq > 5]

    # Catching up from the start without paging: the newest that fit.
    caught = _fits(librarian.call("history", session_id=session_id))
    assert caught["more_before"] is True and caught["messages"][-1]["seq"] == now_last
    assert last < now_last


def test_a_short_transcript_comes_whole_and_says_nothing_about_more(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    _, requested = scenario.chat("Short")
    snapshot = scenario.connect(scenario.librarian).call("monitor")
    assert len(snapshot["new"]) == 1 and "more" not in snapshot  # a snapshot that fits says nothing more
    accepted = librarian.call("accept", session_id=requested["session_id"])
    assert [m["seq"] for m in accepted["messages"]] == [1, 2] and "more_before" not in accepted
    history = librarian.call("history", session_id=requested["session_id"], before_seq=2)
    assert [m["seq"] for m in history["messages"]] == [1] and "more_before" not in history
    empty = librarian.call("history", session_id=requested["session_id"], before_seq=1)
    assert empty["messages"] == []


# --- idempotent retries with the refs in their own table ------------------------------------------


def test_a_retried_send_is_acknowledged_once_with_its_first_seq_even_after_the_end(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat()
    session_id, token = requested["session_id"], requested["patron_token"]
    librarian.call("accept", session_id=session_id)
    acks = [
        patron.call("send_message", session_id=session_id, text="once", ref="same", patron_token=token)
        for _ in range(3)
    ]
    assert [a["seq"] for a in acks] == [3, 3, 3]
    # The same ref from the librarian is the librarian's own: a new message.
    assert librarian.call("send_message", session_id=session_id, text="mine", ref="same")["seq"] == 4
    assert librarian.call("end_chat", session_id=session_id)["type"] == "ack"
    late = patron.call("send_message", session_id=session_id, text="once", ref="same", patron_token=token)
    assert (late["type"], late["seq"]) == ("ack", 3)
    assert [m["text"] for m in librarian.of_type("message")].count("once") == 1


# --- the gateway holds to API Gateway's limits ----------------------------------------------------


@pytest.fixture
def management_api(stack):
    return boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=stack.base,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _new_socket(scenario) -> tuple[Client, str]:
    """A patron's socket and the connection id the gateway gave it (`GET /dev/sockets`)."""
    from devstack.client import http

    before = set(http("GET", f"{scenario.stack.base}/dev/sockets")[1])
    client = scenario.connect()
    (connection_id,) = set(http("GET", f"{scenario.stack.base}/dev/sockets")[1]) - before
    return client, connection_id


def test_a_post_over_128_kb_is_refused_with_413_and_the_socket_stays_open(scenario, management_api):
    patron, connection_id = _new_socket(scenario)
    too_big = json.dumps({"type": "probe", "pad": "x" * API_GATEWAY_MESSAGE}).encode()
    with pytest.raises(management_api.exceptions.PayloadTooLargeException):
        management_api.post_to_connection(ConnectionId=connection_id, Data=too_big)
    just_fits = json.dumps({"type": "probe", "pad": "y" * (API_GATEWAY_MESSAGE - 40)}).encode()
    assert len(just_fits) <= API_GATEWAY_MESSAGE
    management_api.post_to_connection(ConnectionId=connection_id, Data=just_fits)
    assert patron.wait_type("probe")["pad"].startswith("y")
    assert not [f for f in patron.received if f.get("pad", "").startswith("x")]
    assert patron.call("heartbeat")["type"] == "ack"


def test_a_frame_over_32_kb_closes_the_socket_as_api_gateway_does(scenario):
    patron = scenario.connect()
    patron.send_raw(json.dumps({"action": "heartbeat", "pad": "x" * limits.FRAME_BYTES}))
    patron.wait_closed()
    assert patron.socket.close_code == 1009


def test_a_message_over_32_kb_in_small_frames_is_too_large_and_the_socket_goes_on(scenario):
    patron = scenario.connect()
    message = json.dumps({"action": "heartbeat", "ref": "big", "pad": "x" * 40_000})
    patron.socket.send([message[i : i + 16_000] for i in range(0, len(message), 16_000)])  # three frames
    assert patron.wait_type("error")["code"] == "too_large"  # refused before it is parsed: no ref
    assert patron.call("heartbeat")["type"] == "ack"


def test_a_message_over_128_kb_closes_the_socket_even_in_small_frames(scenario):
    patron = scenario.connect()
    message = json.dumps({"action": "heartbeat", "pad": "x" * API_GATEWAY_MESSAGE})
    patron.socket.send([message[i : i + 16_000] for i in range(0, len(message), 16_000)])
    patron.wait_closed()
    assert patron.socket.close_code == 1009
