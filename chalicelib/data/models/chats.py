"""Chat sessions, their sparse indexes (each a queue view or a job's work list), and their messages."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection
from pynamodb.models import Model

from ...statuses import Status
from .base import index_meta, table_meta

# The queue views' indexes carry keys (and the waiting line its patrons' sockets), not whole
# chats: an attribute an index projects is written again in the index whenever it changes,
# and `last_seq` changes with every message. Their readers fetch the chats themselves
# (data/access.py: one BatchGetItem, consistent, for up to 100).


class WaitingByQueue(GlobalSecondaryIndex):
    Meta = index_meta("waiting-index", IncludeProjection(["patron_connection"]))
    waiting_queue = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class LiveByLibrary(GlobalSecondaryIndex):
    Meta = index_meta("live-index", KeysOnlyProjection)
    live_library = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class OpenByLibrarian(GlobalSecondaryIndex):
    Meta = index_meta("open-index", KeysOnlyProjection)
    open_librarian = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


# the constant hash keys of the small sparse indexes that jobs read in deadline order
PATRON_AWAY, LIBRARIAN_AWAY, ROUTING_DUE, OFFER_DUE = "patron", "librarian", "due", "offer"


class RoutingDue(GlobalSecondaryIndex):
    """Waiting requests by when routing next acts on them (offer to the cooperative, or give
    up); the hash key is always "due", for the escalate_waiting job."""

    Meta = index_meta("routing-index", KeysOnlyProjection)
    routing_due = UnicodeAttribute(hash_key=True)
    routing_due_at = UnicodeAttribute(range_key=True)


class OffersDue(GlobalSecondaryIndex):
    """Chats offered to a named librarian, by when the offer lapses (hash key always "offer")."""

    Meta = index_meta("offer-index", KeysOnlyProjection)
    offer_due = UnicodeAttribute(hash_key=True)
    offer_expires_at = UnicodeAttribute(range_key=True)


class PatronAway(GlobalSecondaryIndex):
    """Chats waiting for their patron to come back, by deadline. The hash key is always
    "patron": the index is sparse and small, and the job reads it in deadline order."""

    Meta = index_meta("patron-away-index", KeysOnlyProjection)
    patron_away = UnicodeAttribute(hash_key=True)
    patron_back_by = UnicodeAttribute(range_key=True)


class LibrarianAway(GlobalSecondaryIndex):
    """Chats waiting for their librarian to come back, by deadline (hash key always "librarian")."""

    Meta = index_meta("librarian-away-index", KeysOnlyProjection)
    librarian_away = UnicodeAttribute(hash_key=True)
    librarian_back_by = UnicodeAttribute(range_key=True)


class ChatSession(Model):
    Meta = table_meta("sessions")
    session_id = UnicodeAttribute(hash_key=True)
    library = UnicodeAttribute()
    status = UnicodeAttribute()  # a statuses.Status
    question = UnicodeAttribute()
    question_id = UnicodeAttribute()
    patron_name = UnicodeAttribute(null=True)
    patron_email = UnicodeAttribute(null=True)
    patron_token_hash = UnicodeAttribute()
    page_url = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    accepted_at = UnicodeAttribute(null=True)
    ended_at = UnicodeAttribute(null=True)
    ended_by = UnicodeAttribute(null=True)  # a statuses.EndedBy
    librarian = UnicodeAttribute(null=True)  # the owner's e-mail
    patron_connection = UnicodeAttribute(null=True)
    staff_connections: MapAttribute[str, Any] = MapAttribute(
        default=dict
    )  # connection id -> librarian e-mail
    staff_names: MapAttribute[str, Any] = MapAttribute(default=dict)  # the owner's e-mail -> display name
    last_seq = NumberAttribute(default=0)  # client refs are items of their own (MessageRef)
    transcript_sent_at = UnicodeAttribute(null=True)
    # abuse control (domain/rate_limit.py): where the request came from, as a keyed hash of its
    # network, and the patron's message bucket (epoch ms by which it is full again)
    source_key = UnicodeAttribute(null=True)
    patron_send_tat = NumberAttribute(null=True)
    # cooperative routing
    escalated = BooleanAttribute(default=False)  # offered to the cooperative's partners too
    escalate_at = UnicodeAttribute(null=True)
    give_up_at = UnicodeAttribute(null=True)
    served_by_library = UnicodeAttribute(null=True)  # the accepting librarian's library
    # working together
    guests: MapAttribute[str, Any] = MapAttribute(default=dict)  # conferenced librarian e-mail -> name
    offer_to = UnicodeAttribute(null=True)  # a transfer offered to this librarian...
    offer_from = UnicodeAttribute(null=True)  # ...by this one
    offer_note = UnicodeAttribute(null=True)
    # sparse index keys: set and removed by data/sessions.py alone
    waiting_queue = UnicodeAttribute(null=True)
    live_library = UnicodeAttribute(null=True)
    open_librarian = UnicodeAttribute(null=True)
    patron_away = UnicodeAttribute(null=True)
    patron_back_by = UnicodeAttribute(null=True)
    librarian_away = UnicodeAttribute(null=True)
    librarian_back_by = UnicodeAttribute(null=True)
    routing_due = UnicodeAttribute(null=True)
    routing_due_at = UnicodeAttribute(null=True)
    offer_due = UnicodeAttribute(null=True)
    offer_expires_at = UnicodeAttribute(null=True)

    waiting = WaitingByQueue()
    live = LiveByLibrary()
    open_for_librarian = OpenByLibrarian()
    awaiting_patron = PatronAway()
    awaiting_librarian = LibrarianAway()
    due_for_routing = RoutingDue()
    offers_due = OffersDue()

    def waiting_in(self) -> str | None:
        """The queue this request waits in; None once it is taken or ended."""
        return self.waiting_queue

    def librarian_is_away(self) -> bool:
        """Its librarian's last socket dropped and the grace period runs."""
        return self.librarian_back_by is not None

    def patron_overdue(self, now: str) -> bool:
        """Its patron was due back by `now` and is not (the chat is still live)."""
        return self.status != Status.ENDED and self.patron_back_by is not None and self.patron_back_by <= now

    def librarian_overdue(self, now: str) -> bool:
        """Its librarian was due back by `now` and is not (the chat is still live)."""
        return (
            self.status != Status.ENDED
            and self.librarian_back_by is not None
            and self.librarian_back_by <= now
        )

    def name_of(self, librarian: str) -> str | None:
        """A librarian's name as this chat knows it: its librarians' or a conferenced guest's."""
        names: dict[str, str] = {**self.guests.as_dict(), **self.staff_names.as_dict()}
        return names.get(librarian)

    def staff_connection_ids(self) -> list[str]:
        """The sockets of the librarians in this chat."""
        return list(self.staff_connections.as_dict())

    def connection_ids(self) -> list[str]:
        """Every socket in this chat: the patron's, if connected, and the librarians'."""
        patron = [self.patron_connection] if self.patron_connection else []
        return patron + self.staff_connection_ids()


class Message(Model):
    Meta = table_meta("messages")
    session_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    kind = UnicodeAttribute()  # a statuses.Kind
    from_role = UnicodeAttribute()  # a statuses.Role
    from_name = UnicodeAttribute(null=True)
    text = UnicodeAttribute()
    sent_at = UnicodeAttribute()
    staff_only = BooleanAttribute(default=False)


class MessageRef(Model):
    """A client's ref for an append (`"<author>:<ref>"`), so that a retried send is answered
    with the seq it got the first time. One small item each, written in the same transaction
    as its message, rather than a map on the session that would grow with every message; it
    expires a day later, long after any retry."""

    Meta = table_meta("refs")
    session_id = UnicodeAttribute(hash_key=True)
    ref = UnicodeAttribute(range_key=True)
    seq = NumberAttribute()
    expires_at = TTLAttribute()
