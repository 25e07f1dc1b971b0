"""Errors a user can cause, each named for what went wrong and carrying its wire code."""

from __future__ import annotations


class RefdeskError(Exception):
    """A request that cannot be carried out; it changed nothing."""

    code = "bad_request"
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(RefdeskError):
    code, http_status = "bad_request", 400


class AlreadyExists(BadRequest):
    """Something that must be unique already is (a librarian's e-mail address)."""

    http_status = 409


class UnknownAction(RefdeskError):
    code, http_status = "unknown_action", 400


class Unauthorized(RefdeskError):
    code, http_status = "unauthorized", 401


class Forbidden(RefdeskError):
    code, http_status = "forbidden", 403


class NotFound(RefdeskError):
    code, http_status = "not_found", 404


class AlreadyAccepted(RefdeskError):
    code, http_status = "already_accepted", 409


class SessionEnded(RefdeskError):
    code, http_status = "session_ended", 409


class ChatChanged(SessionEnded):
    """The chat moved on (ended, taken, its patron back) between being read and written; the
    write changed nothing. A user who meets it is told to look again."""


class TooLarge(RefdeskError):
    code, http_status = "too_large", 413


class RateLimited(RefdeskError):
    """Asked too often. `retry_after` is the whole number of seconds after which the same
    request would be taken; it goes out with the error (`retry_after`, and REST's
    `Retry-After` header)."""

    code, http_status = "rate_limited", 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


INTERNAL_ERROR = "Something went wrong on our side; try again."
