"""Named access patterns: every read the service makes, each a GetItem or a Query.

Nothing here Scans. A reader who wants to know how a screen or a job finds its data finds
it here, by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pynamodb.pagination import ResultIterator

from ..errors import BadRequest, NotFound
from ..statuses import Role
from .models import (
    LIBRARIAN_AWAY,
    OFFER_DUE,
    PATRON_AWAY,
    PURGE_DUE,
    ROUTING_DUE,
    ChatSession,
    Connection,
    Library,
    LibraryText,
    Message,
    MessageRef,
    Monitor,
    Question,
    ReportDay,
    ReportRow,
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


def libraries(library_ids: list[str]) -> list[Library]:
    """Several libraries in one BatchGetItem (of at most 100), in no particular order."""
    return list(Library.batch_get(library_ids[:100])) if library_ids else []


def cooperative_members(cooperative: str) -> list[str]:
    return [row.library_id for row in Library.by_cooperative.query(cooperative)]


def staff_member(email: str) -> Staff | None:
    if not email:
        return None  # names no item (and DynamoDB refuses an empty key)
    try:
        return Staff.get(email.lower())
    except Staff.DoesNotExist:
        return None


def staff_of(library_id: str) -> list[Staff]:
    """A library's staff, by e-mail: names, roles and states from `library-index`, no hashes."""
    return list(Staff.by_library.query(library_id))


def throttle(key: str, *, consistent: bool = False) -> Throttle | None:
    try:
        return Throttle.get(key, consistent_read=consistent)
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


def _whole(found: Iterator[ChatSession]) -> list[ChatSession]:
    """The chats a keys-only index named, read whole and consistently (BatchGetItem, 100 a
    request), in the index's order; one that is gone meanwhile is left out."""
    order = [session.session_id for session in found]
    if not order:
        return []
    read = {s.session_id: s for s in ChatSession.batch_get(order, consistent_read=True)}
    return [read[session_id] for session_id in order if session_id in read]


def waiting_requests(queue: str) -> list[ChatSession]:
    """A queue's line, oldest first, as whole chats (the New tab)."""
    return _whole(ChatSession.waiting.query(queue))


def waiting_line(queue: str) -> list[ChatSession]:
    """A queue's line, oldest first, as the index holds it: each request's `session_id`,
    `created_at` and `patron_connection` only (places in line)."""
    return list(ChatSession.waiting.query(queue))


def place_in_line(queue: str, created_at: str) -> int:
    """How many requests wait in `queue` made at or before `created_at` (a counting Query)."""
    return ChatSession.waiting.count(queue, ChatSession.created_at <= created_at)


def live_sessions(library_id: str) -> list[ChatSession]:
    return _whole(ChatSession.live.query(library_id))


def open_sessions_of(librarian: str) -> list[ChatSession]:
    """The librarian's My Active tab: chats they own until they close them."""
    return _whole(ChatSession.open_for_librarian.query(librarian))


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


def questions_due_for_purge(now: str, limit: int) -> list[str]:
    """Ids of at most `limit` questions whose patron's personal data was due to go by `now`,
    the longest overdue first."""
    rows = Question.due_for_purge.query(PURGE_DUE, Question.purge_after <= now, limit=limit)
    return [row.question_id for row in rows]


def connections_opened_before(role: str, before: str) -> list[str]:
    """Ids of sockets of this role opened before `before`: the sweep's candidates."""
    return [row.connection_id for row in Connection.by_age.query(role, Connection.connected_at <= before)]


def messages_after(session_id: str, after_seq: int = 0, *, staff: bool) -> list[Message]:
    condition = Message.staff_only == False if not staff else None  # noqa: E712
    return list(Message.query(session_id, Message.seq > after_seq, filter_condition=condition))


# A page of a transcript read newest first: enough, at the usual sizes, to fill a reply.
MESSAGES_PAGE = 100


def messages_newest_first(
    session_id: str, *, after_seq: int = 0, before_seq: int | None = None, staff: bool
) -> Iterator[Message]:
    """The messages with after_seq < seq < before_seq, newest first, read a page at a time as
    they are consumed (a reader that stops early reads no further pages)."""
    condition = Message.staff_only == False if not staff else None  # noqa: E712
    if before_seq is not None and before_seq <= after_seq + 1:
        return iter(())
    in_range = (
        Message.seq > after_seq if before_seq is None else Message.seq.between(after_seq + 1, before_seq - 1)
    )
    return iter(
        Message.query(
            session_id,
            in_range,
            filter_condition=condition,
            scan_index_forward=False,
            page_size=MESSAGES_PAGE,
        )
    )


def ref_seq(session_id: str, ref: str) -> int | None:
    """The seq a client's ref (`"<author>:<ref>"`) took in this chat, if it was used."""
    try:
        return int(MessageRef.get(session_id, ref, consistent_read=True).seq)
    except MessageRef.DoesNotExist:
        return None


def named_patron_messages(session_id: str) -> list[Message]:
    """The messages of a chat its patron wrote that still carry the patron's name (a Query
    of the chat's messages, filtered)."""
    condition = (Message.from_role == Role.PATRON) & Message.from_name.exists()
    return list(Message.query(session_id, filter_condition=condition))


def question(question_id: str, *, consistent: bool = False) -> Question:
    try:
        return Question.get(question_id, consistent_read=consistent)
    except Question.DoesNotExist:
        raise NotFound("There is no such question.") from None


def _page_key_fits(key: dict[str, Any], index_key: str, partition: str) -> bool:
    """A question-list index's last evaluated key: the table's and the index's keys, each a
    string DynamoDB would take as a key value, the partition the one being read."""
    if set(key) != {"question_id", index_key, "created_at"}:
        return False
    for value in key.values():
        text = value.get("S") if isinstance(value, dict) and len(value) == 1 else None
        if not isinstance(text, str) or not text or len(text.encode("utf-8", "replace")) > 1024:
            return False
        if not text.isprintable() and any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            return False  # a lone surrogate: no request can carry it
    return bool(key[index_key]["S"] == partition)


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
    on `served-index`). `start` (a page's last key, as a client sent it back) must have the
    read index's shape and this list's partition: BadRequest otherwise, never a Query that
    DynamoDB refuses."""
    index_key = "served_for_partner" if served_for_partners else "library_status" if status else "library"
    partition = f"{library}#{status}" if status and not served_for_partners else library
    if start is not None and not _page_key_fits(start, index_key, partition):
        raise BadRequest("That cursor is not one this list gave out.")
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


def report_row(library: str, row_key: str) -> ReportRow | None:
    """A chat's row in its library's report, read consistently: its revision guards the next
    change (data/report_counts.py)."""
    try:
        return ReportRow.get(library, row_key, consistent_read=True)
    except ReportRow.DoesNotExist:
        return None


def report_days(library: str, first: str, last: str) -> list[ReportDay]:
    """A library's day counters from `first` to `last` (dates, inclusive): one Query, a page
    per megabyte."""
    return list(ReportDay.query(library, ReportDay.day.between(first, last)))


def report_rows(
    library: str, first: str, last: str, size: int, start: dict[str, Any] | None
) -> ResultIterator[ReportRow]:
    """A page of a library's counted chats made from `first` to `last` (dates, inclusive),
    oldest first."""
    return ReportRow.query(
        library,
        ReportRow.row_key.between(first, f"{last}~"),  # "~" sorts after every time of that day
        filter_condition=ReportRow.counted == True,  # noqa: E712
        limit=size,
        page_size=size,
        last_evaluated_key=start,
    )
