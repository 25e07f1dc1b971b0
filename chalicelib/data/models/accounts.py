"""Who may sign in: staff (with their invitation and the key their tokens carry), and the
throttle that slows down repeated wrong passwords."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model

from .base import table_meta


class StaffByLibrary(GlobalSecondaryIndex):
    """A library's staff list, without reading each member (the hashes stay out of it)."""

    class Meta:
        index_name = "library-index"
        projection = IncludeProjection(["name", "is_admin", "active", "invited_until"])

    library = UnicodeAttribute(hash_key=True)
    email = UnicodeAttribute(range_key=True)


class Staff(Model):
    Meta = table_meta("staff")
    email = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    library = UnicodeAttribute()
    is_admin = BooleanAttribute(default=False)
    active = BooleanAttribute(default=True)  # a deactivated librarian cannot sign in
    password_hash = UnicodeAttribute(null=True)  # none until an invitation is used
    # Every token carries the key of its sign-in generation; a new key revokes them all.
    sign_in_key = UnicodeAttribute(null=True)
    # The pending invitation: the SHA-256 of its secret, and until when it may be used.
    invite_hash = UnicodeAttribute(null=True)
    invited_until = UnicodeAttribute(null=True)
    by_library = StaffByLibrary()


class Throttle(Model):
    """What slows down whoever asks too often, one item per key, each gone (TTL) once it no
    longer holds anything back. By the key's prefix (domain/rate_limit.py):

    - `login#<sha256 of an e-mail>`: wrong passwords (`failures`, `blocked_until`), whether or
      not the e-mail belongs to anyone, so the answer never tells which addresses exist;
    - a token bucket (`ip-chat#`, `ip-question#`, `socket-asks#`, `typing#`): `tat`, the
      instant (epoch ms) by which the bucket is full again, moved by one conditional
      UpdateItem per request (data/throttles.py);
    - `waiting#<library>#<source>`: the requests waiting from one source at one library
      (`holds`: session id -> until when), changed only at the `revision` read;
    - `mail-to#…#<day>`, `mail-from#…#<day>`: e-mails sent that day (`sent`)."""

    Meta = table_meta("throttles")
    key = UnicodeAttribute(hash_key=True)
    failures = NumberAttribute(default=0)
    blocked_until = UnicodeAttribute(null=True)
    tat = NumberAttribute(null=True)
    holds: MapAttribute[str, Any] = MapAttribute(null=True)
    revision = NumberAttribute(null=True)
    sent = NumberAttribute(null=True)
    expires_at = TTLAttribute()
