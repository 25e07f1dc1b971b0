"""Named access patterns: every read the service makes, each a GetItem or a Query.

Nothing here Scans. A reader who wants to know how a screen or a job finds its data finds
it here, by name.
"""

from __future__ import annotations

from typing import Any

from pynamodb.pagination import ResultIterator

from ..errors import NotFound
from .models import (
    LIBRARIAN_AWAY,
    OFFER_DUE,
    PATRON_AWAY,
    ROUTING_DUE,
    ChatSession,
    Connection,
    Library,
    LibraryText,
    Message,
    Monitor,
    Question,
    Staff,
    Throttle,
)


def library(library_id: str) -> Library:
    try:
        return Library.get(library_id)
    except Library.DoesNotExist:
        raise NotFound(f"There is no library '{library_id}'.") from None


def library_text(library_id: str, kind: str) -> LibraryText | None:
    """A library's policy sections or canned messages (`kind`), or None if never saved."""
    try:
        return LibraryText.get(library_id, kind)
    except LibraryText.DoesNotExist:
        return None


def cooperative_members(cooperative: str) -> list[str]:
    return [row.library_id for row in Library.by_cooperative.query(cooperative)]


def staff_member(email: str) -> Staff | None:
    try:
        return Staff.get(email.lower())
    except Staff.DoesNotExist:
        return None


def staff_of(library_id: str) -> list[Staff]:
    """A library's staff, by e-mail: names, roles and states from `library-index`, no hashes."""
    return list(Staff.by_library.query(library_id))


def throttle(key: str) -> Throttle | None:
    try:
        return Throttle.get(key)
    except Throttle.DoesNotExist:
        return None


def connection(connection_id: str) -> Connection | None:
    try:
        return Connection.get(connection_id)
    except Connection.DoesNotExist:
        return None


def monitors_of(queue: str) -> list[Monitor]:
    return list(Monitor.query(queue))


def anyone_monitoring(queue: str, *, of_library: str | None = None) -> bool:
    """Whether any socket (of a librarian of `of_library`, when given) watches `queue`."""
    if of_library is None:
        return any(True for _ in Monitor.query(queue, limit=1))
    return any(True for _ in Monitor.query(queue, filter_condition=Monitor.library == of_library))


def roster(key: str) -> list[Monitor]:
    """Every monitoring socket in a cooperative's (or a lone library's) roster."""
    return list(Monitor.query(key))


def sockets_of(librarian: str) -> list[str]:
    """Ids of every open socket of this librarian."""
    return [row.connection_id for row in Connection.by_librarian.query(librarian.lower())]


def session(session_id: str) -> ChatSession:
    """A strongly consistent read: the session item is the lock for everything done to a chat."""
    try:
        return ChatSession.get(session_id, consistent_read=True)
    except ChatSession.DoesNotExist:
        raise NotFound("There is no such chat.") from None


def waiting_requests(queue: str) -> list[ChatSession]:
    """A queue's line, oldest first."""
    return list(ChatSession.waiting.query(queue))


def place_in_line(queue: str, created_at: str) -> int:
    """How many requests wait in `queue` made at or before `created_at` (a counting Query)."""
    return ChatSession.waiting.count(queue, ChatSession.created_at <= created_at)


def live_sessions(library_id: str) -> list[ChatSession]:
    return list(ChatSession.live.query(library_id))


def open_sessions_of(librarian: str) -> list[ChatSession]:
    """The librarian's My Active tab: chats they own until they close them."""
    return list(ChatSession.open_for_librarian.query(librarian))


def chats_past_patron_grace(now: str) -> list[str]:
    """Ids of chats whose patron was due back by `now` and is not."""
    rows = ChatSession.awaiting_patron.query(PATRON_AWAY, ChatSession.patron_back_by <= now)
    return [row.session_id for row in rows]


def chats_past_librarian_grace(now: str) -> list[str]:
    """Ids of chats whose librarian was due back by `now` and is not."""
    rows = ChatSession.awaiting_librarian.query(LIBRARIAN_AWAY, ChatSession.librarian_back_by <= now)
    return [row.session_id for row in rows]


def requests_due_for_routing(now: str) -> list[str]:
    """Ids of waiting requests due to be offered to the cooperative, or given up, by `now`."""
    rows = ChatSession.due_for_routing.query(ROUTING_DUE, ChatSession.routing_due_at <= now)
    return [row.session_id for row in rows]


def transfer_offers(until: str | None = None) -> list[str]:
    """Ids of chats with a transfer offer open (lapsing by `until`, when given). Offers last a
    minute, so this list is short."""
    condition = ChatSession.offer_expires_at <= until if until is not None else None
    return [row.session_id for row in ChatSession.offers_due.query(OFFER_DUE, condition)]


def questions_in_progress_until(now: str) -> list[tuple[str, str]]:
    """(id, deadline) of questions whose in_progress label is due to come off by `now`."""
    rows = Question.being_finished.query("in_progress", Question.in_progress_until <= now)
    return [(row.question_id, row.in_progress_until) for row in rows]


def connections_opened_before(role: str, before: str) -> list[str]:
    """Ids of sockets of this role opened before `before`: the sweep's candidates."""
    return [row.connection_id for row in Connection.by_age.query(role, Connection.connected_at <= before)]


def messages_after(session_id: str, after_seq: int = 0, *, staff: bool) -> list[Message]:
    condition = Message.staff_only == False if not staff else None  # noqa: E712
    return list(Message.query(session_id, Message.seq > after_seq, filter_condition=condition))


def question(question_id: str) -> Question:
    try:
        return Question.get(question_id)
    except Question.DoesNotExist:
        raise NotFound("There is no such question.") from None


def questions_page(
    library: str,
    status: str | None,
    label: str | None,
    size: int,
    start: dict[str, Any] | None,
    *,
    served_for_partners: bool = False,
) -> ResultIterator[Question]:
    """A page of a library's question list, newest first: by status through `status-index`,
    otherwise through `library-index`; the questions of chats its librarians served for
    partners through `served-index`. A label filters whichever index is read (and a status,
    on `served-index`)."""
    options: dict[str, Any] = {
        "scan_index_forward": False,
        "limit": size,
        "page_size": size,
        "last_evaluated_key": start,
        "filter_condition": Question.labels.contains(label) if label else None,
    }
    if served_for_partners:
        if status:
            options["filter_condition"] = (
                (Question.status == status) & options["filter_condition"]
                if label
                else (Question.status == status)
            )
        return Question.served_for_partners.query(library, **options)
    if status:
        return Question.by_status.query(f"{library}#{status}", **options)
    return Question.by_library.query(library, **options)
