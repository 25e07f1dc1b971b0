"""Fixtures: a local stack started once per test session, and per-test libraries and staff."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devstack.client import Client, Stack
from devstack.process import running_stack

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """`python -m devstack` in a child process, exactly as `make run` starts it."""
    with running_stack(ROOT / "test-artifacts" / "devstack.log") as running:
        yield running


def loopback(tag: str) -> str:
    """127.x.y.z from a hex tag (never 127.0.0.1, which the browser tests and the benchmark
    use): each scenario's patrons are a network of their own, so the per-network limits of one
    test never meet another's."""
    x, y, z = (int(tag[i : i + 2], 16) for i in (0, 2, 4))
    return f"127.{x}.{y}.{min(max(z, 2), 254)}"


@dataclass
class Scenario:
    """Two libraries in one cooperative, one outside it, each with librarians, all new."""

    stack: Stack
    home: str
    partner: str
    outsider: str
    admin: str
    librarian: str
    partner_librarian: str
    outsider_librarian: str
    clients: list[Client]
    source: str = "127.0.0.1"  # the loopback address this scenario's patrons connect from

    def another_network(self) -> str:
        """A loopback address no scenario uses: a patron elsewhere, as the per-network limits
        see them."""
        return loopback(uuid.uuid4().hex)

    def email(self, name: str) -> str:
        """A patron address no other test uses, so counting its mail counts this test's."""
        return f"{name}@{self.home}.example.org"

    def connect(self, email: str | None = None, source: str | None = None) -> Client:
        client = self.stack.librarian(email) if email else self.stack.patron(source or self.source)
        self.clients.append(client)
        return client

    def monitoring(self, email: str) -> Client:
        client = self.connect(email)
        snapshot = client.call("monitor")
        assert snapshot["type"] == "queue_snapshot", snapshot
        return client

    def chat(self, question: str = "Do you have large-print books?", **fields) -> tuple[Client, dict]:
        patron = self.connect()
        reply = patron.call("request_chat", library=self.home, question=question, **fields)
        assert reply["type"] == "chat_requested", reply
        return patron, reply


@pytest.fixture
def scenario(stack: Stack) -> Iterator[Scenario]:
    tag = uuid.uuid4().hex[:8]
    coop = f"coop-{tag}"
    home, partner, outsider = f"home-{tag}", f"partner-{tag}", f"outside-{tag}"
    people = {
        "admin": (f"admin@{home}.example", home, True),
        "librarian": (f"lib@{home}.example", home, False),
        "partner_librarian": (f"lib@{partner}.example", partner, False),
        "outsider_librarian": (f"lib@{outsider}.example", outsider, False),
    }
    stack.fixtures(
        {
            "libraries": [
                {
                    "id": home,
                    "name": "Home Library",
                    "cooperative": coop,
                    "alternatives": [{"label": "Call us", "url": "tel:+15550100"}],
                },
                {"id": partner, "name": "Partner Library", "cooperative": coop},
                {"id": outsider, "name": "Outside Library"},
            ],
            "staff": [
                {
                    "email": email,
                    "name": role.replace("_", " ").title(),
                    "library": library,
                    "admin": admin,
                }
                for role, (email, library, admin) in people.items()
            ],
        }
    )
    made = Scenario(
        stack, home, partner, outsider, *(p[0] for p in people.values()), clients=[], source=loopback(tag)
    )
    yield made
    for client in made.clients:
        client.close()
