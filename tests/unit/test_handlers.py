"""The Lambda handlers driven with API-Gateway-shaped events, against in-process moto."""

from __future__ import annotations

import pytest

from chalicelib.data import access


def test_connect_refuses_a_bad_token_and_records_a_good_one(lambda_app):
    with pytest.raises(PermissionError):
        lambda_app.connect(token="not-a-token")
    connection_id = lambda_app.connect(token=lambda_app.token())
    stored = access.connection(connection_id)
    assert (stored.role, stored.librarian, stored.library) == (
        "librarian",
        "a@lib-a.example",
        "lib-a",
    )


def test_a_post_that_gets_410_forgets_the_connection_and_its_monitors(lambda_app):
    librarian = lambda_app.connect(token=lambda_app.token())
    assert lambda_app.send(librarian, action="monitor")["type"] == "queue_snapshot"
    assert [m.connection_id for m in access.monitors_of("lib-a")] == [librarian]

    lambda_app.drop(librarian)
    patron = lambda_app.connect()
    reply = lambda_app.send(patron, action="request_chat", library="lib-a", question="hi")
    assert reply["type"] == "chat_requested"  # the monitor row still said someone was there
    assert access.connection(librarian) is None
    assert access.monitors_of("lib-a") == []
    again = lambda_app.send(lambda_app.connect(), action="request_chat", library="lib-a", question="x")
    assert again["type"] == "chat_unavailable"


def test_disconnect_removes_the_socket_and_marks_a_live_chat_reconnecting(lambda_app):
    librarian = lambda_app.connect(token=lambda_app.token())
    lambda_app.send(librarian, action="monitor")
    patron = lambda_app.connect()
    session_id = lambda_app.send(patron, action="request_chat", library="lib-a", question="q")["session_id"]
    lambda_app.send(librarian, action="accept", session_id=session_id)

    lambda_app.module.ws_disconnect(
        __import__("tests.unit.conftest", fromlist=["ws_event"]).ws_event("$disconnect", patron),
        None,
    )
    session = access.session(session_id)
    assert session.status == "reconnecting" and session.patron_connection is None
    assert lambda_app.api.of(librarian, "session_update")[-1]["status"] == "reconnecting"


def test_an_ended_chat_files_its_question_as_answered_or_open(lambda_app):
    librarian = lambda_app.connect(token=lambda_app.token())
    lambda_app.send(librarian, action="monitor")
    patron = lambda_app.connect()
    answered = lambda_app.send(patron, action="request_chat", library="lib-a", question="q")["session_id"]
    unanswered = lambda_app.send(patron, action="request_chat", library="lib-a", question="q2")["session_id"]
    assert access.question(answered).status == "live"
    lambda_app.send(librarian, action="accept", session_id=answered)
    lambda_app.send(librarian, action="end_chat", session_id=answered)
    lambda_app.send(patron, action="end_chat", session_id=unanswered)
    assert access.question(answered).status == "answered"
    assert access.question(unanswered).status == "open"


def test_every_scheduled_function_runs_on_an_eventbridge_event(lambda_app):
    from devstack.gateway import scheduled_event

    scheduled = [s for s in lambda_app.module.app.event_sources if hasattr(s, "schedule_expression")]
    assert {s.name for s in scheduled} == {
        "expire_reconnects",
        "escalate_waiting",
        "expire_transfer_offers",
        "sweep_connections",
        "clear_in_progress",
        "purge_personal_data",
    }
    for source in scheduled:
        assert getattr(lambda_app.module, source.name)(scheduled_event(source.name), None) == 0
