"""Librarians talking to each other outside a chat: `im` to a colleague of one's library or
cooperative who is signed in. Messages are not stored: each page keeps its open conversation."""

from __future__ import annotations

from .. import notify
from ..data import access
from ..domain import directory, presence
from ..errors import BadRequest, Forbidden, NotFound
from ..wire import actions as wire
from .caller import Caller


def im(caller: Caller, request: wire.Im) -> None:
    librarian = caller.librarian()
    to = request.librarian.lower()
    if to == librarian.librarian:
        raise BadRequest("That is you.")
    member = access.staff_member(to)
    if member is None:
        raise NotFound(f"There is no librarian {request.librarian}.")
    if not directory.same_desk(librarian.library or "", member.library):
        raise Forbidden(f"{member.name} is not in your library or cooperative.")
    sockets = access.sockets_of(to)
    if not sockets:
        raise NotFound(f"{member.name} is not signed in.")
    notify.im(sockets, presence.colleague(librarian), request.text)
