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


class Colleague(Outbound):
    """A librarian as their colleagues see them in the roster and in IM."""

    email: str
    name: str | None = None
    library: str | None = None


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
    escalated: bool | None = None  # offered to the cooperative's partners too (staff view)
    served_by_library: str | None = None  # the accepting librarian's library (staff view)
    librarians: list[Person] | None = None  # everyone serving it: its librarian, then conferenced admins


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
    retry_after: int | None = None  # rate_limited only: seconds until the request would be taken


class ChatRequested(Event):
    type: Literal["chat_requested"] = "chat_requested"
    session_id: str
    patron_token: str
    status: Literal[Status.WAITING] = Status.WAITING
    position: int  # 1 = next in line


class QueuePosition(Event):
    """A waiting patron's place in line changed."""

    type: Literal["queue_position"] = "queue_position"
    session_id: str
    position: int


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
    more_before: bool | None = None  # True: older messages in the range did not fit (see `history`)
    follow_up: FollowUp | None = None
    position: int | None = None  # while waiting: the place in line now (changes were missed)


class LoggedOut(Event):
    type: Literal["logged_out"] = "logged_out"
    ended: list[str]  # the chats the exit ended


SignOutReason = Literal["logout", "password_changed", "deactivated", "role_changed"]


class SignedOutEvent(Event):
    """Sent to each socket of a librarian whose sign-in has just ended, before it is closed."""

    type: Literal["signed_out"] = "signed_out"
    reason: SignOutReason
    message: str


class HistoryEvent(Event):
    type: Literal["history"] = "history"
    session: SessionView
    messages: list[MessageView]
    more_before: bool | None = None  # True: older messages in the range did not fit


class Left(Outbound):
    """How many a cut `queue_snapshot` left out of each list (a list not named is whole)."""

    new: dict[str, int] | None = None  # queue -> requests waiting in it after those shown
    mine: int | None = None
    all: int | None = None
    online: int | None = None


class QueueSnapshot(Event):
    type: Literal["queue_snapshot"] = "queue_snapshot"
    new: list[SessionView]
    mine: list[SessionView]
    all: list[SessionView] | None = None
    online: list[Colleague]  # librarians of the library and its cooperative monitoring now
    queues: list[str] = []  # the libraries whose requests this librarian is offered
    more: Left | None = None  # set when a list was cut to fit the reply: what was left out


class Joined(Event):
    type: Literal["joined"] = "joined"
    session: SessionView
    messages: list[MessageView]
    more_before: bool | None = None  # True: older messages did not fit (see `history`)


class TransferOffer(Event):
    """A colleague offers this librarian their chat; `accept` takes it, `decline` refuses."""

    type: Literal["transfer_offer"] = "transfer_offer"
    session: SessionView
    sender: Person = Field(alias="from")
    note: str | None = None
    expires_at: str


class TransferDeclined(Event):
    """The offer of a chat was not taken: declined, unanswered in time, or its addressee
    went offline. The chat stays with the offering librarian."""

    type: Literal["transfer_declined"] = "transfer_declined"
    session_id: str
    by: Person
    reason: Literal["declined", "timeout", "offline"]
    message: str


class ImEvent(Event):
    type: Literal["im"] = "im"
    sender: Colleague = Field(alias="from")
    text: str
    sent_at: str


class RosterUpdate(Event):
    type: Literal["roster_update"] = "roster_update"
    op: Literal["online", "offline"]
    librarian: Colleague


class Accepted(Event):
    type: Literal["accepted"] = "accepted"
    session: SessionView
    messages: list[MessageView]
    more_before: bool | None = None  # True: older messages did not fit (see `history`)


# --- pushed to everyone concerned -----------------------------------------------------------------


class QueueUpdate(Event):
    type: Literal["queue_update"] = "queue_update"
    op: Literal["added", "taken", "removed", "changed"]  # changed: a live chat's state (All tab)
    queue: str
    session: SessionView


class MessageEvent(Event, MessageView):
    type: Literal["message"] = "message"


class SessionUpdate(Event):
    type: Literal["session_update"] = "session_update"
    session_id: str
    status: Status
    librarian: Person | None = None
    librarians: list[Person] | None = None  # set once a second librarian has joined
    ended_by: EndedBy | None = None
    ended_at: str | None = None
    follow_up: FollowUp | None = None  # a request nobody could take: leave it for e-mail


class TypingEvent(Event):
    type: Literal["typing"] = "typing"
    session_id: str
    typing: bool
    sender: Sender = Field(alias="from")


def event_types() -> dict[str, type[Event]]:
    """Every event type this module defines, by its wire name."""
    return {str(model.model_fields["type"].default): model for model in Event.__subclasses__()}
