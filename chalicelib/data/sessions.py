"""Every change to a chat's state, each one named, each holding its own condition.

A chat's item carries sparse-index attributes that say which lists it is on: `waiting_queue`
(a queue's New tab), `live_library` (the ALL tab), `open_librarian` (My Active), the away
marks the expire_reconnects job reads (`patron_away`/`patron_back_by`,
`librarian_away`/`librarian_back_by`), the routing deadline the escalate_waiting job reads
(`routing_due`/`routing_due_at`) and a transfer offer's expiry (`offer_due`/`offer_expires_at`). Only this module sets or removes them. Each change is
one conditional write; when its condition fails the write changed nothing and a domain error
says why (`AlreadyAccepted`, `SessionEnded`, `ChatChanged`), so callers never spell a
condition and never see DynamoDB's exceptions.
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from ..errors import AlreadyAccepted, ChatChanged, SessionEnded
from ..statuses import IN_PROGRESS, LIVE, EndedBy, Status
from . import access
from .models import (
    LIBRARIAN_AWAY,
    OFFER_DUE,
    PATRON_AWAY,
    ROUTING_DUE,
    ChatSession,
    Message,
    MessageRef,
    transaction,
)


def new(
    session_id: str,
    library: str,
    *,
    created_at: str,
    escalate_at: str | None,
    give_up_at: str,
    **fields: Any,
) -> ChatSession:
    """A new request, waiting in its library's queue and live in its library's ALL tab, due
    to be offered to the cooperative at `escalate_at` (None: never; `created_at`: at once,
    and so it is born escalated) and given up at `give_up_at`."""
    escalated = escalate_at is not None and escalate_at <= created_at
    return ChatSession(
        session_id=session_id,
        library=library,
        status=Status.WAITING,
        created_at=created_at,
        question_id=session_id,
        waiting_queue=library,
        live_library=library,
        escalated=escalated,
        escalate_at=escalate_at,
        give_up_at=give_up_at,
        routing_due=ROUTING_DUE,
        routing_due_at=give_up_at if escalated or escalate_at is None else escalate_at,
        **fields,
    )


_NO_ROUTING: list[Action] = [
    ChatSession.routing_due.remove(),
    ChatSession.routing_due_at.remove(),
]
_NO_OFFER: list[Action] = [
    ChatSession.offer_to.remove(),
    ChatSession.offer_from.remove(),
    ChatSession.offer_note.remove(),
    ChatSession.offer_due.remove(),
    ChatSession.offer_expires_at.remove(),
]


def create(session: ChatSession, *items: Model) -> None:
    """Write a new chat with what goes with it (its question, its first messages) at once."""
    with transaction() as writes:
        writes.save(session, condition=ChatSession.session_id.does_not_exist())
        for item in items:
            writes.save(item)


def accept(
    session: ChatSession, connection_id: str, librarian: str, name: str, library: str, now: str
) -> None:
    """The first librarian to accept a waiting chat gets it; everyone after is told it is taken."""
    try:
        session.update(
            actions=[
                ChatSession.status.set(Status.ACTIVE),
                ChatSession.librarian.set(librarian),
                ChatSession.accepted_at.set(now),
                ChatSession.served_by_library.set(library),
                ChatSession.staff_connections[connection_id].set(librarian),
                ChatSession.staff_names.set({librarian: name}),  # only the owner's name is kept
                ChatSession.open_librarian.set(librarian),
                ChatSession.waiting_queue.remove(),
                *_NO_ROUTING,
            ],
            condition=(ChatSession.status == Status.WAITING) & ChatSession.librarian.does_not_exist(),
        )
    except UpdateError:
        if access.session(session.session_id).status == Status.ENDED:
            raise SessionEnded("That request has ended.") from None
        raise AlreadyAccepted("Another librarian has already accepted this chat.") from None


def end(
    session: ChatSession, ended_by: EndedBy, now: str, *, close: bool = False, only_waiting: bool = False
) -> None:
    """End a live chat, once. `close` also takes it off its librarian's My Active tab;
    `only_waiting` ends it only if nobody has accepted it (a give-up racing an accept)."""
    condition = ChatSession.status == Status.WAITING if only_waiting else ChatSession.status.is_in(*LIVE)
    try:
        session.update(
            actions=[
                *([ChatSession.open_librarian.remove()] if close else []),
                ChatSession.status.set(Status.ENDED),
                ChatSession.ended_by.set(ended_by),
                ChatSession.ended_at.set(now),
                ChatSession.waiting_queue.remove(),
                ChatSession.live_library.remove(),
                ChatSession.patron_away.remove(),
                ChatSession.patron_back_by.remove(),
                ChatSession.librarian_away.remove(),
                ChatSession.librarian_back_by.remove(),
                *_NO_ROUTING,
                *_NO_OFFER,
            ],
            condition=condition,
        )
    except UpdateError:
        raise SessionEnded("This chat has already ended, or been taken.") from None


def close(session: ChatSession) -> None:
    """An ended chat leaves its librarian's My Active tab."""
    session.update(actions=[ChatSession.open_librarian.remove()])


def requeue(
    session: ChatSession, to_queue: str, *, escalate_at: str | None, give_up_at: str, now: str
) -> None:
    """An accepted chat goes back to waiting in `to_queue`, transcript intact, unless it has
    moved on (ended, or taken by someone else) since it was read. Routing starts again, as
    for a new request in that queue."""
    escalated = escalate_at is not None and escalate_at <= now
    try:
        session.update(
            actions=[
                ChatSession.status.set(Status.WAITING),
                ChatSession.waiting_queue.set(to_queue),
                ChatSession.librarian.remove(),
                ChatSession.accepted_at.remove(),
                ChatSession.served_by_library.remove(),
                ChatSession.open_librarian.remove(),
                ChatSession.staff_connections.set({}),
                ChatSession.guests.set({}),
                ChatSession.librarian_away.remove(),
                ChatSession.librarian_back_by.remove(),
                ChatSession.escalated.set(escalated),
                ChatSession.give_up_at.set(give_up_at),
                ChatSession.routing_due.set(ROUTING_DUE),
                ChatSession.routing_due_at.set(
                    give_up_at if escalated or escalate_at is None else escalate_at
                ),
                *(
                    [ChatSession.escalate_at.set(escalate_at)]
                    if escalate_at
                    else [ChatSession.escalate_at.remove()]
                ),
                *_NO_OFFER,
            ],
            condition=ChatSession.status.is_in(*IN_PROGRESS) & (ChatSession.librarian == session.librarian),
        )
    except UpdateError:
        raise ChatChanged("The chat changed while it was being moved; look again.") from None


def escalate(session: ChatSession) -> None:
    """Offer a waiting request to the cooperative, once; its routing next acts at give-up.
    ChatChanged if it was taken, ended or already offered."""
    try:
        session.update(
            actions=[
                ChatSession.escalated.set(True),
                ChatSession.routing_due_at.set(session.give_up_at or session.created_at),
            ],
            condition=(ChatSession.status == Status.WAITING)
            & (ChatSession.escalated.does_not_exist() | (ChatSession.escalated == False)),  # noqa: E712
        )
    except UpdateError:
        raise ChatChanged("The request was taken, ended or offered already.") from None


def join(session: ChatSession, connection_id: str, librarian: str, name: str) -> None:
    """A librarian conferences into a chat in progress. ChatChanged if it is no longer."""
    try:
        session.update(
            actions=[
                ChatSession.staff_connections[connection_id].set(librarian),
                ChatSession.guests[librarian].set(name),
            ],
            condition=ChatSession.status.is_in(*IN_PROGRESS),
        )
    except UpdateError:
        raise ChatChanged("That chat is no longer in progress.") from None


def leave(session: ChatSession, librarian: str) -> None:
    """A conferenced librarian leaves, with every socket of theirs in the chat."""
    sockets = [c for c, who in session.staff_connections.as_dict().items() if who == librarian]
    try:
        session.update(
            actions=[
                ChatSession.guests[librarian].remove(),
                *(ChatSession.staff_connections[c].remove() for c in sockets),
            ],
            condition=ChatSession.guests[librarian].exists(),
        )
    except UpdateError:
        raise ChatChanged("You are not conferenced into that chat.") from None


def offer(session: ChatSession, to: str, note: str | None, expires_at: str) -> None:
    """The chat's librarian offers it to a named colleague until `expires_at`; a new offer
    replaces an earlier one. ChatChanged if the chat moved on meanwhile."""
    try:
        session.update(
            actions=[
                ChatSession.offer_to.set(to),
                ChatSession.offer_from.set(session.librarian),
                ChatSession.offer_note.set(note) if note else ChatSession.offer_note.remove(),
                ChatSession.offer_due.set(OFFER_DUE),
                ChatSession.offer_expires_at.set(expires_at),
            ],
            condition=ChatSession.status.is_in(*IN_PROGRESS) & (ChatSession.librarian == session.librarian),
        )
    except UpdateError:
        raise ChatChanged("The chat changed while it was being offered; look again.") from None


def take_over(session: ChatSession, connection_id: str, librarian: str, name: str, library: str) -> str:
    """The librarian a chat was offered to takes it: they own it now and its old librarian's
    sockets leave it (conferenced guests stay). Returns the old librarian's e-mail.
    ChatChanged if the offer was withdrawn, lapsed or the chat ended."""
    old = session.librarian or ""
    staff = {c: who for c, who in session.staff_connections.as_dict().items() if who != old}
    staff[connection_id] = librarian
    try:
        session.update(
            actions=[
                ChatSession.librarian.set(librarian),
                ChatSession.open_librarian.set(librarian),
                ChatSession.served_by_library.set(library),
                ChatSession.staff_connections.set(staff),
                ChatSession.staff_names.set({librarian: name}),  # only the owner's name is kept
                ChatSession.librarian_away.remove(),
                ChatSession.librarian_back_by.remove(),
                *_NO_OFFER,
            ],
            condition=ChatSession.status.is_in(*IN_PROGRESS) & (ChatSession.offer_to == librarian),
        )
    except UpdateError:
        raise ChatChanged("That offer is no longer open.") from None
    return old


def withdraw_offer(session: ChatSession, to: str) -> None:
    """The offer to `to` ends unanswered (declined, lapsed, or they went offline); the chat
    stays with its librarian. ChatChanged if it was no longer open."""
    try:
        session.update(actions=list(_NO_OFFER), condition=ChatSession.offer_to == to)
    except UpdateError:
        raise ChatChanged("That offer is no longer open.") from None


def patron_away(session: ChatSession, connection_id: str, back_by: str) -> None:
    """The patron's socket dropped: the chat waits for them until `back_by` (an active chat
    reads `reconnecting` meanwhile). ChatChanged if they came back or it ended first."""
    actions: list[Action] = [
        ChatSession.patron_connection.remove(),
        ChatSession.patron_away.set(PATRON_AWAY),
        ChatSession.patron_back_by.set(back_by),
    ]
    if session.status == Status.ACTIVE:
        actions.append(ChatSession.status.set(Status.RECONNECTING))
    try:
        session.update(
            actions=actions,
            condition=(ChatSession.patron_connection == connection_id)
            & (ChatSession.status == session.status),
        )
    except UpdateError:
        raise ChatChanged("The patron came back, or the chat ended, meanwhile.") from None


def patron_back(session: ChatSession, connection_id: str) -> bool:
    """Bind the patron's new socket to the chat and end their grace period; True if the chat
    came back from `reconnecting`. ChatChanged if its status moved since it was read."""
    revived = session.status == Status.RECONNECTING
    actions: list[Action] = [
        ChatSession.patron_connection.set(connection_id),
        ChatSession.patron_away.remove(),
        ChatSession.patron_back_by.remove(),
    ]
    if revived:
        actions.append(ChatSession.status.set(Status.ACTIVE))
    try:
        session.update(actions=actions, condition=ChatSession.status == session.status)
    except UpdateError:
        raise ChatChanged("The chat changed while the patron came back.") from None
    return revived


def librarian_socket_left(session: ChatSession, connection_id: str, back_by: str) -> bool:
    """A librarian's socket leaves the chat. When it was the last socket of the chat's
    librarian, the chat waits for them until `back_by`; True then. ChatChanged if the socket
    had already left."""
    staff = session.staff_connections.as_dict()
    owner = session.librarian
    still_here = any(c != connection_id and who == owner for c, who in staff.items())
    now_away = staff.get(connection_id) == owner and session.status in IN_PROGRESS and not still_here
    actions: list[Action] = [ChatSession.staff_connections[connection_id].remove()]
    if now_away:
        actions += [
            ChatSession.librarian_away.set(LIBRARIAN_AWAY),
            ChatSession.librarian_back_by.set(back_by),
        ]
    try:
        session.update(actions=actions, condition=ChatSession.staff_connections[connection_id].exists())
    except UpdateError:
        raise ChatChanged("That connection had already left the chat.") from None
    return now_away


def librarian_back(session: ChatSession, connection_id: str | None = None) -> bool:
    """The chat's librarian is in it again (on `connection_id`, when given); True if they had
    been marked away. ChatChanged if the chat ended meanwhile."""
    was_away = session.librarian_is_away()
    actions: list[Action] = []
    if connection_id is not None:
        actions.append(ChatSession.staff_connections[connection_id].set(session.librarian))
    if was_away:
        actions += [ChatSession.librarian_away.remove(), ChatSession.librarian_back_by.remove()]
    if not actions:
        return False
    try:
        session.update(actions=actions, condition=ChatSession.status.is_in(*LIVE))
    except UpdateError:
        raise ChatChanged("The chat ended meanwhile.") from None
    return was_away


class RefSeen(Exception):
    """An append's client ref has been used before: its message is written already, and
    `access.ref_seq` says which seq it took."""


def append(
    session: ChatSession,
    message: Message,
    ref: MessageRef | None,
    *,
    require_live: bool,
    patron_send_tat: int | None = None,
) -> None:
    """Put message n+1 (and the client's `ref` for it, if any) beside the session's `last_seq`
    moving from n to n+1, in one transaction. RefSeen if the ref was used before (nothing is
    written); ChatChanged if another writer took n+1 first (or, with `require_live`, the chat
    ended): re-read and try the next number. `patron_send_tat`, the patron's message bucket
    after this message (domain/rate_limit), is written under the same condition, so messages
    sent at once cannot all be paced from one read."""
    condition = ChatSession.last_seq == session.last_seq
    if require_live:
        condition &= ChatSession.status.is_in(*LIVE)
    try:
        with transaction() as writes:
            # TransactWriteItems lists puts before updates: the reasons for a cancellation come
            # back as [message, ref?, session].
            writes.save(message, condition=Message.seq.does_not_exist())
            if ref is not None:
                writes.save(ref, condition=MessageRef.ref.does_not_exist())
            actions: list[Action] = [ChatSession.last_seq.set(message.seq)]
            if patron_send_tat is not None:
                actions.append(ChatSession.patron_send_tat.set(patron_send_tat))
            writes.update(session, actions=actions, condition=condition)
    except TransactWriteError as error:
        failed = [
            reason is not None and reason.code == "ConditionalCheckFailed"
            for reason in getattr(error, "cancellation_reasons", None) or []
        ]
        if ref is not None and len(failed) > 1 and failed[1]:
            raise RefSeen(ref.ref) from None
        if any(failed):
            raise ChatChanged("Another message took that place.") from None
        raise
    session.last_seq = message.seq
    if patron_send_tat is not None:
        session.patron_send_tat = patron_send_tat


def claim_transcript(session: ChatSession, now: str) -> None:
    """Mark the transcript as being sent, once: ChatChanged if it already was."""
    try:
        session.update(
            actions=[ChatSession.transcript_sent_at.set(now)],
            condition=ChatSession.transcript_sent_at.does_not_exist(),
        )
    except UpdateError:
        raise ChatChanged("The transcript has already been sent.") from None


def release_transcript(session: ChatSession) -> None:
    """The send failed: let a retry claim it again."""
    session.update(actions=[ChatSession.transcript_sent_at.remove()])


def forget_patron(session: ChatSession, named: list[Message]) -> None:
    """Remove the patron's name from the messages they wrote (`named`), then their name,
    e-mail, page and network's digest (`source_key`) from the ended chat itself; the words
    and everything else stay. Each write can be made again harmlessly. ChatChanged if the
    chat is live."""
    for message in named:
        try:
            message.update(actions=[Message.from_name.remove()], condition=Message.seq.exists())
        except UpdateError:
            continue  # not there: nothing to remove
    try:
        session.update(
            actions=[
                ChatSession.patron_name.remove(),
                ChatSession.patron_email.remove(),
                ChatSession.page_url.remove(),
                ChatSession.source_key.remove(),
            ],
            condition=ChatSession.status == Status.ENDED,
        )
    except UpdateError:
        raise ChatChanged("The chat is still live.") from None
