"""PynamoDB models: one table a concept. docs/data-model.md lists keys, indexes and access patterns.

Sparse indexes carry only the items that are in a given state: an attribute is set while the
item is in that state and removed when it leaves it, so a Query on the index finds exactly
the items a queue view or a scheduled job needs, and nothing is ever Scanned.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.connection import Connection as DynamoConnection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from ..config import settings
from ..statuses import Status

_settings = settings()


class _Meta:
    billing_mode = "PAY_PER_REQUEST"


def _meta(name: str) -> Any:
    return type("Meta", (_Meta,), {"table_name": _settings.table(name)})


def _index_meta(name: str, projection: type = AllProjection) -> Any:
    return type("Meta", (), {"index_name": name, "projection": projection()})


# --- libraries, cooperatives and staff -------------------------------------------------------

DEFAULT_ESCALATE_AFTER_S = 40  # as QuestionPoint's 24/7 cooperative did
DEFAULT_GIVE_UP_AFTER_S = 600


class LibrariesByCooperative(GlobalSecondaryIndex):
    Meta = _index_meta("cooperative-index", KeysOnlyProjection)
    cooperative = UnicodeAttribute(hash_key=True)
    library_id = UnicodeAttribute(range_key=True)


class Library(Model):
    Meta = _meta("libraries")
    library_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    cooperative = UnicodeAttribute(null=True)
    policy = UnicodeAttribute(default="")
    hours = UnicodeAttribute(default="")
    unavailable_message = UnicodeAttribute(null=True)
    alternatives = JSONAttribute(default=list)  # [{label, url}]
    # {escalate_after_s, give_up_after_s}: JSON keeps "never" (null) apart from "not set"
    routing = JSONAttribute(default=dict)
    codes = JSONAttribute(null=True)  # {resolution: [...], descriptive: [...]}; None: defaults
    by_cooperative = LibrariesByCooperative()

    def escalate_after_s(self) -> int | None:
        """Seconds a request waits for this library before the cooperative is offered it;
        None: never offered to the cooperative."""
        value = (self.routing or {}).get("escalate_after_s", DEFAULT_ESCALATE_AFTER_S)
        return None if value is None else int(value)

    def give_up_after_s(self) -> int:
        """Seconds after which a request nobody took ends as unanswered."""
        return int((self.routing or {}).get("give_up_after_s") or DEFAULT_GIVE_UP_AFTER_S)


class Staff(Model):
    Meta = _meta("staff")
    email = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    library = UnicodeAttribute()
    is_admin = BooleanAttribute(default=False)
    password_hash = UnicodeAttribute()


# --- live connections ------------------------------------------------------------------------


class ConnectionsByAge(GlobalSecondaryIndex):
    Meta = _index_meta("age-index", KeysOnlyProjection)
    role = UnicodeAttribute(hash_key=True)
    connected_at = UnicodeAttribute(range_key=True)


class ConnectionsByLibrarian(GlobalSecondaryIndex):
    """Every socket of a signed-in librarian: for IM and transfer offers."""

    Meta = _index_meta("librarian-index", KeysOnlyProjection)
    librarian = UnicodeAttribute(hash_key=True)
    connection_id = UnicodeAttribute(range_key=True)


class Connection(Model):
    """One open WebSocket. `age-index` lets the sweep find sockets old enough to have gone
    silently (API Gateway's $disconnect is best-effort)."""

    Meta = _meta("connections")
    connection_id = UnicodeAttribute(hash_key=True)
    role = UnicodeAttribute()  # patron | librarian
    librarian = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    library = UnicodeAttribute(null=True)
    is_admin = BooleanAttribute(default=False)
    session_id = UnicodeAttribute(null=True)  # a patron's chat
    queues: ListAttribute[Any] = ListAttribute(of=UnicodeAttribute, null=True)  # set while monitoring
    connected_at = UnicodeAttribute()
    recent_requests: ListAttribute[Any] = ListAttribute(of=UnicodeAttribute, null=True)  # rate limiting
    expires_at = TTLAttribute()  # API Gateway closes every connection within two hours
    by_age = ConnectionsByAge()
    by_librarian = ConnectionsByLibrarian()


class Monitor(Model):
    """A librarian connection watching one queue (a library's incoming requests), or, under
    the key `roster#<cooperative>`, present in its cooperative's roster of who is monitoring."""

    Meta = _meta("monitors")
    queue = UnicodeAttribute(hash_key=True)
    connection_id = UnicodeAttribute(range_key=True)
    librarian = UnicodeAttribute()
    name = UnicodeAttribute(null=True)
    library = UnicodeAttribute(null=True)  # the librarian's own
    is_admin = BooleanAttribute(default=False)
    expires_at = TTLAttribute()


# --- chat sessions and their messages --------------------------------------------------------


class WaitingByQueue(GlobalSecondaryIndex):
    Meta = _index_meta("waiting-index")
    waiting_queue = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class LiveByLibrary(GlobalSecondaryIndex):
    Meta = _index_meta("live-index")
    live_library = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class OpenByLibrarian(GlobalSecondaryIndex):
    Meta = _index_meta("open-index")
    open_librarian = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


# the constant hash keys of the small sparse indexes that jobs read in deadline order
PATRON_AWAY, LIBRARIAN_AWAY, ROUTING_DUE, OFFER_DUE = "patron", "librarian", "due", "offer"


class RoutingDue(GlobalSecondaryIndex):
    """Waiting requests by when routing next acts on them (offer to the cooperative, or give
    up); the hash key is always "due", for the escalate_waiting job."""

    Meta = _index_meta("routing-index", KeysOnlyProjection)
    routing_due = UnicodeAttribute(hash_key=True)
    routing_due_at = UnicodeAttribute(range_key=True)


class OffersDue(GlobalSecondaryIndex):
    """Chats offered to a named librarian, by when the offer lapses (hash key always "offer")."""

    Meta = _index_meta("offer-index", KeysOnlyProjection)
    offer_due = UnicodeAttribute(hash_key=True)
    offer_expires_at = UnicodeAttribute(range_key=True)


class PatronAway(GlobalSecondaryIndex):
    """Chats waiting for their patron to come back, by deadline. The hash key is always
    "patron": the index is sparse and small, and the job reads it in deadline order."""

    Meta = _index_meta("patron-away-index", KeysOnlyProjection)
    patron_away = UnicodeAttribute(hash_key=True)
    patron_back_by = UnicodeAttribute(range_key=True)


class LibrarianAway(GlobalSecondaryIndex):
    """Chats waiting for their librarian to come back, by deadline (hash key always "librarian")."""

    Meta = _index_meta("librarian-away-index", KeysOnlyProjection)
    librarian_away = UnicodeAttribute(hash_key=True)
    librarian_back_by = UnicodeAttribute(range_key=True)


class ChatSession(Model):
    Meta = _meta("sessions")
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
    staff_names: MapAttribute[str, Any] = MapAttribute(default=dict)  # librarian e-mail -> display name
    last_seq = NumberAttribute(default=0)
    refs: MapAttribute[str, Any] = MapAttribute(
        default=dict
    )  # client ref -> seq, so a retried send is not repeated
    transcript_sent_at = UnicodeAttribute(null=True)
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
    Meta = _meta("messages")
    session_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    kind = UnicodeAttribute()  # a statuses.Kind
    from_role = UnicodeAttribute()  # a statuses.Role
    from_name = UnicodeAttribute(null=True)
    text = UnicodeAttribute()
    sent_at = UnicodeAttribute()
    staff_only = BooleanAttribute(default=False)


# --- the question list -----------------------------------------------------------------------


class QuestionsByLibrary(GlobalSecondaryIndex):
    Meta = _index_meta("library-index")
    library = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class QuestionsByStatus(GlobalSecondaryIndex):
    Meta = _index_meta("status-index")
    library_status = UnicodeAttribute(hash_key=True)  # "<library>#<status>"
    created_at = UnicodeAttribute(range_key=True)


class QuestionsServedForPartners(GlobalSecondaryIndex):
    """Questions of chats a library's librarians served for a cooperative partner's patrons
    (sparse: set only when the serving library is not the patron's)."""

    Meta = _index_meta("served-index")
    served_for_partner = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class QuestionsInProgress(GlobalSecondaryIndex):
    """Questions labelled in_progress, by when the label comes off (hash key always
    "in_progress": a sparse index for the clear_in_progress job)."""

    Meta = _index_meta("in-progress-index", KeysOnlyProjection)
    in_progress = UnicodeAttribute(hash_key=True)
    in_progress_until = UnicodeAttribute(range_key=True)


class ActivityEntry(MapAttribute[str, str]):
    """Follow-up done on a question: an answer, a note, a message to the chat's librarian, a close."""

    kind = UnicodeAttribute()
    text = UnicodeAttribute()
    by = UnicodeAttribute()
    by_name = UnicodeAttribute(null=True)
    at = UnicodeAttribute()


class Question(Model):
    Meta = _meta("questions")
    question_id = UnicodeAttribute(hash_key=True)
    library = UnicodeAttribute()
    source = UnicodeAttribute()  # chat | form | ticket
    status = UnicodeAttribute()  # live | open | pending | answered | referred | closed
    library_status = UnicodeAttribute()
    labels: ListAttribute[Any] = ListAttribute(of=UnicodeAttribute, default=list)
    question = UnicodeAttribute()
    patron_name = UnicodeAttribute(null=True)
    patron_email = UnicodeAttribute(null=True)
    session_id = UnicodeAttribute(null=True)  # the transcript this question links to
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    # wrap-up, set by the chat's librarian
    resolution = UnicodeAttribute(null=True)
    resolution_status = UnicodeAttribute(null=True)  # the status the resolution code decides
    descriptive: ListAttribute[Any] = ListAttribute(of=UnicodeAttribute, null=True)
    in_analytics = BooleanAttribute(default=True)
    closed_by = UnicodeAttribute(null=True)  # closed from the question list while the chat was live
    # follow-up done in the question list, appended atomically (list_append): none is lost
    activity: ListAttribute[ActivityEntry] = ListAttribute(of=ActivityEntry, default=list)
    in_progress = UnicodeAttribute(null=True)
    in_progress_until = UnicodeAttribute(null=True)
    served_by_library = UnicodeAttribute(null=True)
    served_for_partner = UnicodeAttribute(null=True)  # = served_by_library when not the patron's library

    by_library = QuestionsByLibrary()
    served_for_partners = QuestionsServedForPartners()
    by_status = QuestionsByStatus()
    being_finished = QuestionsInProgress()


_dynamo: DynamoConnection | None = None


def transaction() -> TransactWrite:
    """One TransactWriteItems request, over a connection shared by the whole process."""
    global _dynamo
    if _dynamo is None:
        _dynamo = DynamoConnection()
    return TransactWrite(connection=_dynamo)


ALL_MODELS: tuple[type[Model], ...] = (
    Library,
    Staff,
    Connection,
    Monitor,
    ChatSession,
    Message,
    Question,
)
