"""Libraries and cooperatives: who may serve whose patrons, and what patrons are told."""

from __future__ import annotations

from ..data import access
from ..data.models import Library
from ..wire.events import Alternative
from ..wire.rest import AvailabilityReply

AVAILABLE = "A librarian is ready to chat."
DEFAULT_UNAVAILABLE = (
    "No librarian is available to chat right now. Leave your question and we will answer "
    "by e-mail, or try one of these instead."
)


def servable_queues(home: Library) -> list[str]:
    """A librarian's library and every library in its cooperative."""
    if not home.cooperative:
        return [home.library_id]
    members = access.cooperative_members(home.cooperative)
    return [home.library_id, *sorted(m for m in members if m != home.library_id)]


def may_serve(librarian_library: str, patron_library: str) -> bool:
    if librarian_library == patron_library:
        return True
    patron_home = access.library(patron_library)
    if not patron_home.cooperative:
        return False
    return access.library(librarian_library).cooperative == patron_home.cooperative


def roster_key(library: Library) -> str:
    """The roster a library's librarians appear in: their cooperative's, or their own."""
    return f"roster#{library.cooperative or library.library_id}"


def same_desk(one: str, other: str) -> bool:
    """Whether librarians of these two libraries work one desk: one library or cooperative."""
    return may_serve(one, other)


def alternatives(library: Library) -> list[Alternative]:
    return [Alternative.model_validate(item) for item in library.alternatives or []]


def availability(library: Library) -> AvailabilityReply:
    """Whether anyone who may serve this library's patrons is monitoring its queue now: its
    own librarians, and its cooperative partners' unless it never escalates to them."""
    partners_count = library.escalate_after_s() is not None
    of_library = None if partners_count else library.library_id
    if access.anyone_monitoring(library.library_id, of_library=of_library):
        return AvailabilityReply(
            available=True, message=AVAILABLE, alternatives=[], name=library.name, hours=library.hours
        )
    return AvailabilityReply(
        available=False,
        message=library.unavailable_message or DEFAULT_UNAVAILABLE,
        alternatives=alternatives(library),
        name=library.name,
        hours=library.hours,
    )
