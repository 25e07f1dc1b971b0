"""A library's settings and policy page over REST: read by its own and its cooperative's
librarians, changed only by the library's admins."""

from __future__ import annotations

from ..data import access
from ..domain import library_settings
from ..domain.auth import Librarian
from ..errors import BadRequest
from ..wire.library_settings import LibrarySettings, LibrarySettingsView, PolicyBody
from ..wire.rest import PolicyReply
from . import authorize


def get_settings(librarian: Librarian, library_id: str) -> LibrarySettingsView:
    library = access.library(library_id)
    authorize.serves(librarian, library_id)
    return library_settings.settings_of(library)


def put_settings(librarian: Librarian, settings: LibrarySettings, library_id: str) -> LibrarySettingsView:
    authorize.admin_of(librarian, library_id, "change its settings")
    library = access.library(library_id)
    if settings.library_id != library.library_id:
        raise BadRequest("'library_id' cannot be changed: send the library's own id.")
    if settings.cooperative != library.cooperative:
        raise BadRequest("'cooperative' cannot be changed here: send the library's cooperative as it is.")
    return library_settings.save_settings(library, settings)


def put_policy(librarian: Librarian, body: PolicyBody, library_id: str) -> PolicyReply:
    authorize.admin_of(librarian, library_id, "change its policy page")
    library = access.library(library_id)
    library_settings.save_policy(library, body.sections)
    return library_settings.policy_of(library)
