"""The words a chat's state is spelled in, once: its status, who ended it, a message's kind."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    WAITING = "waiting"
    ACTIVE = "active"
    RECONNECTING = "reconnecting"  # the patron's connection dropped; the grace period runs
    ENDED = "ended"


LIVE = (Status.WAITING, Status.ACTIVE, Status.RECONNECTING)
IN_PROGRESS = (Status.ACTIVE, Status.RECONNECTING)  # accepted and not yet ended


class EndedBy(StrEnum):
    PATRON = "patron"
    LIBRARIAN = "librarian"
    DISCONNECT = "disconnect"  # the patron did not come back within the grace period
    EXIT = "exit"  # the librarian exited the system with the chat in progress
    UNANSWERED = "unanswered"  # nobody took the request before the library's give-up time


class Kind(StrEnum):
    """A message's kind: who may read it and how it is shown."""

    CHAT = "chat"
    NOTE = "note"  # librarians only
    SYSTEM = "system"
    URL = "url"
    ANSWER = "answer"  # an answer given from the question list


class Role(StrEnum):
    PATRON = "patron"
    LIBRARIAN = "librarian"
    SYSTEM = "system"
