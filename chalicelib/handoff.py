"""A chat changing hands: back to the queue, transcript intact, when its librarian is gone.

QuestionPoint ended a chat whose librarian's browser crashed; Refdesk keeps the patron and
offers the chat to the librarian's colleagues instead.
"""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from . import delivery, queue, transcript, views
from .data.models import ChatSession
from .transcript import SYSTEM

BACK_IN_QUEUE = (
    "{librarian} lost their connection, so your chat is back in the queue. The next librarian "
    "will see everything said so far; please stay on this page."
)


def requeue(session: ChatSession) -> bool:
    """Return an accepted chat to its library's waiting queue; False if it had moved on."""
    owner = session.librarian
    try:
        session.update(
            actions=[
                ChatSession.status.set("waiting"),
                ChatSession.waiting_queue.set(session.library),
                ChatSession.librarian.remove(),
                ChatSession.accepted_at.remove(),
                ChatSession.open_librarian.remove(),
                ChatSession.staff_connections.set({}),
                ChatSession.librarian_away.remove(),
                ChatSession.librarian_back_by.remove(),
            ],
            condition=ChatSession.status.is_in("active", "reconnecting") & (ChatSession.librarian == owner),
        )
    except UpdateError:
        return False
    name = session.staff_names.as_dict().get(owner) or "Your librarian"
    appended = transcript.append(session, SYSTEM, BACK_IN_QUEUE.format(librarian=name), kind="system")
    session = appended.session
    delivery.send(session.connection_ids(), views.message_event(appended.message))  # type: ignore[arg-type]
    delivery.send(session.connection_ids(), views.session_update(session))
    queue.announce("added", session)
    return True
