"""A patron's question left for follow-up by e-mail (`submit_question`): from the form shown
when chat is closed, or after a chat ended, linked to its transcript."""

from __future__ import annotations

from ..data import access
from ..data.models import ChatSession
from ..domain import patron_token, questions, rate_limit
from ..errors import Forbidden
from ..wire import actions as wire
from ..wire.events import QuestionSubmitted
from .caller import Caller


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
    rate_limit.ask(patron, "question")
    question = questions.new_question(
        library=library.library_id,
        source="ticket" if linked else "form",
        status="open",
        question=request.question,
        name=request.name or None,
        email=request.email,
        session_id=linked.session_id if linked else None,
        keep_for=library,
    )
    question.save()
    caller.reply(QuestionSubmitted(question_id=question.question_id))
