"""A model per outbound WebSocket event, `{"type": NAME, "ref"?: ..., ...fields}`, and the
views of a chat and a message that events and REST replies share."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..statuses import EndedBy, Kind, Role, Status
from .base import Outbound


class Event(Outbound):
    type: str
    ref: str | None = None

    def frame(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_none=True)


# --- views --------------------------------------------------------------------------------------


class Sender(Outbound):
    role: Role
    name: str | None = None


class MessageView(Outbound):
    session_id: str
    seq: int
    kind: Kind
    sender: Sender = Field(alias="from")
    text: str
    sent_at: str


class Person(Outbound):
    name: str | None = None
    email: str | None = None
    reconnecting: bool | None = None  # set on a librarian whose connection dropped


class SessionView(Outbound):
    session_id: str
    library: str
    status: Status
    question: str
    patron: Person
    librarian: Person | None = None
    created_at: str
    accepted_at: str | None = None
    ended_at: str | None = None
    ended_by: EndedBy | None = None
    last_seq: int
    page_url: str | None = None
    policy_url: str | None = None


class Alternative(Outbound):
    label: str
    url: str


class FollowUp(Outbound):
    """Offered to a patron who comes back to a chat that has ended: a `submit_question`
    frame, pre-filled and linked to the transcript, for the page to show as a form."""

    action: Literal["submit_question"] = "submit_question"
    library: str
    session_id: str
    question: str
    name: str | None = None
    email: str | None = None
    message: str


# --- replies ------------------------------------------------------------------------------------


class Ack(Event):
    type: Literal["ack"] = "ack"
    seq: int | None = None


class Error(Event):
    type: Literal["error"] = "error"
    code: str
    message: str


class ChatRequested(Event):
    type: Literal["chat_requested"] = "chat_requested"
    session_id: str
    patron_token: str
    status: Literal[Status.WAITING] = Status.WAITING


class ChatUnavailable(Event):
    type: Literal["chat_unavailable"] = "chat_unavailable"
    message: str
    alternatives: list[Alternative]


class QuestionSubmitted(Event):
    type: Literal["question_submitted"] = "question_submitted"
    question_id: str


class Resumed(Event):
    type: Literal["resumed"] = "resumed"
    session: SessionView
    messages: list[MessageView]
    follow_up: FollowUp | None = None


class LoggedOut(Event):
    type: Literal["logged_out"] = "logged_out"
    ended: list[str]  # the chats the exit ended


class HistoryEvent(Event):
    type: Literal["history"] = "history"
    session: SessionView
    messages: list[MessageView]


class QueueSnapshot(Event):
    type: Literal["queue_snapshot"] = "queue_snapshot"
    new: list[SessionView]
    mine: list[SessionView]
    all: list[SessionView] | None = None


class Accepted(Event):
    type: Literal["accepted"] = "accepted"
    session: SessionView
    messages: list[MessageView]


# --- pushed to everyone concerned -----------------------------------------------------------------


class QueueUpdate(Event):
    type: Literal["queue_update"] = "queue_update"
    op: Literal["added", "taken", "removed"]
    queue: str
    session: SessionView


class MessageEvent(Event, MessageView):
    type: Literal["message"] = "message"


class SessionUpdate(Event):
    type: Literal["session_update"] = "session_update"
    session_id: str
    status: Status
    librarian: Person | None = None
    ended_by: EndedBy | None = None
    ended_at: str | None = None


class TypingEvent(Event):
    type: Literal["typing"] = "typing"
    session_id: str
    typing: bool
    sender: Sender = Field(alias="from")


def event_types() -> dict[str, type[Event]]:
    """Every event type this module defines, by its wire name."""
    return {str(model.model_fields["type"].default): model for model in Event.__subclasses__()}
