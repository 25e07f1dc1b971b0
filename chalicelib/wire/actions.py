"""A model per inbound WebSocket action: `{"action": NAME, "ref"?: ..., ...fields}`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .. import limits
from .base import CodeId, Email, Id, Inbound, PageUrl, PatronName, Ref, Seq, Text, WebUrl


class Action(Inbound):
    """Every client frame: an action name and an optional client reference to echo."""

    action: str
    ref: Ref | None = None


# --- patron --------------------------------------------------------------------------------


class RequestChat(Action):
    action: Literal["request_chat"]
    library: Id
    question: Text
    name: PatronName | None = None
    email: Email | None = None
    page_url: PageUrl = None  # informational: anything but a web address is dropped


class SubmitQuestion(Action):
    action: Literal["submit_question"]
    library: Id
    question: Text
    email: Email
    name: PatronName | None = None
    session_id: Id | None = None
    patron_token: Id | None = None


class Resume(Action):
    action: Literal["resume"]
    patron_token: Id
    after_seq: Seq = 0


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
    url: WebUrl


class Note(Action):
    action: Literal["note"]
    session_id: Id
    text: Text


class CloseChat(Action):
    action: Literal["close_chat"]
    session_id: Id


class SetCodes(Action):
    action: Literal["set_codes"]
    session_id: Id
    resolution: CodeId
    descriptive: Annotated[list[CodeId], Field(max_length=limits.DESCRIPTIVE_CODES)] = []
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
    librarian: Annotated[str, StringConstraints(max_length=limits.EMAIL)] | None = None
    note: Text | None = None


class Join(Action):
    """An admin conferences into a chat of their library that is in progress."""

    action: Literal["join"]
    session_id: Id


class Leave(Action):
    action: Literal["leave"]
    session_id: Id


class Decline(Action):
    """The librarian a chat was offered to turns it down; it stays with its librarian."""

    action: Literal["decline"]
    session_id: Id


class Im(Action):
    """A message to a colleague of one's library or cooperative, outside any chat."""

    action: Literal["im"]
    librarian: Email
    text: Text


class Logout(Action):
    action: Literal["logout"]


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


class Rate(Action):
    """The patron's rating of a chat a librarian took, during it or after it ended; the last
    one stands."""

    action: Literal["rate"]
    session_id: Id
    patron_token: Id | None = None
    rating: Annotated[int, Field(strict=True, ge=1, le=5)]
    comment: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=limits.RATING_COMMENT)] | None
    ) = None


class Heartbeat(Action):
    action: Literal["heartbeat"]


class History(Action):
    """Catch up on a chat: a librarian back from a drop, or a page that lost its copy."""

    action: Literal["history"]
    session_id: Id
    after_seq: Seq = 0
    before_seq: Seq | None = None  # paging back: only messages before this one
    patron_token: Id | None = None


# Each model's name on the wire, as its `action` Literal says (tests hold the two together):
# read from the model, it would build every model at import.
INBOUND: dict[str, type[Action]] = {
    "request_chat": RequestChat,
    "submit_question": SubmitQuestion,
    "resume": Resume,
    "monitor": Monitor,
    "stop_monitoring": StopMonitoring,
    "accept": Accept,
    "push_url": PushUrl,
    "note": Note,
    "send_message": SendMessage,
    "typing": Typing,
    "end_chat": EndChat,
    "close_chat": CloseChat,
    "rate": Rate,
    "heartbeat": Heartbeat,
    "history": History,
    "set_codes": SetCodes,
    "internal_note": InternalNote,
    "create_ticket": CreateTicket,
    "transfer": Transfer,
    "join": Join,
    "leave": Leave,
    "decline": Decline,
    "im": Im,
    "logout": Logout,
}
