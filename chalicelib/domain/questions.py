"""The question list's items: every chat and every question left for follow-up is a question,
with a status and labels. A chat's question reads `live` while the chat goes on (QuestionPoint
showed such chats as "answered", which misled librarians who then followed up nothing)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import size
from pynamodb.expressions.update import Action

from .. import clock, limits
from ..data import access
from ..data.models import PURGE_DUE, ActivityEntry, ChatSession, Library, Question
from ..errors import TooLarge
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


def personal_data_deadline(ended_at: str, library: Library) -> str:
    """When the patron's name, e-mail and page must be gone: the library's retention (as it
    is now) after the chat or question ended."""
    return clock.iso(clock.parse(ended_at) + timedelta(days=library.keep_personal_data_days()))


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
    keep_for: Library | None = None,
) -> Question:
    """A question. `keep_for` (the patron's library) files it as ended now: its patron's
    personal data is due to go after the library's retention."""
    now = created_at or clock.iso(clock.now())
    deadline = personal_data_deadline(now, keep_for) if keep_for and (name or email) else None
    return Question(
        purge_due=PURGE_DUE if deadline else None,
        purge_after=deadline,
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


def chat_ended(session: ChatSession, library: Library) -> None:
    """File an ended chat's question: its status, who served it, and when its patron's
    personal data is due to go (`library` is the patron's)."""
    question = access.question(session.question_id)
    ended_at = session.ended_at or clock.iso(clock.now())
    actions: list[Action] = [
        *status_actions(question, status_after_chat(session, question)),
        Question.updated_at.set(ended_at),
    ]
    if session.patron_name or session.patron_email or session.page_url:
        actions += [
            Question.purge_due.set(PURGE_DUE),
            Question.purge_after.set(personal_data_deadline(ended_at, library)),
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
    """Append follow-up to the question's activity, with any further `extra` update actions;
    `question` is read back. The list is bounded (ACTIVITY_ENTRIES, ACTIVITY_BYTES; TooLarge
    past them), so the item stays under DynamoDB's 400 KB: the append holds on condition that
    the list is as long as it was read, and a writer that lost that race reads it again and
    tries once more, so notes written at once all land."""
    entry = activity(kind, text, by, by_name)
    for _ in range(5):
        room_for(question, entry)
        held = len(question.activity or [])
        condition = size(Question.activity) == held
        if held == 0:
            condition = Question.activity.does_not_exist() | condition
        try:
            question.update(
                actions=[
                    Question.activity.set(Question.activity.append([entry])),
                    Question.updated_at.set(entry.at),
                    *extra,
                ],
                condition=condition,
            )
            return
        except UpdateError:
            question.refresh(consistent_read=True)
    raise RuntimeError(f"could not add to {question.question_id}'s activity: too much contention")


def _entry_bytes(entry: ActivityEntry) -> int:
    return sum(
        len(value.encode()) for value in (entry.kind, entry.text, entry.by, entry.by_name or "", entry.at)
    )


def room_for(question: Question, entry: ActivityEntry) -> None:
    """TooLarge if the question's activity list has no room for `entry`."""
    held = list(question.activity or [])
    if (
        len(held) >= limits.ACTIVITY_ENTRIES
        or sum(_entry_bytes(e) for e in held) + _entry_bytes(entry) > limits.ACTIVITY_BYTES
    ):
        raise TooLarge(
            f"This question's activity list is full (at most {limits.ACTIVITY_ENTRIES} entries and "
            f"{limits.ACTIVITY_BYTES:,} bytes of text). File a new question to go on."
        )


def forget_patron(question: Question, now: str) -> None:
    """Remove the patron's name and e-mail from the question and take it off `purge-index`
    (the question, its codes and its activity stay). Made again, it changes nothing more."""
    actions: list[Action] = [
        Question.patron_name.remove(),
        Question.patron_email.remove(),
        Question.purge_due.remove(),
        Question.purge_after.remove(),
    ]
    if not question.patron_data_removed_at:
        actions.append(Question.patron_data_removed_at.set(now))
    question.update(actions=actions, condition=Question.question_id.exists())
