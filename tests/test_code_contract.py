"""The code's own contract: the action table and the wire agree, the docs name everything the
code defines, events refuse undeclared fields, and only the data layer spells the
sparse-index attributes a chat's state implies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text()
SPARSE_ATTRIBUTES = (
    "waiting_queue",
    "live_library",
    "open_librarian",
    "patron_away",
    "patron_back_by",
    "librarian_away",
    "librarian_back_by",
)


def test_every_action_has_a_handler_and_a_model():
    from chalicelib.entry.websocket import ACTIONS
    from chalicelib.wire.actions import INBOUND

    assert set(ACTIONS) == set(INBOUND)


def test_the_protocol_document_names_every_action_and_every_event():
    from chalicelib.wire.actions import INBOUND
    from chalicelib.wire.events import event_types

    names = [*INBOUND, *event_types()]
    assert {"accept", "message", "session_update", "queue_update", "typing"} <= set(names)
    missing = [name for name in names if f"`{name}`" not in PROTOCOL]
    assert missing == []


def test_the_protocol_document_names_every_rest_route():
    import app

    routes = [
        f"{method} /api{re.sub(r'{[a-z_]+}', '{id}', path)}"
        for path, methods in app.app.routes.items()
        for method in methods
    ]
    assert "POST /api/login" in routes
    missing = [route for route in routes if route not in PROTOCOL]
    assert missing == []


def test_an_event_with_an_undeclared_field_fails_where_it_is_built():
    from chalicelib.wire.events import Ack, SessionUpdate
    from chalicelib.wire.rest import QuestionPage

    with pytest.raises(ValidationError):
        Ack(seq=1, sequence=2)
    with pytest.raises(ValidationError):
        SessionUpdate(session_id="s", status="ended", ended_by="librarian", endedby="x")
    with pytest.raises(ValidationError):
        QuestionPage(questions=[], next=None, cursor="x")


def test_only_the_data_layer_spells_the_sparse_index_attributes():
    attribute = re.compile(r"\.(" + "|".join(SPARSE_ATTRIBUTES) + r")\b(?!\()")
    data = ROOT / "chalicelib" / "data"
    sources = [ROOT / "app.py", *(p for p in (ROOT / "chalicelib").rglob("*.py") if data not in p.parents)]
    assert any(attribute.search(line) for line in (data / "sessions.py").read_text().splitlines())
    outside = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if attribute.search(line)
    ]
    assert outside == []
