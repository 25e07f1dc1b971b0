"""The local stack's two ways to run moto: in a process of its own (as `make run` starts it, so
that the handlers and moto each have a core) and inside the stack's process
(`--moto-in-process`). Either way a chat works, and the moto process goes with the stack."""

from __future__ import annotations

import time
from pathlib import Path

from bench import proc
from devstack.client import Stack
from devstack.process import running_stack

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _chat(stack: Stack) -> None:
    """A librarian accepts a patron's question and each sends a message the other receives."""
    librarian = stack.librarian("bob@demo-public.example")
    patron = stack.patron(source="127.88.0.2")
    try:
        librarian.call("monitor", queues=["demo-public"])
        session_id = patron.call("request_chat", library="demo-public", question="Where is the atlas?")[
            "session_id"
        ]
        librarian.call("accept", session_id=session_id)
        patron.call("send_message", session_id=session_id, text="Is it on the shelf?")
        asked = librarian.wait_type("message", text="Is it on the shelf?")["seq"]
        librarian.call("send_message", session_id=session_id, text="Map room, shelf 3.")
        assert patron.wait_type("message", text="Map room, shelf 3.")["seq"] == asked + 1
    finally:
        patron.close()
        librarian.close()


def _moto_children(pid: int) -> list[int]:
    return [
        c for c in proc.children(pid) if "devstack.moto_process" in Path(f"/proc/{c}/cmdline").read_text()
    ]


def test_moto_has_a_process_of_its_own_that_ends_with_the_stack():
    with running_stack(ARTIFACTS / "devstack-moto-process.log") as stack:
        assert stack.pid is not None
        moto = _moto_children(stack.pid)
        assert len(moto) == 1
        _chat(stack)
        assert stack.calls().get("dynamodb.TransactWriteItems", 0) >= 2  # the stack's hooks still count
    deadline = time.monotonic() + 10  # the stack was stopped with SIGTERM, which runs no clean-up
    while Path(f"/proc/{moto[0]}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{moto[0]}").exists(), "moto's process outlived the stack"


def test_the_stack_with_moto_in_its_process_runs_a_chat():
    with running_stack(ARTIFACTS / "devstack-moto-in-process.log", args=["--moto-in-process"]) as stack:
        assert stack.pid is not None
        assert _moto_children(stack.pid) == []
        _chat(stack)
