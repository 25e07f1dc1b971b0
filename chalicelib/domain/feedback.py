"""A patron's rating of a chat: kept on the chat's question (librarians see it there) and
counted in its library's reports."""

from __future__ import annotations

from .. import clock
from ..data.models import ChatSession, Question
from . import reports


def rate(session: ChatSession, rating: int, comment: str | None) -> None:
    """The patron's rating replaces any earlier one; an ended chat's report counts it at once,
    a live chat's when it ends."""
    Question(question_id=session.question_id).update(
        actions=[
            Question.rating.set(rating),
            Question.rating_comment.set(comment) if comment else Question.rating_comment.remove(),
            Question.rated_at.set(clock.iso(clock.now())),
        ],
        condition=Question.question_id.exists(),
    )
    reports.recount(session.session_id)
