"""The WebSocket wire: a pydantic model per inbound action and per outbound event.

docs/protocol.md is the prose version of this module; tests assert both.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MAX_TEXT = 4000

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=128)]
# A plain shape check: deliverability is SES's business, and email-validator would pull in DNS.
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"),
]


class Model(BaseModel):
    """A model whose validator is built on first use, not at import: a Lambda handling
    one action pays for that action's models only (cold start, docs/performance.md)."""

    model_config = ConfigDict(defer_build=True)


class Action(Model):
    """Every client frame: an action name and an optional client reference to echo."""

    model_config = ConfigDict(extra="ignore")
    action: str
    ref: Ref | None = None


# --- patron --------------------------------------------------------------------------------


class RequestChat(Action):
    action: Literal["request_chat"]
    library: Id
    question: Text
    name: ShortText | None = None
    email: Email | None = None
    page_url: Annotated[str, StringConstraints(max_length=2000)] | None = None


class SubmitQuestion(Action):
    action: Literal["submit_question"]
    library: Id
    question: Text
    email: Email
    name: ShortText | None = None
    session_id: Id | None = None
    patron_token: Id | None = None


class Resume(Action):
    action: Literal["resume"]
    patron_token: Id
    after_seq: Annotated[int, Field(ge=0)] = 0


# --- librarian -----------------------------------------------------------------------------


class Monitor(Action):
    action: Literal["monitor"]
    queues: Annotated[list[Id], Field(max_length=50)] | None = None


class StopMonitoring(Action):
    action: Literal["stop_monitoring"]


class Accept(Action):
    action: Literal["accept"]
    session_id: Id


class PushUrl(Action):
    action: Literal["push_url"]
    session_id: Id
    url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]

    @field_validator("url")
    @classmethod
    def _http_only(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("only http and https addresses can be pushed")
        return url


class Note(Action):
    action: Literal["note"]
    session_id: Id
    text: Text


# --- either side ---------------------------------------------------------------------------


class SendMessage(Action):
    action: Literal["send_message"]
    session_id: Id
    text: Text
    patron_token: Id | None = None


class Typing(Action):
    action: Literal["typing"]
    session_id: Id
    typing: bool
    patron_token: Id | None = None


class EndChat(Action):
    action: Literal["end_chat"]
    session_id: Id
    patron_token: Id | None = None


class CloseChat(Action):
    action: Literal["close_chat"]
    session_id: Id


class SetCodes(Action):
    action: Literal["set_codes"]
    session_id: Id
    resolution: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    descriptive: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=64)]], Field(max_length=4)
    ] = []
    analytics: bool = True  # count the chat in reports ("add to analytics")


class InternalNote(Action):
    """Saved with the transcript after (or during) the chat; never shown to the patron."""

    action: Literal["internal_note"]
    session_id: Id
    text: Text


class CreateTicket(Action):
    action: Literal["create_ticket"]
    session_id: Id
    note: Text | None = None


class Transfer(Action):
    action: Literal["transfer"]
    session_id: Id
    library: Id | None = None
    librarian: Annotated[str, StringConstraints(max_length=254)] | None = None
    note: Text | None = None


class Logout(Action):
    action: Literal["logout"]


class Heartbeat(Action):
    action: Literal["heartbeat"]


class History(Action):
    """Catch up on a chat: a librarian back from a drop, or a page that lost its copy."""

    action: Literal["history"]
    session_id: Id
    after_seq: Annotated[int, Field(ge=0)] = 0
    patron_token: Id | None = None


INBOUND: dict[str, type[Action]] = {
    model.model_fields["action"].annotation.__args__[0]: model  # type: ignore[union-attr]
    for model in (
        RequestChat,
        SubmitQuestion,
        Resume,
        Monitor,
        StopMonitoring,
        Accept,
        PushUrl,
        Note,
        SendMessage,
        Typing,
        EndChat,
        CloseChat,
        Heartbeat,
        History,
        SetCodes,
        InternalNote,
        CreateTicket,
        Transfer,
        Logout,
    )
}


# --- outbound ------------------------------------------------------------------------------


class Event(Model):
    model_config = ConfigDict(populate_by_name=True)
    type: str
    ref: str | None = None

    def frame(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_none=True)


class Sender(Model):
    role: Literal["patron", "librarian", "system"]
    name: str | None = None


class MessageView(Model):
    model_config = ConfigDict(populate_by_name=True)
    session_id: str
    seq: int
    kind: Literal["chat", "note", "system", "url", "answer"]
    sender: Sender = Field(alias="from")
    text: str
    sent_at: str


class Person(Model):
    name: str | None = None
    email: str | None = None
    reconnecting: bool | None = None  # set on a librarian whose connection dropped


class SessionView(Model):
    session_id: str
    library: str
    status: Literal["waiting", "active", "reconnecting", "ended"]
    question: str
    patron: Person
    librarian: Person | None = None
    created_at: str
    accepted_at: str | None = None
    ended_at: str | None = None
    ended_by: str | None = None
    last_seq: int
    page_url: str | None = None
    policy_url: str | None = None


class Ack(Event):
    type: Literal["ack"] = "ack"
    seq: int | None = None


class Error(Event):
    type: Literal["error"] = "error"
    code: str
    message: str


class Alternative(Model):
    label: str
    url: str


class ChatRequested(Event):
    type: Literal["chat_requested"] = "chat_requested"
    session_id: str
    patron_token: str
    status: Literal["waiting"] = "waiting"


class ChatUnavailable(Event):
    type: Literal["chat_unavailable"] = "chat_unavailable"
    message: str
    alternatives: list[Alternative]


class QuestionSubmitted(Event):
    type: Literal["question_submitted"] = "question_submitted"
    question_id: str


class FollowUp(Model):
    """Offered to a patron who comes back to a chat that has ended: a `submit_question`
    frame, pre-filled and linked to the transcript, for the page to show as a form."""

    action: Literal["submit_question"] = "submit_question"
    library: str
    session_id: str
    question: str
    name: str | None = None
    email: str | None = None
    message: str


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


class QueueUpdate(Event):
    type: Literal["queue_update"] = "queue_update"
    op: Literal["added", "taken", "removed"]
    queue: str
    session: SessionView


class Accepted(Event):
    type: Literal["accepted"] = "accepted"
    session: SessionView
    messages: list[MessageView]


class MessageEvent(Event, MessageView):
    type: Literal["message"] = "message"


class SessionUpdate(Event):
    type: Literal["session_update"] = "session_update"
    session_id: str
    status: Literal["waiting", "active", "reconnecting", "ended"]
    librarian: Person | None = None
    ended_by: str | None = None
    ended_at: str | None = None


class TypingEvent(Event):
    type: Literal["typing"] = "typing"
    session_id: str
    typing: bool
    sender: Sender = Field(alias="from")
