"""Canned messages: texts a library's librarians keep ready (a greeting, "let me check", a
closing), picked in a chat's composer and edited there before they are sent. A library's list is
one item of its own (`LibraryText`, kind `canned`), in order; a library that has none has an
empty list."""

from __future__ import annotations

from .. import clock, limits
from ..data import access
from ..data.models import CANNED, Library, LibraryText
from ..data.models.base import compact_json_size
from ..errors import TooLarge
from ..wire.canned import CannedMessage, CannedMessages


def messages_of(library: Library) -> CannedMessages:
    """The stored list as it was checked when saved (not checked again: a limit lowered since
    must not make a library's list unreadable)."""
    return CannedMessages.model_construct(
        messages=[
            CannedMessage.model_construct(title=str(item["title"]), text=str(item["text"]))
            for item in _stored(library)
        ]
    )


def save(library: Library, messages: CannedMessages) -> CannedMessages:
    """Replace the library's list with one PutItem. The whole list must fit in one item."""
    stored = [item.model_dump() for item in messages.messages]
    size = compact_json_size(stored)
    if size > limits.CANNED_BYTES:
        raise TooLarge(
            f"The canned messages take {size:,} bytes in all: at most {limits.CANNED_BYTES:,}. "
            "Shorten or remove some."
        )
    LibraryText(
        library_id=library.library_id, kind=CANNED, body=stored, updated_at=clock.iso(clock.now())
    ).save()
    return messages


def _stored(library: Library) -> list[dict[str, str]]:
    text = access.library_text(library.library_id, CANNED)
    return list(text.body) if text else []
