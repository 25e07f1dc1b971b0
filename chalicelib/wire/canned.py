"""A library's canned messages over REST: `GET`/`PUT /libraries/{id}/canned`. `PUT` takes the
shape `GET` returns, checked in full: a field it does not know is refused (a misspelt field
would otherwise vanish on save), and a list over the limits is `too_large`, like any text
over its limit."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, StringConstraints, field_validator

from .. import limits
from ..errors import TooLarge
from .base import Inbound, Text

CannedTitle = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.CANNED_TITLE)
]


class CannedMessage(Inbound):
    """A title to find it by in the picker, and the text it puts in the message box."""

    model_config = ConfigDict(extra="forbid")

    title: CannedTitle
    text: Text


class CannedMessages(Inbound):
    """A library's canned messages, in the order the picker lists them ([] clears them)."""

    model_config = ConfigDict(extra="forbid")

    messages: list[CannedMessage]

    @field_validator("messages", mode="before")
    @classmethod
    def _at_most(cls, messages: Any) -> Any:
        """Counted before any message is checked: too many is too large, whatever they hold."""
        if isinstance(messages, list) and len(messages) > limits.CANNED_MESSAGES:
            raise TooLarge(
                f"'messages' has {len(messages):,} canned messages: at most {limits.CANNED_MESSAGES:,}."
            )
        return messages
