"""Signing in to the monitor over REST: `POST /login`, `GET /me`, and `POST /ws-ticket` (a
one-time ticket to open the WebSocket with, so the token never goes in a URL)."""

from __future__ import annotations

from ..domain import auth, tickets
from ..wire.rest import LoginBody, Me, SignedIn, WsTicket


def login(body: LoginBody) -> SignedIn:
    return auth.login(body.email, body.password)


def me(librarian: auth.Librarian) -> Me:
    return Me(**librarian.view().model_dump())


def ws_ticket(librarian: auth.Librarian) -> WsTicket:
    return WsTicket(ticket=tickets.issue(librarian), expires_in=tickets.TICKET_SECONDS)
