"""Sign-in credentials that any string may be offered as: tokens, connect tickets, patron
tokens. Each is refused (Unauthorized, Forbidden), never an exception of another kind."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest

from chalicelib import clock
from chalicelib.domain import auth, patron_token, tickets
from chalicelib.errors import Forbidden, Unauthorized
from devstack.demo import save_staff


@pytest.fixture
def ann(aws):
    return save_staff("ann@example.org", "Ann", "lib", "correct horse battery")


def _forged(claims: object) -> str:
    """A token whose body is signed with the real key: only its claims are wrong."""
    body = auth.b64(json.dumps(claims).encode())
    return f"{body}.{auth.b64(hmac.new(auth._secret(), body.encode(), hashlib.sha256).digest())}"


@pytest.mark.parametrize(
    "token",
    [
        ".",
        ".abc",
        "abc.",
        "a.b.c",
        "é.é",
        "e30.é",
        "\x00.\x00",
        "x" * 5000,
        "\ud800.x",
    ],
)
def test_any_string_is_refused_as_a_token(ann, token):
    with pytest.raises(Unauthorized):
        auth.read_token(token)


def test_a_non_ascii_signature_on_a_real_body_is_refused(ann):
    body, signature = auth.signed_in(ann).token.split(".")
    with pytest.raises(Unauthorized):
        auth.read_token(f"{body}.{signature[:-1]}é")


@pytest.mark.parametrize("claims", [[], "x", {"exp": "soon", "email": "ann@example.org"}, {"exp": 10**12}])
def test_signed_claims_of_the_wrong_shape_are_refused(ann, claims):
    with pytest.raises(Unauthorized):
        auth.read_token(_forged(claims))


def test_a_signed_body_that_is_not_json_is_refused(ann):
    body = base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("=")
    signature = auth.b64(hmac.new(auth._secret(), body.encode(), hashlib.sha256).digest())
    with pytest.raises(Unauthorized):
        auth.read_token(f"{body}.{signature}")


@pytest.mark.parametrize("token", [".", ".abc", "no-dot", "x.", "é.é", "\x00.x"])
def test_any_string_is_refused_as_a_patron_token(aws, token):
    with pytest.raises(Forbidden):
        patron_token.session_for(token)


# --- connect tickets ---------------------------------------------------------------------------


def test_a_ticket_signs_a_socket_in_once(ann):
    librarian = auth.read_token(auth.signed_in(ann).token)
    ticket = tickets.issue(librarian)
    assert tickets.redeem(ticket) == librarian
    with pytest.raises(Unauthorized, match="used"):
        tickets.redeem(ticket)


def test_only_the_tickets_hash_is_stored(ann):
    from chalicelib.data.models import ConnectTicket

    auth.signed_in(ann)  # gives Ann a sign-in key
    ticket = tickets.issue(auth.librarian_of(ann))
    (stored,) = list(ConnectTicket.scan())
    assert ticket not in json.dumps(stored.attribute_values, default=str)


def test_an_expired_ticket_is_refused(ann, monkeypatch):
    ticket = tickets.issue(auth.read_token(auth.signed_in(ann).token))
    later = clock.now() + timedelta(seconds=tickets.TICKET_SECONDS + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    with pytest.raises(Unauthorized, match="expired"):
        tickets.redeem(ticket)


def test_a_ticket_of_a_revoked_sign_in_is_refused(ann):
    ticket = tickets.issue(auth.read_token(auth.signed_in(ann).token))
    auth.revoke(ann)
    with pytest.raises(Unauthorized, match="signed out"):
        tickets.redeem(ticket)


@pytest.mark.parametrize("ticket", ["", "nope", "é", "x" * 200, "\x00"])
def test_any_other_string_is_refused_as_a_ticket(ann, ticket):
    with pytest.raises(Unauthorized):
        tickets.redeem(ticket)


def test_connect_takes_a_ticket_and_refuses_a_used_one(lambda_app):
    from tests.unit.conftest import ws_event

    ticket = tickets.issue(auth.read_token(lambda_app.token()))
    connect = lambda_app.module.ws_connect
    assert connect(ws_event("$connect", "c1=", query={"ticket": ticket}), None)["statusCode"] == 200
    lambda_app.api.open.add("c1=")
    assert lambda_app.send("c1=", action="monitor")["type"] == "queue_snapshot"
    refused = connect(ws_event("$connect", "c2=", query={"ticket": ticket}), None)
    assert refused["statusCode"] == 401 and "ticket" in refused["body"]
