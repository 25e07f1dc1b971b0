"""The question list: every chat and every question left for follow-up is a question."""

from __future__ import annotations

import uuid

from . import clock, patron_token, presence, wire
from .caller import Caller
from .data import access
from .data.models import ChatSession, Question
from .errors import Forbidden, RateLimited


def for_chat(session: ChatSession) -> Question:
    """The question a new chat files; it shows as live until the chat ends."""
    return Question(
        question_id=session.question_id,
        library=session.library,
        source="chat",
        status="live",
        labels=[],
        question=session.question,
        patron_name=session.patron_name,
        patron_email=session.patron_email,
        session_id=session.session_id,
        created_at=session.created_at,
        updated_at=session.created_at,
    )


def chat_ended(session: ChatSession) -> None:
    """An answered chat reads 'answered' until a resolution code says otherwise; an unanswered
    one stays open for follow-up."""
    status = "answered" if session.accepted_at else "open"
    Question(question_id=session.question_id).update(
        actions=[
            Question.status.set(status),
            Question.updated_at.set(session.ended_at or clock.iso(clock.now())),
        ],
        condition=Question.question_id.exists(),
    )


def submit_question(caller: Caller, request: wire.SubmitQuestion) -> None:
    patron = caller.patron()
    library = access.library(request.library)
    linked: ChatSession | None = None
    if request.session_id or request.patron_token:
        if not request.patron_token:
            raise Forbidden("To link a question to a chat, send the chat's patron_token.")
        linked = patron_token.session_for(request.patron_token)
        if request.session_id and request.session_id != linked.session_id:
            raise Forbidden("That patron token is not for this chat.")
    if not presence.count_request(patron):
        raise RateLimited("Too many requests from this window; wait a minute and try again.")
    now = clock.iso(clock.now())
    question = Question(
        question_id=uuid.uuid4().hex,
        library=library.library_id,
        source="ticket" if linked else "form",
        status="open",
        labels=[],
        question=request.question,
        patron_name=request.name or None,
        patron_email=request.email,
        session_id=linked.session_id if linked else None,
        created_at=now,
        updated_at=now,
    )
    question.save()
    caller.reply(wire.QuestionSubmitted(question_id=question.question_id))
