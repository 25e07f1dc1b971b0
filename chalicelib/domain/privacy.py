"""A patron's personal data, removed once their library no longer needs it (docs/privacy.md).

What a patron gives about themselves (their name, e-mail address and the page they asked
from) is kept for their library's `retention_days` (default 90) after their chat or question
ended, then removed by the `purge_personal_data` job, or at once by an admin of the library.
The question, the transcript's words, the codes and the activity stay, for the library's
reports; the patron's messages keep their words and lose their name.

The deadline is written when the question ends (its chat ends, or it is filed), with the
library's retention as it is then, into `purge-index`; the job reads that index in deadline
order, a bounded page at a time, so a run does a bounded amount of work and the next run
goes on from where it stopped. Every step can be made again, so a run that stops half-way,
or runs twice, or overlaps an admin's removal, leaves the same result.
"""

from __future__ import annotations

import time

from .. import clock
from ..data import access, sessions
from ..data.models import ChatSession, Question
from ..errors import BadRequest, ChatChanged, NotFound
from ..observability import logger
from ..statuses import Status
from . import questions

# A run removes the data of at most this many questions, and starts no new one after
# PURGE_SECONDS, well within a scheduled function's minute; what is left waits for the next run.
PURGE_BATCH = 200
PURGE_SECONDS = 30.0


def purge_due(now: str) -> int:
    """Remove the personal data of the questions (and their chats) due by `now`; how many."""
    started = time.monotonic()
    purged = 0
    for question_id in access.questions_due_for_purge(now, PURGE_BATCH):
        if time.monotonic() - started > PURGE_SECONDS:
            break
        question = _question(question_id)
        if question is None or question.purge_after is None or question.purge_after > now:
            continue  # removed meanwhile (the index is read eventually consistent)
        try:
            if question.source == "chat" and question.session_id:
                _forget_chat(_chat(question.session_id))
        except ChatChanged:  # cannot be for an ended chat's question; kept for the next run
            logger.warning("purge skipped a live chat", extra={"question_id": question_id})
            continue
        questions.forget_patron(question, now)
        purged += 1
    return purged


def forget_now(question: Question) -> Question:
    """An admin's removal of one question's patron data at once: the question's, its chat's
    (the chat, the patron's messages) and, for a ticket or follow-up filed from a chat, the
    chat's own question's. The question is read back."""
    if question.status == "live":
        raise BadRequest("The chat is still going on: remove the patron's data once it has ended.")
    now = clock.iso(clock.now())
    session = _chat(question.session_id) if question.session_id else None
    if session is not None:
        if session.status != Status.ENDED:
            raise BadRequest("The chat is still going on: remove the patron's data once it has ended.")
        _forget_chat(session)
        if session.question_id != question.question_id:
            chat_question = _question(session.question_id)
            if chat_question is not None:
                questions.forget_patron(chat_question, now)
    questions.forget_patron(question, now)  # reads the question back
    return question


def _chat(session_id: str) -> ChatSession | None:
    try:
        return access.session(session_id)
    except NotFound:
        return None


def _question(question_id: str) -> Question | None:
    try:
        return access.question(question_id)
    except NotFound:
        return None


def _forget_chat(session: ChatSession | None) -> None:
    if session is not None:
        sessions.forget_patron(session, access.named_patron_messages(session.session_id))
