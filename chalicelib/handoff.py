"""A chat changing hands, transcript intact: back to the queue when its librarian is gone,
or transferred by its librarian to their own or a cooperative partner's queue.

QuestionPoint ended a chat whose librarian's browser crashed; Refdesk keeps the patron and
offers the chat to the librarian's colleagues instead.
"""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from . import chat, delivery, directory, queue, views, wire
from .caller import Caller
from .data import access
from .data.models import ChatSession
from .errors import BadRequest, Forbidden, SessionEnded
from .transcript import SYSTEM, Author

BACK_IN_QUEUE = (
    "{librarian} lost their connection, so your chat is back in the queue. The next librarian "
    "will see everything said so far; please stay on this page."
)
TRANSFERRED = (
    "{librarian} has passed your chat to {library}. The next librarian will see everything "
    "said so far; please stay on this page."
)


def requeue(session: ChatSession, *, to_queue: str | None = None, text: str | None = None) -> bool:
    """Put an accepted chat back to waiting in `to_queue` (its own library's by default);
    False if it had moved on (ended, or taken by someone else) in the meantime."""
    owner = session.librarian
    try:
        session.update(
            actions=[
                ChatSession.status.set("waiting"),
                ChatSession.waiting_queue.set(to_queue or session.library),
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
    appended = chat.post(session, SYSTEM, text or BACK_IN_QUEUE.format(librarian=name), "system")
    delivery.send(appended.session.connection_ids(), views.session_update(appended.session))
    queue.announce("added", appended.session)
    return True


def transfer(caller: Caller, request: wire.Transfer) -> None:
    """The chat's librarian passes it to a queue: their library's, or a partner's that may
    serve this patron. A note goes with it, for the next librarian only."""
    librarian = caller.librarian()
    session = access.session(request.session_id)
    if session.librarian != librarian.librarian:
        raise Forbidden("Only the chat's librarian may transfer it.")
    if session.status not in ("active", "reconnecting"):
        raise SessionEnded("Only a chat in progress can be transferred.")
    if request.librarian:
        raise BadRequest("Transfer to a named librarian is not available yet; transfer to a queue.")
    target = access.library(request.library or session.library)
    if not directory.may_serve(target.library_id, session.library):
        raise Forbidden(f"{target.name} is not in this patron's cooperative.")
    if request.note:
        author = Author("librarian", librarian.name, librarian.librarian or "")
        session = chat.post(session, author, f"Transfer note: {request.note}", "note").session
    text = TRANSFERRED.format(librarian=librarian.name or "Your librarian", library=target.name)
    if not requeue(session, to_queue=target.library_id, text=text):
        raise SessionEnded("The chat changed while it was being transferred; look again.")
