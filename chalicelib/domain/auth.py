"""Librarian sign-in: password hashes and signed, expiring tokens (no token table to read)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass
from functools import cache

from ..config import settings
from ..data import access
from ..errors import Unauthorized
from ..wire.rest import LibrarianView, SignedIn

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _password_matches(password: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


@dataclass(frozen=True)
class Librarian:
    email: str
    name: str
    library: str
    is_admin: bool

    def view(self) -> LibrarianView:
        return LibrarianView(email=self.email, name=self.name, library=self.library, is_admin=self.is_admin)


@cache
def _secret() -> bytes:
    """The signing key: from the environment locally, from SSM Parameter Store when deployed."""
    conf = settings()
    if conf.token_secret:
        return conf.token_secret.encode()
    if not conf.token_secret_param:
        raise RuntimeError("Set REFDESK_TOKEN_SECRET or REFDESK_TOKEN_SECRET_PARAM.")
    import boto3

    ssm = boto3.client("ssm")
    value = ssm.get_parameter(Name=conf.token_secret_param, WithDecryption=True)
    return str(value["Parameter"]["Value"]).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(librarian: Librarian) -> str:
    claims = {**librarian.view().model_dump(), "exp": int(time.time()) + settings().token_ttl_seconds}
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = _b64(hmac.new(_secret(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


def read_token(token: str | None) -> Librarian:
    if not token or token.count(".") != 1:
        raise Unauthorized("Sign in first.")
    body, signature = token.split(".")
    expected = _b64(hmac.new(_secret(), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature, expected):
        raise Unauthorized("That sign-in is not valid; sign in again.")
    claims = json.loads(_unb64(body))
    if claims.get("exp", 0) < time.time():
        raise Unauthorized("Your sign-in has expired; sign in again.")
    return Librarian(claims["email"], claims["name"], claims["library"], bool(claims["is_admin"]))


def login(email: str, password: str) -> SignedIn:
    member = access.staff_member(email)
    if member is None or not _password_matches(password, member.password_hash):
        raise Unauthorized("That e-mail and password do not match.")
    librarian = Librarian(member.email, member.name, member.library, member.is_admin)
    return SignedIn(token=issue_token(librarian), librarian=librarian.view())
