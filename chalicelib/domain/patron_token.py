"""A patron's proof of owning a chat: "<session id>.<secret>"; only the secret's hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ..data import access
from ..data.models import ChatSession
from ..errors import Forbidden, NotFound


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(session_id: str) -> tuple[str, str]:
    """A new token and the hash to store."""
    secret = secrets.token_urlsafe(24)
    return f"{session_id}.{secret}", _hash(secret)


def matches(session: ChatSession, token: str) -> bool:
    session_id, _, secret = token.partition(".")
    return (
        bool(secret)
        and session_id == session.session_id
        and hmac.compare_digest(session.patron_token_hash, _hash(secret))
    )


def session_for(token: str) -> ChatSession:
    """The chat a token proves; Forbidden for any string that is not one of ours, read or not
    (one with no session id before its "." names no item to read)."""
    session_id, _, secret = token.partition(".")
    if not session_id or not secret:
        raise Forbidden("That patron token is not valid.")
    try:
        session = access.session(session_id)
    except NotFound:
        raise Forbidden("That patron token is not valid.") from None
    if not matches(session, token):
        raise Forbidden("That patron token is not valid.")
    return session
