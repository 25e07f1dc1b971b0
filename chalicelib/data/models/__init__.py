"""PynamoDB models: one table a concept. docs/data-model.md lists keys, indexes and access patterns.

Sparse indexes carry only the items that are in a given state: an attribute is set while the
item is in that state and removed when it leaves it, so a Query on the index finds exactly
the items a queue view or a scheduled job needs, and nothing is ever Scanned.
"""

from __future__ import annotations

from pynamodb.models import Model

from .accounts import Staff, Throttle
from .base import transaction
from .chats import LIBRARIAN_AWAY, OFFER_DUE, PATRON_AWAY, ROUTING_DUE, ChatSession, Message, MessageRef
from .connections import Connection, Monitor
from .libraries import CANNED, DEFAULT_ESCALATE_AFTER_S, DEFAULT_GIVE_UP_AFTER_S, POLICY, Library, LibraryText
from .questions import PURGE_DUE, ActivityEntry, Question
from .reports import ReportDay, ReportRow
from .tickets import ConnectTicket

ALL_MODELS: tuple[type[Model], ...] = (
    Library,
    LibraryText,
    Staff,
    Connection,
    Monitor,
    ChatSession,
    Message,
    MessageRef,
    Question,
    ReportDay,
    ReportRow,
    Throttle,
    ConnectTicket,
)

__all__ = [
    "ALL_MODELS",
    "CANNED",
    "DEFAULT_ESCALATE_AFTER_S",
    "DEFAULT_GIVE_UP_AFTER_S",
    "LIBRARIAN_AWAY",
    "OFFER_DUE",
    "PATRON_AWAY",
    "POLICY",
    "PURGE_DUE",
    "ROUTING_DUE",
    "ActivityEntry",
    "ChatSession",
    "ConnectTicket",
    "Connection",
    "Library",
    "LibraryText",
    "Message",
    "MessageRef",
    "Monitor",
    "Question",
    "ReportDay",
    "ReportRow",
    "Staff",
    "Throttle",
    "transaction",
]
