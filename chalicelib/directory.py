"""Libraries, cooperatives and staff: who may serve whose patrons, and what patrons are told."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .auth import hash_password
from .data import access
from .data.models import Library, Staff

AVAILABLE = "A librarian is ready to chat."
DEFAULT_UNAVAILABLE = (
    "No librarian is available to chat right now. Leave your question and we will answer "
    "by e-mail, or try one of these instead."
)


def servable_queues(library_id: str) -> list[str]:
    """A librarian's library and every library in its cooperative."""
    home = access.library(library_id)
    if not home.cooperative:
        return [library_id]
    members = access.cooperative_members(home.cooperative)
    return [library_id, *sorted(m for m in members if m != library_id)]


def may_serve(librarian_library: str, patron_library: str) -> bool:
    if librarian_library == patron_library:
        return True
    patron_home = access.library(patron_library)
    if not patron_home.cooperative:
        return False
    return access.library(librarian_library).cooperative == patron_home.cooperative


@dataclass(frozen=True)
class Availability:
    available: bool
    message: str
    alternatives: list[dict[str, str]]
    name: str  # the library's, for the patron's window
    hours: str

    def public(self) -> dict[str, object]:
        return asdict(self)


def availability(library: Library) -> Availability:
    """Whether anyone who may serve this library's patrons is monitoring its queue now."""
    if access.anyone_monitoring(library.library_id):
        return Availability(True, AVAILABLE, [], library.name, library.hours)
    message = library.unavailable_message or DEFAULT_UNAVAILABLE
    return Availability(False, message, list(library.alternatives or []), library.name, library.hours)


def policy_url(library_id: str) -> str:
    return f"/api/libraries/{library_id}/policy"


def save_library(
    library_id: str,
    name: str,
    *,
    cooperative: str | None = None,
    policy: str = "",
    hours: str = "",
    alternatives: list[dict[str, str]] | None = None,
    unavailable_message: str | None = None,
) -> Library:
    library = Library(
        library_id=library_id,
        name=name,
        cooperative=cooperative,
        policy=policy,
        hours=hours,
        alternatives=alternatives or [],
        unavailable_message=unavailable_message,
    )
    library.save()
    return library


def save_staff(email: str, name: str, library: str, password: str, *, is_admin: bool = False) -> Staff:
    member = Staff(
        email=email.lower(),
        name=name,
        library=library,
        is_admin=is_admin,
        password_hash=hash_password(password),
    )
    member.save()
    return member
