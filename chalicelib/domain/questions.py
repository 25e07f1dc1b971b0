"""The question list's items: every chat and every question left for follow-up is a question,
with a status and labels. A chat's question reads `live` while the chat goes on (QuestionPoint
showed such chats as "answered", which misled librarians who then followed up nothing)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from .. import clock
from ..data import access
from ..data.models import ActivityEntry, ChatSession, Question
from ..statuses import EndedBy

IN_PROGRESS = "in_progress"
# A chat ended by its librarian's exit stays labelled in_progress for this long; the
# clear_in_progress job runs every 15 minutes, so the label is gone within two hours.
IN_PROGRESS_FOR = timedelta(hours=1, minutes=45)


def status_actions(question: Question, status: str) -> list[Any]:
    """Every status change also moves the question in `status-index`."""
    return [Question.status.set(status), Question.library_status.set(f"{question.library}#{status}")]


def activity(kind: str, text: str, by: str, by_name: str | None) -> ActivityEntry:
    return ActivityEntry(kind=kind, text=text, by=by, by_name=by_name, at=clock.iso(clock.now()))


def new_question(
    *,
    library: str,
    source: str,
    status: str,
    question: str,
    name: str | None,
    email: str | None,
    session_id: str | None,
    question_id: str | None = None,
    created_at: str | None = None,
    history: list[ActivityEntry] | None = None,
    served_by: str | None = None,
) -> Question:
    now = created_at or clock.iso(clock.now())
    return Question(
        served_by_library=served_by,
        served_for_partner=served_by if served_by != library else None,
        question_id=question_id or uuid.uuid4().hex,
        library=library,
        source=source,
        status=status,
        library_status=f"{library}#{status}",
        labels=[],
        question=question,
        patron_name=name,
        patron_email=email,
        session_id=session_id,
        created_at=now,
        updated_at=now,
        activity=history or [],
    )


def for_chat(session: ChatSession) -> Question:
    """The question a new chat files; it shows as live until the chat ends."""
    return new_question(
        library=session.library,
        source="chat",
        status="live",
        question=session.question,
        name=session.patron_name,
        email=session.patron_email,
        session_id=session.session_id,
        question_id=session.question_id,
        created_at=session.created_at,
    )


def status_after_chat(session: ChatSession, question: Question) -> str:
    """A resolution code decides; failing that, a close from the question list; failing that,
    'answered' if a librarian took the chat and 'open' (for follow-up) if nobody did."""
    if session.ended_by == EndedBy.EXIT:
        return "answered"
    if question.resolution_status:
        return question.resolution_status
    if question.closed_by:
        return "closed"
    return "answered" if session.accepted_at else "open"


def chat_ended(session: ChatSession) -> None:
    question = access.question(session.question_id)
    ended_at = session.ended_at or clock.iso(clock.now())
    actions: list[Action] = [
        *status_actions(question, status_after_chat(session, question)),
        Question.updated_at.set(ended_at),
    ]
    actions += _served_by(session)
    if session.ended_by == EndedBy.EXIT:  # answered, and labelled in_progress for a while
        until = clock.iso(clock.parse(ended_at) + IN_PROGRESS_FOR)
        labels = [*(label for label in question.labels if label != IN_PROGRESS), IN_PROGRESS]
        actions += [
            Question.labels.set(labels),
            Question.in_progress.set(IN_PROGRESS),
            Question.in_progress_until.set(until),
        ]
    question.update(actions=actions)


def served_by_partner(session: ChatSession) -> None:
    """A partner library's librarian took the chat: from now on, not only once it ends, they
    may follow up its question, and it is in their library's "served for partners" list."""
    if session.served_by_library and session.served_by_library != session.library:
        Question(question_id=session.question_id).update(
            actions=_served_by(session), condition=Question.question_id.exists()
        )


def _served_by(session: ChatSession) -> list[Action]:
    """Who served the patron; a partner library also finds the question in its own list."""
    if not session.served_by_library:
        return []
    actions: list[Action] = [Question.served_by_library.set(session.served_by_library)]
    if session.served_by_library != session.library:
        actions.append(Question.served_for_partner.set(session.served_by_library))
    return actions


def clear_in_progress(question_id: str, until: str) -> bool:
    question = access.question(question_id)
    try:
        question.update(
            actions=[
                Question.labels.set([label for label in question.labels if label != IN_PROGRESS]),
                Question.in_progress.remove(),
                Question.in_progress_until.remove(),
            ],
            condition=Question.in_progress_until == until,
        )
    except UpdateError:
        return False
    return True


def set_codes(
    session: ChatSession, resolution: str, status: str, descriptive: list[str], in_analytics: bool
) -> Question:
    """Record the wrap-up codes. On an ended chat the resolution sets the status now; on a
    live one it will when the chat ends."""
    for _ in range(3):
        question = access.question(session.question_id)
        actions: list[Action] = [
            Question.resolution.set(resolution),
            Question.resolution_status.set(status),
            Question.descriptive.set(descriptive),
            Question.in_analytics.set(in_analytics),
            Question.updated_at.set(clock.iso(clock.now())),
        ]
        if question.status != "live":
            actions += status_actions(question, status)
        try:
            question.update(actions=actions, condition=Question.status == question.status)
            return question
        except UpdateError:
            continue  # the chat ended meanwhile: decide with the new status
    raise RuntimeError(f"could not code {session.session_id}: too much contention")


def record_activity(
    question: Question, kind: str, text: str, by: str, by_name: str | None, *extra: Any
) -> None:
    """Append follow-up to the question's activity, in one atomic list_append so concurrent
    notes are never lost, with any further `extra` update actions; `question` is read back."""
    entry = activity(kind, text, by, by_name)
    question.update(
        actions=[
            Question.activity.set(Question.activity.append([entry])),
            Question.updated_at.set(entry.at),
            *extra,
        ]
    )
