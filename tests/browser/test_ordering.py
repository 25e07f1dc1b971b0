"""Order and gaps in the pages, now that the service handles one socket's frames concurrently
and a post can be lost (API Gateway's posts are best-effort): a message that never arrives is
noticed by the gap it leaves in `seq` and fetched with `history`, in the patron's window and in
the monitor; a person's own messages, typed quickly, are numbered in the order typed; and a
librarian's note (a gap the patron is never meant to fill) costs the patron one `history`, not
a loop."""

from __future__ import annotations

import json
import uuid
from itertools import pairwise
from typing import Any, NamedTuple

from playwright.sync_api import expect

from devstack.client import http
from tests.browser.monitor_pages import accept, sign_in
from tests.browser.test_widget import accept_next, start_chat


def _agent() -> str:
    """A User-Agent no other socket has, for /dev/lose_next_message to pick this page's socket."""
    return f"Refdesk-ordering-{uuid.uuid4().hex[:12]}"


def _watch_frames(page: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every frame the page's sockets send ("sent") and receive ("received"), in order."""
    frames: list[tuple[str, dict[str, Any]]] = []

    def on_socket(ws: Any) -> None:
        ws.on("framesent", lambda payload: frames.append(("sent", json.loads(payload))))
        ws.on("framereceived", lambda payload: frames.append(("received", json.loads(payload))))

    page.on("websocket", on_socket)
    return frames


def _sent(frames: list[tuple[str, dict[str, Any]]], action: str) -> list[dict[str, Any]]:
    return [frame for way, frame in frames if way == "sent" and frame.get("action") == action]


def _lose_next_message(scenario, agent: str) -> None:
    status, body = http("POST", f"{scenario.stack.base}/dev/lose_next_message?user_agent={agent}")
    assert status == 200 and body["sockets"] == 1, body


def _seqs(log) -> list[int]:
    return [int(seq) for seq in log.locator("[data-seq]").evaluate_all("ns => ns.map(n => n.dataset.seq)")]


def _texts(log) -> list[str]:
    return log.locator("[data-seq]").evaluate_all("ns => ns.map(n => n.textContent)")


class PatronChat(NamedTuple):
    page: Any  # the chat page, with a User-Agent of its own
    librarian: Any  # a WebSocket client (devstack.client.Client) serving the chat
    session_id: str
    agent: str
    frames: list[tuple[str, dict[str, Any]]]  # the page's socket frames (_watch_frames)

    def say(self, action: str, text: str) -> None:
        """The librarian sends a message (or a note) and has it acked."""
        reply = self.librarian.call(action, session_id=self.session_id, text=text)
        assert reply["type"] == "ack", reply


def _patron_in_a_chat(scenario, new_page, question: str) -> PatronChat:
    """A patron in the chat page whose chat a librarian (a WebSocket client) has accepted."""
    librarian = scenario.monitoring(scenario.librarian)
    agent = _agent()
    page = new_page(user_agent=agent)
    frames = _watch_frames(page)
    page.goto(f"{scenario.stack.base}/chat/{scenario.home}")
    start_chat(page, question, name="Sam")
    session_id = accept_next(librarian)
    expect(page.get_by_role("status")).to_have_text("You are chatting with Librarian.")
    expect(page.get_by_role("log", name="Conversation")).to_contain_text(question)
    return PatronChat(page, librarian, session_id, agent, frames)


def test_a_librarians_message_lost_on_its_way_to_the_patron_is_fetched_and_shown_in_order(scenario, new_page):
    chat = _patron_in_a_chat(scenario, new_page, "Any maps of 1850?")
    log = chat.page.get_by_role("log", name="Conversation")
    _lose_next_message(scenario, chat.agent)
    chat.say("send_message", "First: yes, a few.")
    chat.say("send_message", "Second: in the map room.")

    expect(log).to_contain_text("Second: in the map room.")
    expect(log).to_contain_text("First: yes, a few.", timeout=5_000)  # the gap, filled by history
    seqs, texts = _seqs(log), _texts(log)
    assert seqs == sorted(set(seqs))
    first = next(i for i, text in enumerate(texts) if "First: yes" in text)
    assert "Second: in the map room" in texts[first + 1] and seqs[first + 1] == seqs[first] + 1
    (history,) = _sent(chat.frames, "history")
    assert history["session_id"] == chat.session_id and history["patron_token"]
    assert history["after_seq"] == seqs[first] - 1  # the highest seq held in order
    assert chat.page.console_errors == []


def test_a_patrons_message_lost_on_its_way_to_the_monitor_is_fetched_and_shown_in_order(scenario, new_page):
    agent = _agent()
    page = new_page(user_agent=agent)
    frames = _watch_frames(page)
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, scenario.librarian)
    patron, requested = scenario.chat("Do you have the 1901 census?", name="Lee")
    pane = accept(page, "Lee")
    transcript = pane.get_by_role("log", name="Transcript")
    expect(transcript).to_contain_text("Do you have the 1901 census?")
    held = len(_seqs(transcript))

    _lose_next_message(scenario, agent)
    for text in ("First: for Yorkshire.", "Second: the East Riding."):
        reply = patron.call(
            "send_message",
            session_id=requested["session_id"],
            text=text,
            patron_token=requested["patron_token"],
        )
        assert reply["type"] == "ack", reply

    expect(transcript).to_contain_text("Second: the East Riding.")
    expect(transcript).to_contain_text("First: for Yorkshire.", timeout=5_000)
    seqs, texts = _seqs(transcript), _texts(transcript)
    assert seqs == list(range(1, held + 3))  # a librarian sees every seq, once, in order
    assert "First: for Yorkshire." in texts[-2] and "Second: the East Riding." in texts[-1]
    (history,) = _sent(frames, "history")
    assert history == {**history, "session_id": requested["session_id"], "after_seq": held}
    assert page.console_errors == []


def test_messages_typed_quickly_are_numbered_in_the_order_typed(scenario, new_page):
    chat = _patron_in_a_chat(scenario, new_page, "Can I renew by phone?")
    box = chat.page.get_by_label("Your message")
    typed = ["one: my card number", "two: is on the back", "three: of the card"]
    for text in typed:  # not waiting for anything in between
        box.fill(text)
        box.press("Enter")

    got = [
        chat.librarian.wait(lambda f, t=text: f.get("type") == "message" and f.get("text") == t)
        for text in typed
    ]
    assert [message["text"] for message in sorted(got, key=lambda m: m["seq"])] == typed
    log = chat.page.get_by_role("log", name="Conversation")
    expect(log).to_contain_text(typed[-1])
    assert [t for shown in _texts(log) for t in typed if t in shown] == typed

    # The page sent each one only once the one before it was answered.
    frames = chat.frames
    sends = _sent(frames, "send_message")
    assert [frame["text"] for frame in sends] == typed
    for earlier, later in pairwise(sends):
        answered = next(
            i for i, (way, f) in enumerate(frames) if way == "received" and f.get("ref") == earlier["ref"]
        )
        sent = next(i for i, (way, f) in enumerate(frames) if way == "sent" and f.get("ref") == later["ref"])
        assert answered < sent, (earlier["text"], later["text"])
    assert chat.page.console_errors == []


def test_a_librarians_note_costs_the_patron_window_one_history_request_not_more(scenario, new_page):
    chat = _patron_in_a_chat(scenario, new_page, "Where is the atlas?")
    page, log = chat.page, chat.page.get_by_role("log", name="Conversation")
    chat.say("note", "NOTE: regular visitor")  # a seq the patron never sees
    chat.say("send_message", "On the reference shelf.")
    expect(log).to_contain_text("On the reference shelf.")

    for _ in range(50):  # the gap is given 1.5 s, then asked about once
        if _sent(chat.frames, "history"):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(2_500)
    assert len(_sent(chat.frames, "history")) == 1

    # Settled: the next message leaves no gap, and nothing is asked again.
    chat.say("send_message", "Second shelf from the top.")
    expect(log).to_contain_text("Second shelf from the top.")
    page.wait_for_timeout(2_500)
    assert len(_sent(chat.frames, "history")) == 1
    expect(log).not_to_contain_text("NOTE:")
    seqs = _seqs(log)
    assert seqs == sorted(set(seqs))
    assert page.console_errors == []
