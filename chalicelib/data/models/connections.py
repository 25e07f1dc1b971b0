"""Open WebSockets, and the queues and rosters each librarian socket is in."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from .base import index_meta, table_meta


class ConnectionsByAge(GlobalSecondaryIndex):
    Meta = index_meta("age-index", KeysOnlyProjection)
    role = UnicodeAttribute(hash_key=True)
    connected_at = UnicodeAttribute(range_key=True)


class ConnectionsByLibrarian(GlobalSecondaryIndex):
    """Every socket of a signed-in librarian: for IM and transfer offers."""

    Meta = index_meta("librarian-index", KeysOnlyProjection)
    librarian = UnicodeAttribute(hash_key=True)
    connection_id = UnicodeAttribute(range_key=True)


class Connection(Model):
    """One open WebSocket. `age-index` lets the sweep find sockets old enough to have gone
    silently (API Gateway's $disconnect is best-effort)."""

    Meta = table_meta("connections")
    connection_id = UnicodeAttribute(hash_key=True)
    role = UnicodeAttribute()  # patron | librarian
    librarian = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    library = UnicodeAttribute(null=True)
    is_admin = BooleanAttribute(default=False)
    session_id = UnicodeAttribute(null=True)  # a patron's chat
    queues: ListAttribute[Any] = ListAttribute(of=UnicodeAttribute, null=True)  # set while monitoring
    connected_at = UnicodeAttribute()
    source_ip = UnicodeAttribute(null=True)  # where API Gateway saw the socket come from ($connect)
    expires_at = TTLAttribute()  # API Gateway closes every connection within two hours
    by_age = ConnectionsByAge()
    by_librarian = ConnectionsByLibrarian()


class Monitor(Model):
    """A librarian connection watching one queue (a library's incoming requests), or, under
    the key `roster#<cooperative>`, present in its cooperative's roster of who is monitoring."""

    Meta = table_meta("monitors")
    queue = UnicodeAttribute(hash_key=True)
    connection_id = UnicodeAttribute(range_key=True)
    librarian = UnicodeAttribute()
    name = UnicodeAttribute(null=True)
    library = UnicodeAttribute(null=True)  # the librarian's own
    is_admin = BooleanAttribute(default=False)
    expires_at = TTLAttribute()
