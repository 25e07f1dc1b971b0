"""Coming back after a drop: `resume` rebinds a patron's new socket to their chat."""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from . import delivery, patron_token, transcript, views, wire
from .caller import Caller
from .data import access
from .data.models import ChatSession, Connection


def resume(caller: Caller, request: wire.Resume) -> None:
    patron = caller.patron()
    session = patron_token.session_for(request.patron_token)
    if session.status != "ended":
        actions = [
            ChatSession.patron_connection.set(caller.connection_id),
            ChatSession.grace_for.remove(),
            ChatSession.grace_until.remove(),
        ]
        if session.status == "reconnecting":
            actions.append(ChatSession.status.set("active"))
        try:
            session.update(actions=actions, condition=ChatSession.status == session.status)
        except UpdateError:
            session = access.session(session.session_id)  # ended meanwhile: report it as it is
    patron.update(actions=[Connection.session_id.set(session.session_id)])
    missed = transcript.history(session.session_id, request.after_seq, for_staff=False)
    caller.reply(
        wire.Resumed(
            session=views.session_view(session, for_staff=False),
            messages=[views.message_view(m) for m in missed],
        )
    )
    if session.status == "active":
        delivery.send(session.staff_connection_ids(), views.session_update(session))
