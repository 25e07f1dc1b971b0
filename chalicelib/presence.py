"""Connections coming and going: sign-in at $connect, clean-up at $disconnect or a 410."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from pynamodb.exceptions import DeleteError, UpdateError

from . import auth, clock, delivery, views
from .config import settings
from .data import access
from .data.models import ChatSession, Connection, Monitor
from .errors import Unauthorized
from .observability import logger

# API Gateway closes every WebSocket within two hours; a row left behind by a lost
# $disconnect expires a little after that.
CONNECTION_LIFETIME = timedelta(hours=2, minutes=10)
REQUESTS_PER_MINUTE = 5


def connect(connection_id: str, token: str | None) -> None:
    """Record a new socket; a librarian's token is checked here, and a bad one refused."""
    now = clock.now()
    connection = Connection(
        connection_id=connection_id,
        role="patron",
        connected_at=clock.iso(now),
        expires_at=now + CONNECTION_LIFETIME,
    )
    if token is not None:
        librarian = auth.read_token(token)
        connection.role = "librarian"
        connection.librarian = librarian.email
        connection.name = librarian.name
        connection.library = librarian.library
        connection.is_admin = librarian.is_admin
    connection.save()


def disconnect(connection_id: str) -> None:
    connection = access.connection(connection_id)
    if connection is None:
        return
    stop_monitoring(connection)
    with contextlib.suppress(DeleteError):
        connection.delete()
    if connection.role == "patron" and connection.session_id:
        _patron_left(connection_id, connection.session_id)
    elif connection.role == "librarian" and connection.librarian:
        _librarian_left(connection_id, connection.librarian)


connection_gone = disconnect


def stop_monitoring(connection: Connection) -> None:
    for queue in connection.queues or []:
        Monitor(queue=queue, connection_id=connection.connection_id).delete()


def _patron_left(connection_id: str, session_id: str) -> None:
    """A live chat waits for its patron for the grace period; librarians are told at once."""
    session = access.session(session_id)
    if session.patron_connection != connection_id or session.status == "ended":
        return
    back_by = clock.now() + timedelta(seconds=settings().patron_grace_seconds)
    actions = [
        ChatSession.patron_connection.remove(),
        ChatSession.patron_away.set("patron"),
        ChatSession.patron_back_by.set(clock.iso(back_by)),
    ]
    if session.status == "active":
        actions.append(ChatSession.status.set("reconnecting"))
    try:
        session.update(
            actions=actions,
            condition=(ChatSession.patron_connection == connection_id)
            & (ChatSession.status == session.status),
        )
    except UpdateError:
        return  # the patron came back, or the chat ended, in the meantime
    if session.status == "reconnecting":
        delivery.send(session.staff_connection_ids(), views.session_update(session))


def _librarian_left(connection_id: str, librarian: str) -> None:
    """The socket leaves each of the librarian's chats. A chat whose librarian has no socket
    left in it waits for them for the grace period, and its patron is told they are
    reconnecting; the chat is not ended."""
    back_by = clock.iso(clock.now() + timedelta(seconds=settings().librarian_grace_seconds))
    for session in access.open_sessions_of(librarian):
        staff = session.staff_connections.as_dict()
        if connection_id not in staff:
            continue
        actions = [ChatSession.staff_connections[connection_id].remove()]
        still_here = any(c != connection_id and who == librarian for c, who in staff.items())
        now_away = (
            session.librarian == librarian and session.status in ("active", "reconnecting") and not still_here
        )
        if now_away:
            actions += [
                ChatSession.librarian_away.set("librarian"),
                ChatSession.librarian_back_by.set(back_by),
            ]
        try:
            session.update(actions=actions, condition=ChatSession.staff_connections[connection_id].exists())
        except UpdateError:
            continue
        if now_away:
            delivery.send(session.connection_ids(), views.session_update(session))


def librarian_back(session: ChatSession, connection_id: str | None = None) -> None:
    """The librarian is in their chat again (on `connection_id`, when given): clear the away
    mark, and tell everyone in the chat if there was one."""
    was_away = session.librarian_back_by is not None
    actions = []
    if connection_id is not None:
        actions.append(ChatSession.staff_connections[connection_id].set(session.librarian))
    if was_away:
        actions += [ChatSession.librarian_away.remove(), ChatSession.librarian_back_by.remove()]
    if not actions:
        return
    try:
        session.update(actions=actions, condition=ChatSession.status.is_in(*access.LIVE_STATUSES))
    except UpdateError:
        return  # ended meanwhile
    if was_away:
        delivery.send(session.connection_ids(), views.session_update(session))


def count_request(connection: Connection) -> bool:
    """Note one chat request or question from this socket; False past the per-minute limit."""
    now = clock.now()
    window_start = clock.iso(now - timedelta(minutes=1))
    recent = [stamp for stamp in connection.recent_requests or [] if stamp > window_start]
    if len(recent) >= REQUESTS_PER_MINUTE:
        return False
    recent.append(clock.iso(now))
    connection.update(actions=[Connection.recent_requests.set(recent)])
    return True


def on_connect(connection_id: str, event: dict[str, Any]) -> dict[str, Any]:
    """$connect: 200 admits the socket; 401 refuses it (API Gateway closes the handshake)."""
    token = (event.get("queryStringParameters") or {}).get("token")
    try:
        connect(connection_id, token)
    except Unauthorized as error:
        logger.info("connection refused", extra={"reason": error.message})
        return {"statusCode": 401, "body": error.message}
    return {"statusCode": 200}
