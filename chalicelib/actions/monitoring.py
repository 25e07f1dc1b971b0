"""The chat monitor's queues: which libraries' requests a librarian watches, and what they see."""

from __future__ import annotations

from .. import serialize
from ..data import access
from ..domain import directory, presence, routing
from ..errors import Forbidden
from ..wire import actions as wire
from .caller import Caller


def monitor(caller: Caller, request: wire.Monitor) -> None:
    librarian = caller.librarian()
    home = access.library(librarian.library or "")
    servable = directory.servable_queues(home)
    queues = list(dict.fromkeys(request.queues or servable))
    refused = [queue for queue in queues if queue not in servable]
    if refused:
        raise Forbidden(f"You may not monitor {', '.join(refused)}: not your library or cooperative.")
    online = presence.start_monitoring(librarian, queues, directory.roster_key(home))
    mine = presence.rejoin_open_chats(librarian)
    waiting = {
        queue: [s for s in access.waiting_requests(queue) if routing.offered_to(s, home.library_id)]
        for queue in queues
    }
    caller.reply(
        serialize.queue_snapshot(
            waiting=waiting,
            mine=mine,
            live=access.live_sessions(librarian.library or "") if librarian.is_admin else None,
            online=online,
            queues=queues,
        )
    )


def stop_monitoring(caller: Caller, request: wire.StopMonitoring) -> None:
    presence.stop_offering(caller.librarian())
