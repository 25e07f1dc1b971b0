"""A chat changing hands, transcript intact: back to the queue when its librarian is gone,
or passed by its librarian to their own or a cooperative partner's queue.

QuestionPoint ended a chat whose librarian's browser crashed; Refdesk keeps the patron and
offers the chat to the librarian's colleagues instead.
"""

from __future__ import annotations

from .. import notify
from ..data import sessions
from ..data.models import ChatSession
from ..statuses import Kind
from . import messages
from .messages import SYSTEM

BACK_IN_QUEUE = (
    "{librarian} lost their connection, so your chat is back in the queue. The next librarian "
    "will see everything said so far; please stay on this page."
)
TRANSFERRED = (
    "{librarian} has passed your chat to {library}. The next librarian will see everything "
    "said so far; please stay on this page."
)


def requeue(session: ChatSession, *, to_queue: str | None = None, text: str | None = None) -> None:
    """Put an accepted chat back to waiting in `to_queue` (its own library's by default) and
    tell the patron with `text`; ChatChanged if it had moved on in the meantime."""
    owner_name = session.staff_names.as_dict().get(session.librarian or "") or "Your librarian"
    sessions.requeue(session, to_queue or session.library)
    appended = messages.post(session, SYSTEM, text or BACK_IN_QUEUE.format(librarian=owner_name), Kind.SYSTEM)
    notify.session_update(appended.session)
    notify.queue_update("added", appended.session)
