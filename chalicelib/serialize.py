"""How stored items look on the wire: chats, messages and questions as events and REST replies
show them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar, cast

from pydantic import BaseModel

from . import limits
from .data.models import ChatSession, Message, Question
from .statuses import EndedBy, Kind, Role, Status
from .wire import fit
from .wire.events import (
    Colleague,
    Event,
    FollowUp,
    Left,
    MessageEvent,
    MessageView,
    Person,
    QueueSnapshot,
    Sender,
    SessionUpdate,
    SessionView,
)
from .wire.rest import ActivityView, PatronView, QuestionDetail, QuestionSummary


def policy_url(library_id: str) -> str:
    return f"/api/libraries/{library_id}/policy"


def message_view(message: Message) -> MessageView:
    return MessageView(
        session_id=message.session_id,
        seq=int(message.seq),
        kind=Kind(message.kind),
        sender=Sender(role=Role(message.from_role), name=message.from_name),
        text=message.text,
        sent_at=message.sent_at,
    )


def message_event(message: Message) -> MessageEvent:
    return MessageEvent(**message_view(message).model_dump())


E = TypeVar("E", bound=Event)


def with_messages(build: Callable[[list[MessageView], bool | None], E], newest_first: Iterable[Message]) -> E:
    """An event that carries a transcript (`build(messages, more_before)`), with the newest
    messages that fit its budget, in seq order, and `more_before` when older ones in the range
    read were left out. Messages are read no further than the first that does not fit."""
    views, more = fit.newest((message_view(m) for m in newest_first), fit.room(build([], None)))
    return build(views, True if more else None)


def librarian_of(session: ChatSession, *, for_staff: bool = False) -> Person | None:
    """The chat's librarian; staff also see their e-mail (whose chat it is), patrons never."""
    if not session.librarian:
        return None
    return Person(
        name=session.staff_names.as_dict().get(session.librarian),
        email=session.librarian if for_staff else None,
        reconnecting=True if session.librarian_is_away() else None,
    )


def librarians_of(session: ChatSession, *, for_staff: bool = False) -> list[Person] | None:
    """Everyone serving the chat: its librarian, then the librarians conferenced in."""
    owner = librarian_of(session, for_staff=for_staff)
    if owner is None:
        return None
    guests = session.guests.as_dict().items()
    return [owner, *(Person(name=name, email=email if for_staff else None) for email, name in guests)]


FOLLOW_UP = {
    EndedBy.UNANSWERED: (
        "We are sorry: no librarian was free to take your chat. Leave your question below and a "
        "librarian will answer by e-mail."
    ),
    None: (
        "This chat has ended. Leave your question below and a librarian will answer by e-mail; "
        "they will see this chat's transcript with it."
    ),
}


def follow_up(session: ChatSession) -> FollowUp:
    """A `submit_question` frame, pre-filled and linked to the chat, for a patron whose chat
    ended without them (a drop they did not come back from, or a request nobody took)."""
    ended_by = EndedBy.UNANSWERED if session.ended_by == EndedBy.UNANSWERED else None
    return FollowUp(
        library=session.library,
        session_id=session.session_id,
        question=session.question,
        name=session.patron_name,
        email=session.patron_email,
        message=FOLLOW_UP[ended_by],
    )


def session_view(session: ChatSession, *, for_staff: bool) -> SessionView:
    return SessionView(
        session_id=session.session_id,
        library=session.library,
        status=Status(session.status),
        question=session.question,
        patron=Person(name=session.patron_name, email=session.patron_email if for_staff else None),
        librarian=librarian_of(session, for_staff=for_staff),
        created_at=session.created_at,
        accepted_at=session.accepted_at,
        ended_at=session.ended_at,
        ended_by=EndedBy(session.ended_by) if session.ended_by else None,
        last_seq=int(session.last_seq),
        page_url=session.page_url if for_staff else None,
        policy_url=policy_url(session.library) if for_staff else None,
        escalated=bool(session.escalated) if for_staff else None,
        served_by_library=session.served_by_library if for_staff else None,
        librarians=librarians_of(session, for_staff=for_staff),
    )


def queue_snapshot(
    *,
    waiting: dict[str, list[ChatSession]],
    mine: list[ChatSession],
    live: list[ChatSession] | None,
    online: list[Colleague],
    queues: list[str],
) -> QueueSnapshot:
    """A librarian's view of the desk, fitted to its budget: the oldest requests of each queue
    in `waiting` (at most SNAPSHOT_NEW_PER_QUEUE a queue), their own chats (those in progress
    first, at most SNAPSHOT_MINE), the colleagues online and, for an admin (`live` given), their
    library's live chats (at most SNAPSHOT_ALL). Each list is as long as fits beside the
    others; `more` says how many were left out of each list that was cut."""
    in_progress_first = sorted(mine, key=lambda session: session.status == Status.ENDED)
    new_lists = [
        [session_view(s, for_staff=True) for s in sessions[: limits.SNAPSHOT_NEW_PER_QUEUE]]
        for sessions in waiting.values()
    ]
    mine_views = [session_view(s, for_staff=True) for s in in_progress_first[: limits.SNAPSHOT_MINE]]
    all_views = [session_view(s, for_staff=True) for s in (live or [])[: limits.SNAPSHOT_ALL]]
    # Measured with the counts at their largest, so that the reply still fits once they are known.
    room = fit.room(
        QueueSnapshot(
            new=[],
            mine=[],
            all=[] if live is not None else None,
            online=[],
            queues=queues,
            more=Left(
                new={queue: len(sessions) for queue, sessions in waiting.items()},
                mine=len(mine),
                all=len(live or []),
                online=len(online),
            ),
        )
    )
    lists: list[Sequence[BaseModel]] = [mine_views, *new_lists, online, all_views]
    fitted = fit.prefixes(lists, room)
    mine_fit, new_fit, online_fit, all_fit = fitted[0], fitted[1:-2], fitted[-2], fitted[-1]
    left_new = {
        queue: len(sessions) - len(shown)
        for (queue, sessions), shown in zip(waiting.items(), new_fit, strict=True)
        if len(sessions) > len(shown)
    }
    left = Left(
        new=left_new or None,
        mine=len(mine) - len(mine_fit) or None,
        all=len(live) - len(all_fit) or None if live is not None else None,
        online=len(online) - len(online_fit) or None,
    )
    return QueueSnapshot(
        new=cast(list[SessionView], [view for views in new_fit for view in views]),
        mine=cast(list[SessionView], mine_fit),
        all=cast(list[SessionView], all_fit) if live is not None else None,
        online=cast(list[Colleague], online_fit),
        queues=queues,
        more=left if left.model_dump(exclude_none=True) else None,
    )


def session_update(session: ChatSession, *, for_staff: bool = False) -> SessionUpdate:
    return SessionUpdate(
        session_id=session.session_id,
        status=Status(session.status),
        librarian=librarian_of(session, for_staff=for_staff),
        librarians=librarians_of(session, for_staff=for_staff) if session.guests.as_dict() else None,
        ended_by=EndedBy(session.ended_by) if session.ended_by else None,
        ended_at=session.ended_at,
        follow_up=follow_up(session) if session.ended_by == EndedBy.UNANSWERED else None,
    )


def question_summary(question: Question) -> QuestionSummary:
    return QuestionSummary(
        question_id=question.question_id,
        library=question.library,
        source=question.source,
        status=question.status,
        labels=list(question.labels),
        question=question.question,
        patron=PatronView(name=question.patron_name, email=question.patron_email),
        session_id=question.session_id,
        created_at=question.created_at,
        updated_at=question.updated_at,
        resolution=question.resolution,
        descriptive=list(question.descriptive or []),
        in_analytics=question.in_analytics,
        served_by_library=question.served_by_library,
        patron_data_removed_at=question.patron_data_removed_at,
        rating=None if question.rating is None else int(question.rating),
        rating_comment=question.rating_comment,
    )


def question_detail(
    question: Question, session: ChatSession | None, transcript: list[Message]
) -> QuestionDetail:
    """A question with its follow-up activity and, when it came from a chat, its transcript."""
    return QuestionDetail(
        **question_summary(question).model_dump(),
        activity=[ActivityView(**entry.as_dict()) for entry in question.activity or []],
        session=session_view(session, for_staff=True) if session else None,
        transcript=[message_view(m) for m in transcript],
    )
