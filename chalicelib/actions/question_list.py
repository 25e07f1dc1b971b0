"""The question list (QuestionPoint's Ask a Librarian module) over REST: list, read, and act.

A librarian works on their own library's list, and on the questions of chats their library's
librarians served for a cooperative partner's patrons (so the librarian who served a chat
can follow it up, and so can their colleagues); the patron's library sees those too. Acting
on a question whose chat is still live
also shows in the chat, as QuestionPoint's users asked: an answer as a message of kind
`answer` to everyone, notes and messages to librarians as librarian notes, a close as a note
(the chat goes on).
"""

from __future__ import annotations

from typing import Any

from .. import serialize
from ..data import access
from ..data.models import ChatSession, Question
from ..domain import mail, messages, privacy, questions
from ..domain.auth import Librarian
from ..domain.codes import QUESTION_STATUSES
from ..errors import BadRequest, Forbidden
from ..statuses import LIVE, Kind
from ..wire import cursors
from ..wire.rest import QuestionDetail, QuestionPage, QuestionQuery, QuestionSummary, TextBody

MAX_PAGE_SIZE = 100
STATUSES = ("live", *QUESTION_STATUSES)
ACTIVITY_NOTE = {"note": "Librarian note", "librarian_message": "Message to the chat's librarian"}


def _own(librarian: Librarian, question: Question) -> None:
    if librarian.library not in (question.library, question.served_by_library):
        raise Forbidden("That question is in another library's list.")


def list_questions(librarian: Librarian, query: QuestionQuery) -> QuestionPage:
    """Newest first, a page at a time."""
    library = query.library or librarian.library
    if library != librarian.library:
        raise Forbidden("You may list your own library's questions only.")
    if query.status and query.status not in STATUSES:
        raise BadRequest(f"status must be one of {', '.join(STATUSES)}.")
    size = min(query.limit, MAX_PAGE_SIZE)
    results = access.questions_page(
        library,
        query.status,
        query.label,
        size,
        cursors.decode(query.cursor),
        served_for_partners=query.served_for_partners,
    )
    items = [serialize.question_summary(question) for question in results]
    return QuestionPage(
        questions=items, next=cursors.encode(results.last_evaluated_key if len(items) == size else None)
    )


def get_question(librarian: Librarian, question_id: str) -> QuestionDetail:
    question = access.question(question_id)
    _own(librarian, question)
    session = access.session(question.session_id) if question.session_id else None
    found = messages.history(session.session_id, for_staff=True) if session else []
    return serialize.question_detail(question, session, found)


def _open(librarian: Librarian, question_id: str) -> tuple[Question, ChatSession | None]:
    """The librarian's own question, and its chat if that chat is still live."""
    question = access.question(question_id)
    _own(librarian, question)
    if question.status != "live" or not question.session_id:
        return question, None
    session = access.session(question.session_id)
    return question, session if session.status in LIVE else None


def _post_to_chat(live: ChatSession, librarian: Librarian, text: str, kind: Kind) -> None:
    messages.post(live, messages.librarian(librarian.email, librarian.name), text, kind)


def _room(question: Question, librarian: Librarian, kind: str, text: str) -> None:
    """Refuse (too_large) before anything is done if the activity list is full."""
    questions.room_for(question, questions.activity(kind, text, librarian.email, librarian.name))


def _record(question: Question, librarian: Librarian, kind: str, text: str, *extra: Any) -> QuestionSummary:
    questions.record_activity(question, kind, text, librarian.email, librarian.name, *extra)
    return serialize.question_summary(question)


def answer(librarian: Librarian, body: TextBody, question_id: str) -> QuestionSummary:
    question, live = _open(librarian, question_id)
    if not question.patron_email and live is None:
        raise BadRequest("This question has no e-mail address and no chat in progress to answer in.")
    _room(question, librarian, "answer", body.text)
    if live is not None:
        _post_to_chat(live, librarian, body.text, Kind.ANSWER)
    if question.patron_email:
        library = access.library(question.library)
        mail.send_answer(question.patron_email, library.name, question.question, body.text, librarian.name)
    extra = [] if live is not None else questions.status_actions(question, "answered")
    return _record(question, librarian, "answer", body.text, *extra)


def note(librarian: Librarian, body: TextBody, question_id: str, kind: str) -> QuestionSummary:
    """A note (`note`) or a message to the chat's librarian (`librarian_message`)."""
    question, live = _open(librarian, question_id)
    _room(question, librarian, kind, body.text)
    if live is not None:
        _post_to_chat(
            live, librarian, f"{ACTIVITY_NOTE[kind]} from the question list: {body.text}", Kind.NOTE
        )
    return _record(question, librarian, kind, body.text)


def close(librarian: Librarian, question_id: str) -> QuestionSummary:
    """Close a question. On a live chat the chat goes on; the question reads closed when it
    ends unless the chat's librarian sets a resolution code, which decides instead."""
    question, live = _open(librarian, question_id)
    if live is None:
        return _record(question, librarian, "close", "Closed", *questions.status_actions(question, "closed"))
    text = (
        f"{librarian.name} closed this question from the question list. The chat goes on; "
        "set a resolution code to decide its status."
    )
    _post_to_chat(live, librarian, text, Kind.NOTE)
    return _record(
        question,
        librarian,
        "close",
        "Closed while the chat was live",
        Question.closed_by.set(librarian.email),
    )


def forget_patron(librarian: Librarian, question_id: str) -> QuestionSummary:
    """`DELETE /questions/{id}/patron-data`: an admin of the question's library removes its
    patron's name, e-mail and page at once, from the question and its chat, as the
    purge_personal_data job does when the library's retention has passed."""
    question = access.question(question_id)
    if not (librarian.is_admin and librarian.library == question.library):
        raise Forbidden("Only an admin of the patron's library may remove the patron's data.")
    return serialize.question_summary(privacy.forget_now(question))
