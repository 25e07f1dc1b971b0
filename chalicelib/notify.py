"""Who hears what: one function per kind of pushed event picks its recipients and builds it.

Operations call these after a state change; none of them picks connections or builds an
event itself. A request's own reply goes back through its Caller, so `skip` leaves out the
socket that already has the news in that reply.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from . import clock, delivery, serialize
from .data import access
from .data.models import ChatSession, Message, Monitor
from .statuses import Role
from .wire.events import (
    Colleague,
    ImEvent,
    Person,
    QueuePosition,
    QueueUpdate,
    RosterUpdate,
    Sender,
    SignedOutEvent,
    SignOutReason,
    TransferDeclined,
    TransferOffer,
    TypingEvent,
)

QueueOp = Literal["added", "taken", "removed", "changed"]


# --- in a chat ------------------------------------------------------------------------------------


def message(session: ChatSession, message: Message) -> None:
    """A new message in a chat: notes to its librarians only, everything else to everyone in it."""
    readers = session.staff_connection_ids() if message.staff_only else session.connection_ids()
    delivery.send(readers, serialize.message_event(message))


def session_update(session: ChatSession, *, skip: str | None = None, also: Iterable[str] = ()) -> None:
    """The chat's status or librarians changed: everyone in it hears but `skip` (and `also`
    sockets that have just left it), and so do the admins of its library watching its queue,
    whose All tab shows every live chat. Librarians see whose chat it is (e-mails); the
    patron sees names only."""
    left = tuple(also)
    staff = {*session.staff_connection_ids(), *left}
    hearing = [c for c in (*session.connection_ids(), *left) if c != skip]
    delivery.send([c for c in hearing if c not in staff], serialize.session_update(session))
    delivery.send([c for c in hearing if c in staff], serialize.session_update(session, for_staff=True))
    admins = [m.connection_id for m in access.monitors_of(session.library) if _admin_of(m, session.library)]
    if admins:
        _queue_event(admins, "changed", session.library, session)


def typing(session: ChatSession, role: Role, name: str | None, typing: bool, *, skip: str) -> None:
    """Someone in the chat started or stopped typing: the others hear."""
    delivery.send(
        (c for c in session.connection_ids() if c != skip),
        TypingEvent(session_id=session.session_id, typing=typing, sender=Sender(role=role, name=name)),
    )


# --- queues ---------------------------------------------------------------------------------------


def queue_update(op: QueueOp, session: ChatSession, queue: str | None = None) -> None:
    """A request arrived in, was taken from, or left a queue (by default the one it waits in,
    else its library's): the queue's own librarians hear, and its cooperative partners
    watching it too once the request has been offered to them."""
    queue = queue or session.waiting_in() or session.library
    watchers = [m.connection_id for m in access.monitors_of(queue) if session.escalated or _home(m, queue)]
    if watchers:
        _queue_event(watchers, op, queue, session)


def escalated(session: ChatSession) -> None:
    """A request was offered to the cooperative: it is new to the partners watching its queue;
    its queue's own librarians see it marked."""
    queue = session.waiting_in() or session.library
    monitors = access.monitors_of(queue)
    _queue_event([m.connection_id for m in monitors if not _home(m, queue)], "added", queue, session)
    _queue_event([m.connection_id for m in monitors if _home(m, queue)], "changed", queue, session)


def queue_positions(queue: str, behind: str) -> None:
    """The line in `queue` moved for every request made after `behind` (one left or came
    back ahead of them): each of those patrons hears their new place. One Query a change,
    one post a patron whose place changed."""
    for place, waiting in enumerate(access.waiting_line(queue), start=1):
        if waiting.created_at > behind and waiting.patron_connection:
            delivery.send(
                [waiting.patron_connection], QueuePosition(session_id=waiting.session_id, position=place)
            )


def _home(monitor: Monitor, queue: str) -> bool:
    return monitor.library in (None, queue)


def _admin_of(monitor: Monitor, library: str) -> bool:
    return bool(monitor.is_admin) and monitor.library == library


def _queue_event(connection_ids: list[str], op: QueueOp, queue: str, session: ChatSession) -> None:
    if connection_ids:
        delivery.send(
            connection_ids,
            QueueUpdate(op=op, queue=queue, session=serialize.session_view(session, for_staff=True)),
        )


# --- colleagues -----------------------------------------------------------------------------------


def roster_update(roster: str, op: Literal["online", "offline"], librarian: Colleague) -> None:
    """A librarian started or stopped monitoring: everyone else in their cooperative's roster
    hears (the librarian has the news in their own reply)."""
    others = [m.connection_id for m in access.roster(roster) if m.librarian != librarian.email]
    delivery.send(others, RosterUpdate(op=op, librarian=librarian))


def im(sockets: list[str], sender: Colleague, text: str) -> None:
    delivery.send(sockets, ImEvent(sender=sender, text=text, sent_at=clock.iso(clock.now())))


def transfer_offer(
    sockets: list[str], session: ChatSession, sender: Person, note: str | None, expires_at: str
) -> None:
    delivery.send(
        sockets,
        TransferOffer(
            session=serialize.session_view(session, for_staff=True),
            sender=sender,
            note=note,
            expires_at=expires_at,
        ),
    )


def transfer_declined(
    session: ChatSession,
    offering: str,
    by: Person,
    reason: Literal["declined", "timeout", "offline"],
    text: str,
) -> None:
    """The offering librarian's sockets in the chat hear that their offer was not taken."""
    sockets = [c for c, who in session.staff_connections.as_dict().items() if who == offering]
    delivery.send(
        sockets, TransferDeclined(session_id=session.session_id, by=by, reason=reason, message=text)
    )


def signed_out(sockets: list[str], reason: SignOutReason, message: str) -> None:
    """A librarian's sign-in ended elsewhere: each of their open windows is told why."""
    delivery.send(sockets, SignedOutEvent(reason=reason, message=message))
