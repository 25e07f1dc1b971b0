"""The question list (QuestionPoint's Ask a Librarian module) over REST: list, read, and act.

A librarian works on their own library's list. Acting on a question whose chat is still live
also shows in the chat (seed 003): an answer as a message of kind `answer` to everyone,
notes and messages to librarians as librarian notes, a close as a note (the chat goes on).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from . import auth, chat, mail, questions, views
from .codes import QUESTION_STATUSES
from .data import access
from .data.models import ChatSession, Question
from .errors import BadRequest, Forbidden
from .transcript import Author, history

PAGE_SIZE, MAX_PAGE_SIZE = 50, 100
STATUSES = ("live", *QUESTION_STATUSES)
ACTIVITY_NOTE = {"note": "Librarian note", "librarian_message": "Message to the chat's librarian"}


def _own(librarian: auth.Librarian, question: Question) -> None:
    if question.library != librarian.library:
        raise Forbidden("That question is in another library's list.")


def _cursor(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(raw.encode()))
    except ValueError:
        raise BadRequest("That cursor is not one this list gave out.") from None


def _next_cursor(key: dict[str, Any] | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def summary(question: Question) -> dict[str, Any]:
    return {
        "question_id": question.question_id,
        "library": question.library,
        "source": question.source,
        "status": question.status,
        "labels": list(question.labels),
        "question": question.question,
        "patron": {"name": question.patron_name, "email": question.patron_email},
        "session_id": question.session_id,
        "created_at": question.created_at,
        "updated_at": question.updated_at,
        "resolution": question.resolution,
        "descriptive": list(question.descriptive or []),
        "in_analytics": question.in_analytics,
    }


def list_questions(
    librarian: auth.Librarian,
    *,
    library: str | None,
    status: str | None,
    label: str | None,
    limit: str | None,
    cursor: str | None,
) -> dict[str, Any]:
    """Newest first. A status reads `status-index`; otherwise `library-index`; a label is a
    filter on whichever index is read."""
    library = library or librarian.library
    if library != librarian.library:
        raise Forbidden("You may list your own library's questions only.")
    try:
        size = min(int(limit or PAGE_SIZE), MAX_PAGE_SIZE)
    except ValueError:
        raise BadRequest("limit must be a number.") from None
    if size < 1:
        raise BadRequest("limit must be at least 1.")
    if status and status not in STATUSES:
        raise BadRequest(f"status must be one of {', '.join(STATUSES)}.")
    condition = Question.labels.contains(label) if label else None
    options = {
        "scan_index_forward": False,
        "limit": size,
        "page_size": size,
        "last_evaluated_key": _cursor(cursor),
        "filter_condition": condition,
    }
    if status:
        results = Question.by_status.query(f"{library}#{status}", **options)
    else:
        results = Question.by_library.query(library, **options)
    items = [summary(question) for question in results]
    return {
        "questions": items,
        "next": _next_cursor(results.last_evaluated_key if len(items) == size else None),
    }


def get_question(librarian: auth.Librarian, question_id: str) -> dict[str, Any]:
    question = access.question(question_id)
    _own(librarian, question)
    transcript = []
    session = None
    if question.session_id:
        session = access.session(question.session_id)
        transcript = [
            views.message_view(m).model_dump(by_alias=True)
            for m in history(session.session_id, for_staff=True)
        ]
    return {
        **summary(question),
        "activity": [entry.as_dict() for entry in question.activity or []],
        "session": views.session_view(session, for_staff=True).model_dump() if session else None,
        "transcript": transcript,
    }


def _open(librarian: auth.Librarian, question_id: str) -> tuple[Question, ChatSession | None]:
    """The librarian's own question, and its chat if that chat is still live."""
    question = access.question(question_id)
    _own(librarian, question)
    if question.status != "live" or not question.session_id:
        return question, None
    session = access.session(question.session_id)
    return question, session if session.status in access.LIVE_STATUSES else None


def _post_to_chat(chat_session: ChatSession, librarian: auth.Librarian, text: str, kind: str) -> None:
    chat.post(chat_session, Author("librarian", librarian.name, librarian.email), text, kind)


def _record(
    question: Question, librarian: auth.Librarian, kind: str, text: str, *extra: Any
) -> dict[str, Any]:
    """Append to the question's activity (one atomic list_append) and answer its summary."""
    entry = questions.activity(kind, text, librarian.email, librarian.name)
    question.update(
        actions=[
            Question.activity.set(Question.activity.append([entry])),
            Question.updated_at.set(entry.at),
            *extra,
        ]
    )
    return summary(question)  # update() read the item back


def answer(librarian: auth.Librarian, question_id: str, text: str) -> dict[str, Any]:
    question, live = _open(librarian, question_id)
    if not question.patron_email and live is None:
        raise BadRequest("This question has no e-mail address and no chat in progress to answer in.")
    if live is not None:
        _post_to_chat(live, librarian, text, "answer")
    if question.patron_email:
        library = access.library(question.library)
        mail.send_answer(question.patron_email, library.name, question.question, text, librarian.name)
    extra = [] if live is not None else questions.status_actions(question, "answered")
    return _record(question, librarian, "answer", text, *extra)


def note(librarian: auth.Librarian, question_id: str, text: str, kind: str) -> dict[str, Any]:
    """A note (`note`) or a message to the chat's librarian (`librarian_message`)."""
    question, live = _open(librarian, question_id)
    if live is not None:
        _post_to_chat(live, librarian, f"{ACTIVITY_NOTE[kind]} from the question list: {text}", "note")
    return _record(question, librarian, kind, text)


def close(librarian: auth.Librarian, question_id: str) -> dict[str, Any]:
    """Close a question. On a live chat the chat goes on; the question reads closed when it
    ends unless the chat's librarian sets a resolution code, which decides instead."""
    question, live = _open(librarian, question_id)
    if live is None:
        return _record(question, librarian, "close", "Closed", *questions.status_actions(question, "closed"))
    text = (
        f"{librarian.name} closed this question from the question list. The chat goes on; "
        "set a resolution code to decide its status."
    )
    _post_to_chat(live, librarian, text, "note")
    return _record(
        question,
        librarian,
        "close",
        "Closed while the chat was live",
        Question.closed_by.set(librarian.email),
    )
