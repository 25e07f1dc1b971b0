"""Connect tickets: how the monitor opens its WebSocket without putting the sign-in token in
the URL (API Gateway, CloudFront and proxies may log URLs; a token lives for hours).

`POST /api/ws-ticket` (signed in) gives a random ticket good for one `$connect` within
`TICKET_SECONDS`; `$connect` with `?ticket=` takes it (one conditional DeleteItem, so it works
once however many connects race) and signs the socket in as the librarian's staff record says
now. Only the ticket's SHA-256 is stored, with the key of the sign-in it was issued under: a
sign-in revoked meanwhile (logout, new password, deactivation, new role) takes its tickets
with it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from .. import clock
from ..data import access
from ..data import tickets as stored
from ..errors import Unauthorized
from . import auth

TICKET_SECONDS = 30
_LONGEST = 128  # a ticket is 43 characters; anything much longer is not one


def _hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def issue(librarian: auth.Librarian) -> str:
    """A new ticket for this signed-in librarian."""
    member = access.staff_member(librarian.email)
    if member is None or not member.active or not member.sign_in_key:
        raise Unauthorized("You have been signed out; sign in again.")
    ticket = secrets.token_urlsafe(32)
    expires_at = clock.now() + timedelta(seconds=TICKET_SECONDS)
    stored.keep(_hash(ticket), member.email, member.sign_in_key, expires_at)
    return ticket


def redeem(ticket: str) -> auth.Librarian:
    """The librarian a ticket was issued to, the ticket used up. Unauthorized for a ticket
    that is unknown, used, expired or malformed, or whose sign-in has been revoked."""
    if not ticket or len(ticket) > _LONGEST or not ticket.isascii():
        raise Unauthorized("That connect ticket is not valid; get a new one.")
    taken = stored.take(_hash(ticket), clock.now())
    if taken is None:
        raise Unauthorized("That connect ticket is not valid, was used or has expired; get a new one.")
    member = access.staff_member(taken.librarian)
    if member is None or not member.active or member.sign_in_key != taken.sign_in_key:
        raise Unauthorized("You have been signed out; sign in again.")
    return auth.librarian_of(member)
