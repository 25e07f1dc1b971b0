"""The chat monitor's queues: who is watching which library's requests, and what they see."""

from __future__ import annotations

from . import delivery, directory, presence, views, wire
from .caller import Caller
from .data import access
from .data.models import ChatSession, Connection, Monitor
from .errors import Forbidden


def monitor(caller: Caller, request: wire.Monitor) -> None:
    librarian = caller.librarian()
    servable = directory.servable_queues(librarian.library)
    queues = list(dict.fromkeys(request.queues or servable))
    refused = [queue for queue in queues if queue not in servable]
    if refused:
        raise Forbidden(f"You may not monitor {', '.join(refused)}: not your library or cooperative.")
    presence.stop_monitoring(librarian)
    with Monitor.batch_write() as batch:
        for queue in queues:
            batch.save(
                Monitor(
                    queue=queue,
                    connection_id=librarian.connection_id,
                    librarian=librarian.librarian,
                    expires_at=librarian.expires_at,
                )
            )
    librarian.update(actions=[Connection.queues.set(queues)])
    mine = _rejoin_open_chats(librarian)
    caller.reply(
        wire.QueueSnapshot(
            new=[
                views.session_view(session, for_staff=True)
                for queue in queues
                for session in access.waiting_requests(queue)
            ],
            mine=[views.session_view(session, for_staff=True) for session in mine],
            all=(
                [views.session_view(s, for_staff=True) for s in access.live_sessions(librarian.library)]
                if librarian.is_admin
                else None
            ),
        )
    )


def stop_monitoring(caller: Caller, request: wire.StopMonitoring) -> None:
    stop_offering(caller.librarian())


def stop_offering(librarian: Connection) -> None:
    """New requests are no longer offered to this socket; its chats go on."""
    presence.stop_monitoring(librarian)
    librarian.update(actions=[Connection.queues.remove()])


def _rejoin_open_chats(librarian: Connection) -> list[ChatSession]:
    """A librarian back on a new socket takes their open chats with them."""
    sessions = access.open_sessions_of(librarian.librarian)
    for session in sessions:
        if session.status != "ended" and librarian.connection_id not in session.staff_connection_ids():
            presence.librarian_back(session, librarian.connection_id)
    return sessions


def announce(op: str, session: ChatSession, queue: str | None = None) -> None:
    """Tell everyone watching a queue (by default the one the request waits in, else its
    library's) that a request arrived, was taken or left."""
    queue = queue or session.waiting_queue or session.library
    watchers = [m.connection_id for m in access.monitors_of(queue)]
    if watchers:
        delivery.send(
            watchers,
            wire.QueueUpdate(op=op, queue=queue, session=views.session_view(session, for_staff=True)),  # type: ignore[arg-type]
        )
