"""A library's public face and settings over REST: availability, policy page, code lists."""

from __future__ import annotations

from ..data import access
from ..domain import codes, directory, library_settings
from ..domain.auth import Librarian
from ..wire.rest import AvailabilityReply, CodeLists, PolicyReply
from . import authorize


def availability(library_id: str) -> AvailabilityReply:
    """Public: whether a patron of this library can chat now, and what to do if not."""
    return directory.availability(access.library(library_id))


def policy(librarian: Librarian, library_id: str) -> PolicyReply:
    library = access.library(library_id)
    authorize.serves(librarian, library_id)
    return library_settings.policy_of(library)


def get_codes(librarian: Librarian, library_id: str) -> CodeLists:
    authorize.serves(librarian, library_id)
    return codes.lists_of(access.library(library_id))


def put_codes(librarian: Librarian, lists: CodeLists, library_id: str) -> CodeLists:
    authorize.admin_of(librarian, library_id, "change its codes")
    codes.save_lists(access.library(library_id), lists)
    return lists
