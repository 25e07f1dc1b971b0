"""Every change to a chat's state, each one named, each holding its own condition.

A chat's item carries sparse-index attributes that say which lists it is on: `waiting_queue`
(a queue's New tab), `live_library` (the ALL tab), `open_librarian` (My Active), and the
away marks the expire_reconnects job reads (`patron_away`/`patron_back_by`,
`librarian_away`/`librarian_back_by`). Only this module sets or removes them. Each change is
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
from .models import LIBRARIAN_AWAY, PATRON_AWAY, ChatSession, Message, transaction


def new(session_id: str, library: str, *, created_at: str, **fields: Any) -> ChatSession:
    """A new request, waiting in its library's queue and live in its library's ALL tab."""
    return ChatSession(
        session_id=session_id,
        library=library,
        status=Status.WAITING,
        created_at=created_at,
        question_id=session_id,
        waiting_queue=library,
        live_library=library,
        **fields,
    )


def create(session: ChatSession, *items: Model) -> None:
    """Write a new chat with what goes with it (its question, its first messages) at once."""
    with transaction() as writes:
        writes.save(session, condition=ChatSession.session_id.does_not_exist())
        for item in items:
            writes.save(item)


def accept(session: ChatSession, connection_id: str, librarian: str, name: str, now: str) -> None:
    """The first librarian to accept a waiting chat gets it; everyone after is told it is taken."""
    try:
        session.update(
            actions=[
                ChatSession.status.set(Status.ACTIVE),
                ChatSession.librarian.set(librarian),
                ChatSession.accepted_at.set(now),
                ChatSession.staff_connections[connection_id].set(librarian),
                ChatSession.staff_names[librarian].set(name),
                ChatSession.open_librarian.set(librarian),
                ChatSession.waiting_queue.remove(),
            ],
            condition=(ChatSession.status == Status.WAITING) & ChatSession.librarian.does_not_exist(),
        )
    except UpdateError:
        if access.session(session.session_id).status == Status.ENDED:
            raise SessionEnded("That request has ended.") from None
        raise AlreadyAccepted("Another librarian has already accepted this chat.") from None


def end(session: ChatSession, ended_by: EndedBy, now: str, *, close: bool = False) -> None:
    """End a live chat, once. `close` also takes it off its librarian's My Active tab."""
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
            ],
            condition=ChatSession.status.is_in(*LIVE),
        )
    except UpdateError:
        raise SessionEnded("This chat has already ended.") from None


def close(session: ChatSession) -> None:
    """An ended chat leaves its librarian's My Active tab."""
    session.update(actions=[ChatSession.open_librarian.remove()])


def requeue(session: ChatSession, to_queue: str) -> None:
    """An accepted chat goes back to waiting in `to_queue`, transcript intact, unless it has
    moved on (ended, or taken by someone else) since it was read."""
    try:
        session.update(
            actions=[
                ChatSession.status.set(Status.WAITING),
                ChatSession.waiting_queue.set(to_queue),
                ChatSession.librarian.remove(),
                ChatSession.accepted_at.remove(),
                ChatSession.open_librarian.remove(),
                ChatSession.staff_connections.set({}),
                ChatSession.librarian_away.remove(),
                ChatSession.librarian_back_by.remove(),
            ],
            condition=ChatSession.status.is_in(*IN_PROGRESS) & (ChatSession.librarian == session.librarian),
        )
    except UpdateError:
        raise ChatChanged("The chat changed while it was being moved; look again.") from None


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


def append(session: ChatSession, message: Message, ref_key: str | None, *, require_live: bool) -> None:
    """Put message n+1 beside the session's `last_seq` moving from n to n+1, in one
    transaction. ChatChanged if another writer took n+1 first (or, with `require_live`,
    the chat ended): re-read and try the next number."""
    condition = ChatSession.last_seq == session.last_seq
    if require_live:
        condition &= ChatSession.status.is_in(*LIVE)
    actions: list[Action] = [ChatSession.last_seq.set(message.seq)]
    if ref_key:
        actions.append(ChatSession.refs[ref_key].set(message.seq))
    try:
        with transaction() as writes:
            writes.update(session, actions=actions, condition=condition)
            writes.save(message, condition=Message.seq.does_not_exist())
    except TransactWriteError as error:
        reasons = getattr(error, "cancellation_reasons", None) or []
        if any(reason is not None and reason.code == "ConditionalCheckFailed" for reason in reasons):
            raise ChatChanged("Another message took that place.") from None
        raise
    session.last_seq = message.seq
    if ref_key:
        session.refs[ref_key] = message.seq


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
