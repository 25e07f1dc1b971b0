"""The monitor opens its WebSocket with a one-time connect ticket: the sign-in token never goes
in a URL, and every reconnect fetches a new ticket (a used one would be refused)."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from devstack.client import http
from tests.browser.monitor_pages import accept, sign_in


def test_the_monitor_connects_with_a_ticket_never_the_token_and_a_new_one_each_time(scenario, new_page):
    agent = f"Refdesk-test-ticket-{uuid.uuid4().hex[:8]}"
    page = new_page(user_agent=agent)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"{scenario.stack.base}/monitor/")
    sign_in(page, scenario.librarian)
    token = page.evaluate("sessionStorage.getItem('refdesk:monitor:token')")
    assert token and sockets
    assert all("ticket=" in url and "token=" not in url and token not in url for url in sockets), sockets

    # The socket works: a request arrives and is accepted over it.
    patron, requested = scenario.chat("Is the ticket good?", name="Tia")
    pane = accept(page, "Tia")
    expect(pane.get_by_role("log", name="Transcript")).to_contain_text("Is the ticket good?")

    # A drop: the page reconnects with a ticket of its own (the first is used up).
    opened = len(sockets)
    dropped = http("POST", f"{scenario.stack.base}/dev/drop_sockets?user_agent={agent}")[1]
    assert dropped["dropped"] == 1
    for _ in range(100):
        if len(sockets) > opened:
            break
        page.wait_for_timeout(100)
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    assert len(sockets) > opened
    assert len(set(sockets)) == len(sockets)  # never the same ticket twice
    assert all("token=" not in url and token not in url for url in sockets), sockets
    patron.call("send_message", session_id=requested["session_id"], text="Still there?")
    expect(pane.get_by_role("log", name="Transcript")).to_contain_text("Still there?")
    assert page.console_errors == []
