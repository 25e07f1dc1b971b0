"""A library's public face and settings over REST: availability, policy page, code lists."""

from __future__ import annotations

from ..data import access
from ..domain import codes, directory
from ..domain.auth import Librarian
from ..errors import Forbidden
from ..wire.rest import AvailabilityReply, CodeLists, PolicyReply


def _serves(librarian: Librarian, library_id: str) -> None:
    if not directory.may_serve(librarian.library, library_id):
        raise Forbidden("That library is not yours or in your cooperative.")


def availability(library_id: str) -> AvailabilityReply:
    """Public: whether a patron of this library can chat now, and what to do if not."""
    return directory.availability(access.library(library_id))


def policy(librarian: Librarian, library_id: str) -> PolicyReply:
    library = access.library(library_id)
    _serves(librarian, library_id)
    return PolicyReply(
        library_id=library.library_id,
        name=library.name,
        cooperative=library.cooperative,
        policy=library.policy,
        hours=library.hours,
        alternatives=directory.alternatives(library),
    )


def get_codes(librarian: Librarian, library_id: str) -> CodeLists:
    _serves(librarian, library_id)
    return codes.lists_of(access.library(library_id))


def put_codes(librarian: Librarian, lists: CodeLists, library_id: str) -> CodeLists:
    if not (librarian.is_admin and librarian.library == library_id):
        raise Forbidden("Only an admin of this library may change its codes.")
    codes.save_lists(access.library(library_id), lists)
    return lists
