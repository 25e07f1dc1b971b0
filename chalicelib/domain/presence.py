"""Connections coming and going: sign-in at $connect, clean-up at $disconnect or a 410, and
the grace periods a dropped patron or librarian gets before their chat moves on."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from pynamodb.exceptions import DeleteError

from .. import clock, notify
from ..config import settings
from ..data import access, sessions
from ..data.models import ChatSession, Connection, Monitor
from ..errors import ChatChanged
from ..statuses import Role, Status
from ..wire.events import Colleague
from . import auth, handoff, tickets

# API Gateway closes every WebSocket within two hours; a row left behind by a lost
# $disconnect expires a little after that.
CONNECTION_LIFETIME = timedelta(hours=2, minutes=10)


def connect(
    connection_id: str, token: str | None, *, ticket: str | None = None, source_ip: str | None = None
) -> None:
    """Record a new socket; a librarian's connect ticket (domain/tickets, used up here) or
    sign-in token is checked here, and a bad one refused (a ticket, when both are given).
    `source_ip` is the address API Gateway saw the socket come from (the per-address limits
    of domain/rate_limit key on it)."""
    now = clock.now()
    connection = Connection(
        connection_id=connection_id,
        role=Role.PATRON,
        connected_at=clock.iso(now),
        source_ip=source_ip or None,
        expires_at=now + CONNECTION_LIFETIME,
    )
    if ticket is not None or token is not None:
        librarian = tickets.redeem(ticket) if ticket is not None else auth.read_token(token)
        connection.role = Role.LIBRARIAN
        connection.librarian = librarian.email
        connection.name = librarian.name
        connection.library = librarian.library
        connection.is_admin = librarian.is_admin
    connection.save()


def disconnect(connection_id: str) -> None:
    """The socket is gone ($disconnect, or a post that met 410): forget it, and let its chats
    wait for whoever held it."""
    connection = access.connection(connection_id)
    if connection is None:
        return
    stop_monitoring(connection)
    with contextlib.suppress(DeleteError):
        connection.delete()
    if connection.role == Role.PATRON and connection.session_id:
        _patron_left(connection_id, connection.session_id)
    elif connection.role == Role.LIBRARIAN and connection.librarian:
        _librarian_left(connection_id, connection.librarian)
        if not access.sockets_of(connection.librarian):
            handoff.lapse_offers(to=connection.librarian)  # offers to them go back at once


def colleague(connection: Connection) -> Colleague:
    return Colleague(email=connection.librarian or "", name=connection.name, library=connection.library)


def start_monitoring(librarian: Connection, queues: list[str], roster: str) -> list[Colleague]:
    """Offer this socket the requests of `queues` (and no others), and put it in `roster`;
    returns who is in the roster now. Its colleagues hear if the librarian just came online."""
    was_in = set(librarian.queues or [])
    wanted = [*queues, roster]
    for gone in was_in - set(wanted):
        Monitor(queue=gone, connection_id=librarian.connection_id).delete()
    with Monitor.batch_write() as batch:
        for queue in wanted:
            batch.save(
                Monitor(
                    queue=queue,
                    connection_id=librarian.connection_id,
                    librarian=librarian.librarian,
                    name=librarian.name,
                    library=librarian.library,
                    is_admin=librarian.is_admin,
                    expires_at=librarian.expires_at,
                )
            )
    librarian.update(actions=[Connection.queues.set(wanted)])
    present = access.roster(roster)
    others = [
        m
        for m in present
        if m.librarian == librarian.librarian and m.connection_id != librarian.connection_id
    ]
    if roster not in was_in and not others:
        notify.roster_update(roster, "online", colleague(librarian))
    return list(
        {m.librarian: Colleague(email=m.librarian, name=m.name, library=m.library) for m in present}.values()
    )


def stop_monitoring(connection: Connection) -> None:
    """The socket is no longer offered requests nor in its roster; its colleagues hear if
    that was the librarian's last monitoring socket."""
    for queue in connection.queues or []:
        Monitor(queue=queue, connection_id=connection.connection_id).delete()
    for roster in (q for q in connection.queues or [] if q.startswith("roster#")):
        if not any(m.librarian == connection.librarian for m in access.roster(roster)):
            notify.roster_update(roster, "offline", colleague(connection))


def stop_offering(librarian: Connection) -> None:
    """New requests are no longer offered to this socket; its chats go on."""
    stop_monitoring(librarian)
    librarian.update(actions=[Connection.queues.remove()])


def _patron_left(connection_id: str, session_id: str) -> None:
    """A live chat waits for its patron for the grace period; librarians are told at once."""
    session = access.session(session_id)
    if session.patron_connection != connection_id or session.status == Status.ENDED:
        return
    back_by = clock.now() + timedelta(seconds=settings().patron_grace_seconds)
    try:
        sessions.patron_away(session, connection_id, clock.iso(back_by))
    except ChatChanged:
        return  # the patron came back, or the chat ended, in the meantime
    if session.status == Status.RECONNECTING:
        notify.session_update(session)


def _librarian_left(connection_id: str, librarian: str) -> None:
    """The socket leaves each of the librarian's chats. A chat whose librarian has no socket
    left in it waits for them for the grace period, and its patron is told they are
    reconnecting; the chat is not ended."""
    back_by = clock.iso(clock.now() + timedelta(seconds=settings().librarian_grace_seconds))
    for session in access.open_sessions_of(librarian):
        if connection_id not in session.staff_connection_ids():
            continue
        try:
            now_away = sessions.librarian_socket_left(session, connection_id, back_by)
        except ChatChanged:
            continue
        if now_away:
            notify.session_update(session)


def librarian_back(session: ChatSession, connection_id: str | None = None) -> None:
    """The librarian is in their chat again (on `connection_id`, when given): clear the away
    mark, and tell everyone in the chat if there was one."""
    try:
        was_away = sessions.librarian_back(session, connection_id)
    except ChatChanged:
        return  # ended meanwhile
    if was_away:
        notify.session_update(session)


def patron_back(patron: Connection, session: ChatSession) -> ChatSession:
    """The patron's new socket takes over their chat and ends their grace period; if the chat
    had been `reconnecting`, its librarians hear it is active again. The old socket's
    $disconnect may land at the same moment and change the status, so a lost race is re-read
    and tried again; an ended chat is left as it is."""
    for _ in range(5):
        if session.status == Status.ENDED:
            break
        try:
            revived = sessions.patron_back(session, patron.connection_id)
        except ChatChanged:
            session = access.session(session.session_id)
            continue
        if revived:
            notify.session_update(session, skip=patron.connection_id)
        break
    else:
        raise RuntimeError(f"could not resume {session.session_id}: too much contention")
    patron.update(actions=[Connection.session_id.set(session.session_id)])
    return session


def rejoin_open_chats(librarian: Connection) -> list[ChatSession]:
    """A librarian back on a new socket takes their open chats with them."""
    chats = access.open_sessions_of(librarian.librarian or "")
    for session in chats:
        if session.status != Status.ENDED and librarian.connection_id not in session.staff_connection_ids():
            librarian_back(session, librarian.connection_id)
    return chats
