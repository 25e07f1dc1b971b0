"""A chat from request to end: request_chat, accept, send_message, typing, end_chat."""

from __future__ import annotations

import uuid

from pynamodb.exceptions import UpdateError

from . import (
    clock,
    delivery,
    directory,
    mail,
    observability,
    patron_token,
    presence,
    questions,
    queue,
    transcript,
    views,
    wire,
)
from .caller import Caller
from .data import access
from .data.access import LIVE_STATUSES
from .data.models import ChatSession, Connection, transaction
from .errors import AlreadyAccepted, BadRequest, Forbidden, RateLimited, SessionEnded
from .transcript import SYSTEM, Author

CONNECTING = (
    "Thanks for your question. We are connecting you to a librarian. While you wait, add any "
    "detail that would help: what it is for, and what you have already tried."
)
ENDED = {
    "patron": "The patron ended the chat.",
    "librarian": "{librarian} ended the chat.",
    "disconnect": "The chat ended because the patron did not reconnect.",
    "exit": "{librarian} has left the service, so this chat has ended.",
}


# --- who is in a chat ---------------------------------------------------------------------------


def author_in(session: ChatSession, caller: Caller, token: str | None) -> Author:
    """The caller's part in this chat, from the session item alone (no extra read)."""
    if caller.connection_id == session.patron_connection:
        return Author("patron", session.patron_name, "patron")
    if token is not None:
        if patron_token.matches(session, token):
            return Author("patron", session.patron_name, "patron")
        raise Forbidden("That patron token is not for this chat.")
    email = session.staff_connections.as_dict().get(caller.connection_id)
    if email is not None:
        return Author("librarian", session.staff_names.as_dict().get(email), email)
    raise Forbidden("You are not in this chat.")


# --- actions ----------------------------------------------------------------------------------


def request_chat(caller: Caller, request: wire.RequestChat) -> None:
    patron = caller.patron()
    library = access.library(request.library)
    availability = directory.availability(library)
    if not availability.available:
        caller.reply(
            wire.ChatUnavailable(message=availability.message, alternatives=availability.alternatives)  # type: ignore[arg-type]
        )
        return
    if not presence.count_request(patron):
        raise RateLimited("Too many requests from this window; wait a minute and try again.")
    session_id = uuid.uuid4().hex
    token, token_hash = patron_token.issue(session_id)
    now = clock.iso(clock.now())
    session = ChatSession(
        session_id=session_id,
        library=library.library_id,
        status="waiting",
        question=request.question,
        patron_name=request.name or None,
        patron_email=request.email,
        patron_token_hash=token_hash,
        page_url=request.page_url,
        created_at=now,
        patron_connection=caller.connection_id,
        waiting_queue=library.library_id,
        live_library=library.library_id,
    )
    session.question_id = session.session_id
    patron_author = Author("patron", session.patron_name, "patron")
    messages = transcript.first_messages(
        session, [(patron_author, "chat", request.question), (SYSTEM, "system", CONNECTING)]
    )
    session.last_seq = len(messages)
    with transaction() as writes:
        writes.save(session, condition=ChatSession.session_id.does_not_exist())
        writes.save(questions.for_chat(session))
        for message in messages:
            writes.save(message)
    patron.update(actions=[Connection.session_id.set(session.session_id)])
    observability.count("ChatsRequested")
    caller.reply(wire.ChatRequested(session_id=session.session_id, patron_token=token))
    for message in messages:
        delivery.send([caller.connection_id], views.message_event(message))
    queue.announce("added", session)


def accept(caller: Caller, request: wire.Accept) -> None:
    librarian = caller.librarian()
    session = access.session(request.session_id)
    if not directory.may_serve(librarian.library, session.library):
        raise Forbidden("That request is for a library you do not serve.")
    if session.status == "ended":
        raise SessionEnded("That request has ended.")
    taken_from = session.waiting_queue
    try:
        session.update(
            actions=[
                ChatSession.status.set("active"),
                ChatSession.librarian.set(librarian.librarian),
                ChatSession.accepted_at.set(clock.iso(clock.now())),
                ChatSession.staff_connections[librarian.connection_id].set(librarian.librarian),
                ChatSession.staff_names[librarian.librarian].set(librarian.name),
                ChatSession.open_librarian.set(librarian.librarian),
                ChatSession.waiting_queue.remove(),
            ],
            condition=(ChatSession.status == "waiting") & ChatSession.librarian.does_not_exist(),
        )
    except UpdateError:
        if access.session(request.session_id).status == "ended":
            raise SessionEnded("That request has ended.") from None
        raise AlreadyAccepted("Another librarian has already accepted this chat.") from None
    observability.count("ChatsAccepted")
    waited = clock.parse(session.accepted_at) - clock.parse(session.created_at)
    observability.seconds("WaitToAccept", waited.total_seconds())
    caller.reply(
        wire.Accepted(
            session=views.session_view(session, for_staff=True),
            messages=[views.message_view(m) for m in transcript.history(session.session_id, for_staff=True)],
        )
    )
    delivery.send([session.patron_connection], views.session_update(session))
    queue.announce("taken", session, taken_from)


def send_message(caller: Caller, request: wire.SendMessage) -> None:
    session = access.session(request.session_id)
    _post(caller, session, author_in(session, caller, request.patron_token), request.text, "chat")


def push_url(caller: Caller, request: wire.PushUrl) -> None:
    session = access.session(request.session_id)
    _post(caller, session, _librarian_in(session, caller), request.url, "url")


def note(caller: Caller, request: wire.Note) -> None:
    """A librarian note: shown to librarians in the chat, never to the patron."""
    session = access.session(request.session_id)
    _post(caller, session, _librarian_in(session, caller), request.text, "note")


def _post(caller: Caller, session: ChatSession, author: Author, text: str, kind: str) -> None:
    appended = post(session, author, text, kind, ref=caller.ref)
    caller.reply(wire.Ack(seq=appended.seq))


def post(
    session: ChatSession,
    author: Author,
    text: str,
    kind: str,
    *,
    ref: str | None = None,
    require_live: bool = True,
) -> transcript.Appended:
    """Append a message and relay it: notes to the chat's librarians only, the rest to all."""
    staff_only = kind == "note"
    appended = transcript.append(
        session, author, text, kind=kind, ref=ref, staff_only=staff_only, require_live=require_live
    )
    if not appended.duplicate:
        session = appended.session
        readers = session.staff_connection_ids() if staff_only else session.connection_ids()
        delivery.send(readers, views.message_event(appended.message))  # type: ignore[arg-type]
        if author.role != "system":
            observability.count("MessagesRelayed")
    return appended


def _librarian_in(session: ChatSession, caller: Caller) -> Author:
    author = author_in(session, caller, None)
    if author.role != "librarian":
        raise Forbidden("Only a librarian in this chat may do that.")
    return author


def typing(caller: Caller, request: wire.Typing) -> None:
    session = access.session(request.session_id)
    author = author_in(session, caller, request.patron_token)
    if session.status not in LIVE_STATUSES:
        raise SessionEnded("This chat has ended.")
    others = [c for c in session.connection_ids() if c != caller.connection_id]
    delivery.send(
        others,
        wire.TypingEvent(
            session_id=session.session_id,
            typing=request.typing,
            sender=wire.Sender(role=author.role, name=author.name),  # type: ignore[arg-type]
        ),
    )
    caller.reply(wire.Ack())


def end_chat(caller: Caller, request: wire.EndChat) -> None:
    session = access.session(request.session_id)
    author = author_in(session, caller, request.patron_token)
    end(session, "patron" if author.role == "patron" else "librarian", by_name=author.name)
    caller.reply(wire.Ack())


def close_chat(caller: Caller, request: wire.CloseChat) -> None:
    """An ended chat leaves the librarian's My Active tab."""
    librarian = caller.librarian()
    session = access.session(request.session_id)
    if session.librarian != librarian.librarian:
        raise Forbidden("Only the librarian who had this chat may close it.")
    if session.status != "ended":
        raise BadRequest("End the chat before closing it.")
    session.update(actions=[ChatSession.open_librarian.remove()])


def end(
    session: ChatSession, ended_by: str, *, by_name: str | None = None, close: bool = False
) -> ChatSession:
    """End a live chat once: tell everyone in it, file its question, mail its transcript.
    `close` also takes it out of its librarian's My Active tab, in the same write."""
    waited_in = session.waiting_queue if session.status == "waiting" else None
    try:
        session.update(
            actions=[
                *([ChatSession.open_librarian.remove()] if close else []),
                ChatSession.status.set("ended"),
                ChatSession.ended_by.set(ended_by),
                ChatSession.ended_at.set(clock.iso(clock.now())),
                ChatSession.waiting_queue.remove(),
                ChatSession.live_library.remove(),
                ChatSession.patron_away.remove(),
                ChatSession.patron_back_by.remove(),
                ChatSession.librarian_away.remove(),
                ChatSession.librarian_back_by.remove(),
            ],
            condition=ChatSession.status.is_in(*LIVE_STATUSES),
        )
    except UpdateError:
        raise SessionEnded("This chat has already ended.") from None
    observability.count("ChatsEnded")
    text = ENDED[ended_by].format(librarian=by_name or "The librarian")
    session = post(session, SYSTEM, text, "system", require_live=False).session
    delivery.send(session.connection_ids(), views.session_update(session))
    if waited_in:
        queue.announce("removed", session, waited_in)
    questions.chat_ended(session)
    library = access.library(session.library)
    mail.send_transcript_once(session, library.name, transcript.history(session.session_id, for_staff=False))
    return session
