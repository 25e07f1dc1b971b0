"""The two checks REST handlers make on a library: that the librarian serves it (their own
library or one in their cooperative) and that they are one of its admins."""

from __future__ import annotations

from ..domain import directory
from ..domain.auth import Librarian
from ..errors import Forbidden


def serves(librarian: Librarian, library_id: str) -> None:
    if not directory.may_serve(librarian.library, library_id):
        raise Forbidden("That library is not yours or in your cooperative.")


def admin_of(librarian: Librarian, library_id: str, may: str) -> None:
    """Forbidden unless an admin of that library; `may` says what ("change its codes")."""
    if not (librarian.is_admin and librarian.library == library_id):
        raise Forbidden(f"Only an admin of this library may {may}.")
