"""Connect tickets: a librarian's WebSocket credential that is not their sign-in token, so no
URL (and no log that keeps URLs) ever carries the token."""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from .base import table_meta


class ConnectTicket(Model):
    """One ticket, good for one `$connect` within seconds of being issued. The key is the
    SHA-256 of the ticket (the ticket itself is never stored); `sign_in_key` is the key of the
    sign-in it was issued under, so a sign-in revoked meanwhile takes its tickets with it.
    TTL removes tickets never used (late: a read checks `expires_at` itself)."""

    Meta = table_meta("tickets")
    ticket = UnicodeAttribute(hash_key=True)
    librarian = UnicodeAttribute()
    sign_in_key = UnicodeAttribute()
    expires_at = TTLAttribute()
