"""Librarian sign-in: password hashes and signed, expiring tokens (no token table to read)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import time
from typing import Any, NamedTuple

from ..config import settings
from ..data import access
from ..data.models import Staff
from ..errors import Unauthorized
from ..wire.rest import LibrarianView, SignedIn
from . import rate_limit, signing

# OWASP's scrypt work factors (N=2^14, r=8, p=5: 16 MiB, a quarter second or so). The
# parameters are stored with each hash, so raising them later leaves old hashes readable.
_SCRYPT = {"n": 2**14, "r": 8, "p": 5}
_OLD_SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # hashes written as scrypt$salt$digest


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    n, r, p = _SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"]
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str | None) -> bool:
    parts = (stored or "").split("$")
    if len(parts) == 6 and parts[0] == "scrypt":
        params = {"n": int(parts[1]), "r": int(parts[2]), "p": int(parts[3])}
    elif len(parts) == 3 and parts[0] == "scrypt":
        params = _OLD_SCRYPT
    else:
        # No password yet (an invitation not used): spend the same time, then refuse, so the
        # answer's timing does not tell which addresses have accounts.
        hashlib.scrypt(password.encode(), salt=b"\0" * 16, **_SCRYPT)
        return False
    salt, digest = parts[-2], parts[-1]
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), maxmem=2**26, **params)
    return hmac.compare_digest(candidate.hex(), digest)


class Librarian(NamedTuple):
    email: str
    name: str
    library: str
    is_admin: bool

    def view(self) -> LibrarianView:
        return LibrarianView(email=self.email, name=self.name, library=self.library, is_admin=self.is_admin)


_secret = signing.secret  # the signing key: from the environment locally, from SSM when deployed


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(member: Staff) -> str:
    """A signed token naming the librarian and their sign-in key, valid for the stage's token
    lifetime (12 hours unless set) or until the key changes, whichever comes first."""
    claims = {
        "email": member.email,
        "key": member.sign_in_key,
        "exp": int(time.time()) + settings().token_ttl_seconds,
    }
    body = b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = b64(hmac.new(_secret(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


def read_token(token: str | None) -> Librarian:
    """The librarian a token signs in, as their staff record says now (a role changed by an
    admin counts at once). Unauthorized if the token is forged or expired, or was revoked:
    logged out, password changed, or the librarian deactivated."""
    if not token:
        raise Unauthorized("Sign in first.")
    claims = _claims(token)
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires < time.time():
        raise Unauthorized("Your sign-in has expired; sign in again.")
    email = claims.get("email")
    member = access.staff_member(email) if isinstance(email, str) and email else None
    if (
        member is None
        or not member.active
        or not member.sign_in_key
        or claims.get("key") != member.sign_in_key
    ):
        raise Unauthorized("You have been signed out; sign in again.")
    return librarian_of(member)


def _claims(token: str) -> dict[str, Any]:
    """A token's claims if this service signed it; Unauthorized for any other string
    (however malformed: not ASCII, the wrong number of parts, not base64, not JSON)."""
    invalid = Unauthorized("That sign-in is not valid; sign in again.")
    body, _, signature = token.partition(".")
    if not body or not signature or "." in signature or not token.isascii():
        raise invalid
    expected = b64(hmac.new(_secret(), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        raise invalid
    try:
        claims = json.loads(unb64(body))
    except (ValueError, binascii.Error):
        raise invalid from None
    if not isinstance(claims, dict):
        raise invalid
    return claims


def librarian_of(member: Staff) -> Librarian:
    return Librarian(member.email, member.name, member.library, member.is_admin)


def login(email: str, password: str) -> SignedIn:
    """E-mail and password to a token. Wrong passwords for one address are slowed down; the
    answer is the same whether or not the address has an account."""
    throttle = rate_limit.check_login(email)
    member = access.staff_member(email)
    if member is None or not password_matches(password, member.password_hash if member else None):
        rate_limit.login_failed(email, throttle)
        raise Unauthorized("That e-mail and password do not match.")
    rate_limit.login_succeeded(throttle)
    if not member.active:
        raise Unauthorized("Your account has been deactivated; ask your library's admin.")
    return signed_in(member)


def signed_in(member: Staff) -> SignedIn:
    """A new token for this librarian (their sign-in key made if they have none yet)."""
    if not member.sign_in_key:
        member.update(actions=[Staff.sign_in_key.set(new_key())])
    return SignedIn(token=issue_token(member), librarian=librarian_of(member).view())


def new_key() -> str:
    return secrets.token_hex(16)


def revoke(member: Staff) -> None:
    """Every token of this librarian stops working at once."""
    member.update(actions=[Staff.sign_in_key.set(new_key())])
