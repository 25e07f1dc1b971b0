"""The end of a chat, librarian side: codes, internal notes, tickets (QuestionPoint's and
LibChat's wrap-up).

The chat's own librarian may do these, during or after the chat, and so may an admin of
the patron's library; nobody else (another library's chat is not theirs to code).
"""

from __future__ import annotations

from ..data import access
from ..data.models import ChatSession, Connection
from ..domain import codes, messages, questions, reports
from ..errors import BadRequest, Forbidden
from ..statuses import Kind
from ..wire import actions as wire
from ..wire.events import Ack, QuestionSubmitted
from .caller import Caller


def _wrapping_up(caller: Caller, session_id: str) -> tuple[Connection, ChatSession]:
    librarian = caller.librarian()
    session = access.session(session_id)
    is_admin_here = librarian.is_admin and librarian.library == session.library
    in_chat = caller.connection_id in session.staff_connection_ids()
    if not (session.librarian == librarian.librarian or is_admin_here or in_chat):
        raise Forbidden("Only the chat's librarian, or an admin of its library, may wrap it up.")
    return librarian, session


def set_codes(caller: Caller, request: wire.SetCodes) -> None:
    _, session = _wrapping_up(caller, request.session_id)
    library = access.library(session.library)
    lists = codes.lists_of(library)
    status = lists.resolution_status(request.resolution)
    if status is None:
        raise BadRequest(f"'{request.resolution}' is not one of {library.name}'s resolution codes.")
    unknown = lists.unknown_descriptive(request.descriptive)
    if unknown:
        raise BadRequest(f"Not among {library.name}'s descriptive codes: {', '.join(unknown)}.")
    descriptive = list(dict.fromkeys(request.descriptive))
    questions.set_codes(session, request.resolution, status, descriptive, request.analytics)
    reports.recount(session.session_id)  # an ended chat's report counts the codes at once


def internal_note(caller: Caller, request: wire.InternalNote) -> None:
    """A note kept with the transcript, also after the chat has ended; librarians only."""
    librarian, session = _wrapping_up(caller, request.session_id)
    author = messages.librarian(librarian.librarian or "", librarian.name)
    appended = messages.post(session, author, request.text, Kind.NOTE, ref=caller.ref, require_live=False)
    caller.reply(Ack(seq=appended.seq))


def create_ticket(caller: Caller, request: wire.CreateTicket) -> None:
    """A follow-up question in the patron's library's list, linked to this chat's transcript."""
    librarian, session = _wrapping_up(caller, request.session_id)
    note = (
        [questions.activity("note", request.note, librarian.librarian or "", librarian.name)]
        if request.note
        else []
    )
    ticket = questions.new_question(
        library=session.library,
        source="ticket",
        status="open",
        question=session.question,
        name=session.patron_name,
        email=session.patron_email,
        session_id=session.session_id,
        history=note,
        served_by=session.served_by_library,
        keep_for=access.library(session.library),
    )
    ticket.save()
    caller.reply(QuestionSubmitted(question_id=ticket.question_id))
