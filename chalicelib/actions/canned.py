"""A library's canned messages over REST: its own and its cooperative's librarians read them
(the picker in a chat's composer serves partners' patrons too); its admins replace them (the
monitor's Canned messages tab)."""

from __future__ import annotations

from ..data import access
from ..domain import canned
from ..domain.auth import Librarian
from ..wire.canned import CannedMessages
from . import authorize


def get_canned(librarian: Librarian, library_id: str) -> CannedMessages:
    library = access.library(library_id)
    authorize.serves(librarian, library_id)
    return canned.messages_of(library)


def put_canned(librarian: Librarian, messages: CannedMessages, library_id: str) -> CannedMessages:
    authorize.admin_of(librarian, library_id, "change its canned messages")
    return canned.save(access.library(library_id), messages)
