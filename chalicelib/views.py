"""How stored items look on the wire."""

from __future__ import annotations

from . import wire
from .data.models import ChatSession, Message
from .directory import policy_url


def message_view(message: Message) -> wire.MessageView:
    return wire.MessageView(
        session_id=message.session_id,
        seq=int(message.seq),
        kind=message.kind,  # type: ignore[arg-type]
        sender=wire.Sender(role=message.from_role, name=message.from_name),  # type: ignore[arg-type]
        text=message.text,
        sent_at=message.sent_at,
    )


def message_event(message: Message, ref: str | None = None) -> wire.MessageEvent:
    return wire.MessageEvent(ref=ref, **message_view(message).model_dump())


def librarian_of(session: ChatSession) -> wire.Person | None:
    if not session.librarian:
        return None
    return wire.Person(
        name=session.staff_names.as_dict().get(session.librarian),
        reconnecting=True if session.librarian_back_by else None,
    )


def session_view(session: ChatSession, *, for_staff: bool) -> wire.SessionView:
    return wire.SessionView(
        session_id=session.session_id,
        library=session.library,
        status=session.status,  # type: ignore[arg-type]
        question=session.question,
        patron=wire.Person(
            name=session.patron_name,
            email=session.patron_email if for_staff else None,
        ),
        librarian=librarian_of(session),
        created_at=session.created_at,
        accepted_at=session.accepted_at,
        ended_at=session.ended_at,
        ended_by=session.ended_by,
        last_seq=int(session.last_seq),
        page_url=session.page_url if for_staff else None,
        policy_url=policy_url(session.library) if for_staff else None,
    )


def session_update(session: ChatSession) -> wire.SessionUpdate:
    return wire.SessionUpdate(
        session_id=session.session_id,
        status=session.status,  # type: ignore[arg-type]
        librarian=librarian_of(session),
        ended_by=session.ended_by,
        ended_at=session.ended_at,
    )
