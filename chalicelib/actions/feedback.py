"""`rate`: the patron's rating of a chat, asked for by their window when the chat ends."""

from __future__ import annotations

from datetime import timedelta

from .. import clock, limits
from ..data import access
from ..domain import feedback, rate_limit
from ..errors import BadRequest, Forbidden
from ..statuses import Role
from ..wire import actions as wire
from .caller import Caller
from .chat import author_in


def rate(caller: Caller, request: wire.Rate) -> None:
    """The chat's patron (its socket, or its patron token after a reload) rates a chat a
    librarian took, until RATING_DAYS after it ended."""
    session = access.session(request.session_id)
    if author_in(session, caller, request.patron_token).role != Role.PATRON:
        raise Forbidden("Only the patron rates a chat.")
    if session.accepted_at is None:
        raise BadRequest("No librarian has taken this chat, so there is nothing to rate yet.")
    if session.ended_at and clock.parse(session.ended_at) + timedelta(days=limits.RATING_DAYS) < clock.now():
        raise BadRequest(f"A chat may be rated for {limits.RATING_DAYS} days after it ended.")
    rate_limit.rating(session.session_id)
    feedback.rate(session, request.rating, request.comment or None)
