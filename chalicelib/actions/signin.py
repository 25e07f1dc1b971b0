"""Signing in to the monitor over REST: `POST /login` and `GET /me`."""

from __future__ import annotations

from ..domain import auth
from ..wire.rest import LoginBody, Me, SignedIn


def login(body: LoginBody) -> SignedIn:
    return auth.login(body.email, body.password)


def me(librarian: auth.Librarian) -> Me:
    return Me(**librarian.view().model_dump())
