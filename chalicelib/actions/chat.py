"""A chat from request to end, as its patron and librarians ask: request_chat, accept,
send_message, push_url, note, typing, end_chat, close_chat."""

from __future__ import annotations

from .. import notify, serialize
from ..data import access, sessions
from ..data.models import ChatSession
from ..domain import chats, directory, messages, patron_token, rate_limit, routing
from ..domain.messages import Author
from ..errors import BadRequest, Forbidden, SessionEnded
from ..statuses import IN_PROGRESS, LIVE, EndedBy, Kind, Role, Status
from ..wire import actions as wire
from ..wire.events import Accepted, Ack, ChatRequested, ChatUnavailable
from .caller import Caller


def author_in(session: ChatSession, caller: Caller, token: str | None) -> Author:
    """The caller's part in this chat, from the session item alone (no extra read)."""
    if caller.connection_id == session.patron_connection:
        return messages.patron(session)
    if token is not None:
        if patron_token.matches(session, token):
            return messages.patron(session)
        raise Forbidden("That patron token is not for this chat.")
    email = session.staff_connections.as_dict().get(caller.connection_id)
    if email is not None:
        return messages.librarian(email, session.name_of(email))
    raise Forbidden("You are not in this chat.")


def librarian_in(session: ChatSession, caller: Caller) -> Author:
    author = author_in(session, caller, None)
    if author.role != Role.LIBRARIAN:
        raise Forbidden("Only a librarian in this chat may do that.")
    return author


def request_chat(caller: Caller, request: wire.RequestChat) -> None:
    patron = caller.patron()
    library = access.library(request.library)
    availability = directory.availability(library)
    if not availability.available:
        caller.reply(ChatUnavailable(message=availability.message, alternatives=availability.alternatives))
        return
    rate_limit.ask(patron, "chat")
    opened = chats.open_chat(
        patron,
        library.library_id,
        request.question,
        name=request.name or None,
        email=request.email,
        page_url=request.page_url,
    )
    caller.reply(
        ChatRequested(
            session_id=opened.session.session_id, patron_token=opened.patron_token, position=opened.position
        )
    )
    chats.announce_opened(opened)


def accept(caller: Caller, request: wire.Accept) -> None:
    """Take a waiting request, or a chat a colleague has offered this librarian."""
    librarian = caller.librarian()
    session = access.session(request.session_id)
    if not directory.may_serve(librarian.library or "", session.library):
        raise Forbidden("That request is for a library you do not serve.")
    if session.status == Status.ENDED:
        raise SessionEnded("That request has ended.")
    if session.offer_to and session.offer_to == librarian.librarian and session.status in IN_PROGRESS:
        session = chats.take_over(session, librarian)
    else:
        if session.status == Status.WAITING and not routing.offered_to(session, librarian.library or ""):
            raise Forbidden(
                "That request is still with its own library's librarians; it comes to the "
                "cooperative if they cannot take it."
            )
        session = chats.accept(session, librarian)
    view = serialize.session_view(session, for_staff=True)
    caller.reply(
        serialize.with_messages(
            lambda found, more: Accepted(session=view, messages=found, more_before=more),
            messages.newest_first(session.session_id, for_staff=True),
        )
    )


def send_message(caller: Caller, request: wire.SendMessage) -> None:
    session = access.session(request.session_id)
    _post(caller, session, author_in(session, caller, request.patron_token), request.text, Kind.CHAT)


def push_url(caller: Caller, request: wire.PushUrl) -> None:
    session = access.session(request.session_id)
    _post(caller, session, librarian_in(session, caller), request.url, Kind.URL)


def note(caller: Caller, request: wire.Note) -> None:
    """A librarian note: shown to librarians in the chat, never to the patron."""
    session = access.session(request.session_id)
    _post(caller, session, librarian_in(session, caller), request.text, Kind.NOTE)


def _post(caller: Caller, session: ChatSession, author: Author, text: str, kind: Kind) -> None:
    appended = messages.post(session, author, text, kind, ref=caller.ref)
    caller.reply(Ack(seq=appended.seq))


def typing(caller: Caller, request: wire.Typing) -> None:
    session = access.session(request.session_id)
    author = author_in(session, caller, request.patron_token)
    if session.status not in LIVE:
        raise SessionEnded("This chat has ended.")
    if author.role == Role.PATRON:
        rate_limit.typing(caller.connection_id)
    notify.typing(session, author.role, author.name, request.typing, skip=caller.connection_id)


def end_chat(caller: Caller, request: wire.EndChat) -> None:
    session = access.session(request.session_id)
    author = author_in(session, caller, request.patron_token)
    ended_by = EndedBy.PATRON if author.role == Role.PATRON else EndedBy.LIBRARIAN
    chats.end(session, ended_by, by_name=author.name)


def close_chat(caller: Caller, request: wire.CloseChat) -> None:
    """An ended chat leaves the librarian's My Active tab."""
    librarian = caller.librarian()
    session = access.session(request.session_id)
    if session.librarian != librarian.librarian:
        raise Forbidden("Only the librarian who had this chat may close it.")
    if session.status != Status.ENDED:
        raise BadRequest("End the chat before closing it.")
    sessions.close(session)
