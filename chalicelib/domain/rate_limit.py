"""How often one socket may ask for a chat or leave a question."""

from __future__ import annotations

from datetime import timedelta

from .. import clock
from ..data.models import Connection
from ..errors import RateLimited

REQUESTS_PER_MINUTE = 5


def count_request(connection: Connection) -> None:
    """Note one chat request or question from this socket; RateLimited past the limit."""
    now = clock.now()
    window_start = clock.iso(now - timedelta(minutes=1))
    recent = [stamp for stamp in connection.recent_requests or [] if stamp > window_start]
    if len(recent) >= REQUESTS_PER_MINUTE:
        raise RateLimited("Too many requests from this window; wait a minute and try again.")
    recent.append(clock.iso(now))
    connection.update(actions=[Connection.recent_requests.set(recent)])
