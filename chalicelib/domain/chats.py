"""A chat's life: opened by a patron, accepted by the first librarian offered it, perhaps
passed to a colleague, ended once.

Each operation changes the chat through data.sessions and tells everyone concerned through
notify; the action handlers that call them have already checked who may.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple

from .. import clock, notify, observability
from ..data import access, sessions
from ..data.models import ChatSession, Connection, Message
from ..statuses import EndedBy, Kind, Status
from . import mail, messages, patron_token, questions, rate_limit, reports, routing
from .messages import SYSTEM

CONNECTING = (
    "Thanks for your question. We are connecting you to a librarian. While you wait, add any "
    "detail that would help: what it is for, and what you have already tried."
)
PARTNER = "A librarian from {library}, a partner of your library, is helping you."
PASSED_ON = "{old} has passed your chat to {new}, who will carry on from here."
TRANSFER_NOTE = "Transfer note from {old}: {note}"
# System messages speak to the patron (both sides read them; the monitor labels them so).
ENDED = {
    EndedBy.PATRON: "You ended the chat.",
    EndedBy.LIBRARIAN: "{librarian} ended the chat.",
    EndedBy.DISCONNECT: "The chat ended because you were disconnected for too long.",
    EndedBy.EXIT: "{librarian} has left the service, so this chat has ended.",
    EndedBy.UNANSWERED: "We are sorry: no librarian was free to take your chat.",
}


class Opened(NamedTuple):
    session: ChatSession
    patron_token: str
    messages: list[Message]
    position: int


def open_chat(
    patron: Connection,
    library: str,
    question: str,
    *,
    name: str | None,
    email: str | None,
    page_url: str | None,
) -> Opened:
    """A new request in its library's queue, with its question filed and its first messages
    written in the same transaction. Nobody hears of it until `announce_opened`, so the
    patron's reply (with their token) goes first."""
    now = clock.now()
    escalate_at, give_up_at = routing.deadlines(access.library(library), now)
    session_id = uuid.uuid4().hex
    source = rate_limit.source_key(patron.source_ip)
    rate_limit.hold_waiting_place(library, source, session_id, give_up_at)
    token, token_hash = patron_token.issue(session_id)
    session = sessions.new(
        session_id,
        library,
        created_at=clock.iso(now),
        escalate_at=escalate_at,
        give_up_at=give_up_at,
        question=question,
        patron_name=name,
        patron_email=email,
        patron_token_hash=token_hash,
        page_url=page_url,
        patron_connection=patron.connection_id,
        source_key=source,
    )
    first = messages.first_messages(
        session, [(messages.patron(session), Kind.CHAT, question), (SYSTEM, Kind.SYSTEM, CONNECTING)]
    )
    session.last_seq = len(first)
    try:
        sessions.create(session, questions.for_chat(session), *first)
    except Exception:
        rate_limit.release_waiting_place(session)  # it never waited
        raise
    patron.update(actions=[Connection.session_id.set(session.session_id)])
    observability.count("ChatsRequested")
    return Opened(session, token, first, routing.position(session))


def announce_opened(opened: Opened) -> None:
    """The patron sees the first messages; the queue's monitors see the request."""
    for message in opened.messages:
        notify.message(opened.session, message)
    notify.queue_update("added", opened.session)


def accept(session: ChatSession, librarian: Connection) -> ChatSession:
    """The librarian takes the request (AlreadyAccepted if someone was first). A partner
    library's librarian is introduced to the patron as such."""
    taken_from = session.waiting_in() or session.library
    first_librarian = session.accepted_at is None
    sessions.accept(
        session,
        librarian.connection_id,
        librarian.librarian or "",
        librarian.name or "",
        librarian.library or "",
        clock.iso(clock.now()),
    )
    if first_librarian:
        rate_limit.release_waiting_place(session)
    observability.count("ChatsAccepted")
    questions.served_by_partner(session)
    if session.accepted_at:
        waited = clock.parse(session.accepted_at) - clock.parse(session.created_at)
        observability.seconds("WaitToAccept", waited.total_seconds())
    if librarian.library and librarian.library != session.library:
        partner = access.library(librarian.library)
        session = messages.post(session, SYSTEM, PARTNER.format(library=partner.name), Kind.SYSTEM).session
    notify.session_update(session, skip=librarian.connection_id)
    notify.queue_update("taken", session, taken_from)
    notify.queue_positions(taken_from, session.created_at)
    return session


def take_over(session: ChatSession, librarian: Connection) -> ChatSession:
    """The colleague a chat was offered to takes it: the patron is told, the transfer note
    reaches the new librarian only, and the old librarian's sockets leave the chat."""
    note = session.offer_note
    old_sockets = [c for c, who in session.staff_connections.as_dict().items() if who == session.librarian]
    old_name = session.staff_names.as_dict().get(session.librarian or "") or "Your librarian"
    sessions.take_over(
        session,
        librarian.connection_id,
        librarian.librarian or "",
        librarian.name or "",
        librarian.library or "",
    )
    questions.served_by_partner(session)
    text = PASSED_ON.format(old=old_name, new=librarian.name or "a colleague")
    session = messages.post(session, SYSTEM, text, Kind.SYSTEM).session
    if note:
        author = messages.librarian(librarian.librarian or "", librarian.name)
        text = TRANSFER_NOTE.format(old=old_name, note=note)
        session = messages.post(session, author, text, Kind.NOTE, counted=False).session
    notify.session_update(session, skip=librarian.connection_id, also=old_sockets)
    return session


def end(
    session: ChatSession,
    ended_by: EndedBy,
    *,
    by_name: str | None = None,
    close: bool = False,
) -> ChatSession:
    """End a live chat once: tell everyone in it, file its question, mail its transcript.
    `close` also takes it off its librarian's My Active tab, in the same write. A request
    given up as unanswered ends only if it is still waiting (an accept may win the race)."""
    waited_in = session.waiting_in() if session.status == Status.WAITING else None
    never_taken = session.accepted_at is None
    only_waiting = ended_by == EndedBy.UNANSWERED
    sessions.end(session, ended_by, clock.iso(clock.now()), close=close, only_waiting=only_waiting)
    if never_taken:
        rate_limit.release_waiting_place(session)
    observability.count("ChatsEnded")
    text = ENDED[ended_by].format(librarian=by_name or "The librarian")
    session = messages.post(session, SYSTEM, text, Kind.SYSTEM, require_live=False).session
    notify.session_update(session)
    if waited_in:
        notify.queue_update("removed", session, waited_in)
        notify.queue_positions(waited_in, session.created_at)
    library = access.library(session.library)
    questions.chat_ended(session, library)
    reports.recount_quietly(session.session_id)
    mail.send_transcript_once(session, library.name, messages.history(session.session_id, for_staff=False))
    return session
