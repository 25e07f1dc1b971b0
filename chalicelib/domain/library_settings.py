"""A library's settings (its name, chat hours, website, what a patron is offered when nobody
can chat, its routing times, how long its patrons' personal data is kept) and its policy
page: sections with a title and a text, dated when last saved, kept as an item of its own
(`LibraryText`, kind `policy`) so the library's item stays small.

A library whose policy page predates sections has only the plain `policy` text; it is shown
as one section, "Policy", until an admin saves sections."""

from __future__ import annotations

import json
from typing import Any

from .. import clock, limits
from ..data import access
from ..data.models import POLICY, Library, LibraryText
from ..data.models.base import compact_json_size
from ..errors import TooLarge
from ..wire.library_settings import LibrarySettings, LibrarySettingsView, PolicySection, PolicySectionView
from ..wire.rest import PolicyReply
from . import directory

LEGACY_TITLE = "Policy"


def settings_of(library: Library) -> LibrarySettingsView:
    return LibrarySettingsView(
        library_id=library.library_id,
        name=library.name,
        cooperative=library.cooperative,
        hours=library.hours or "",
        website=library.website or "",
        alternatives=directory.alternatives(library),
        unavailable_message=library.unavailable_message or "",
        escalate_after_s=library.escalate_after_s(),
        give_up_after_s=library.give_up_after_s(),
        retention_days=library.keep_personal_data_days(),
    )


def save_settings(library: Library, settings: LibrarySettings) -> LibrarySettingsView:
    """One UpdateItem of the settings' attributes only (code lists and the policy page stay
    as they are). Routing keeps "never" (null) apart from "not set" (absent)."""
    routing: dict[str, Any] = {
        **(library.routing or {}),
        "escalate_after_s": settings.escalate_after_s,
        "give_up_after_s": settings.give_up_after_s,
    }
    alternatives = [item.model_dump() for item in settings.alternatives]
    if len(json.dumps(alternatives).encode()) > limits.ALTERNATIVES_BYTES:  # as JSONAttribute stores it
        raise TooLarge(f"'alternatives' is too long: at most {limits.ALTERNATIVES_BYTES:,} bytes as stored.")
    library.update(
        actions=[
            Library.name.set(settings.name),
            Library.hours.set(settings.hours),
            Library.website.set(settings.website) if settings.website else Library.website.remove(),
            Library.alternatives.set(alternatives),
            (
                Library.unavailable_message.set(settings.unavailable_message)
                if settings.unavailable_message
                else Library.unavailable_message.remove()
            ),
            Library.routing.set(routing),
            Library.retention_days.set(settings.retention_days),
        ],
        condition=Library.library_id.exists(),
    )
    return settings_of(library)


def policy_sections(library: Library, saved: LibraryText | None) -> list[PolicySectionView]:
    """The policy page's sections; the plain policy text of a library that has none yet."""
    if saved is not None:
        return [PolicySectionView.model_validate(item) for item in saved.body]
    if library.policy and library.policy.strip():
        return [PolicySectionView(title=LEGACY_TITLE, text=library.policy.strip())]
    return []


def policy_text(sections: list[PolicySectionView]) -> str:
    """The sections as plain text (each title, then its text), for pages that show one text."""
    return "\n\n".join(f"{section.title}\n{section.text}" for section in sections)


def policy_of(library: Library) -> PolicyReply:
    """The policy page a librarian serving the library's patrons reads."""
    saved = access.library_text(library.library_id, POLICY)
    sections = policy_sections(library, saved)
    return PolicyReply(
        library_id=library.library_id,
        name=library.name,
        cooperative=library.cooperative,
        policy=library.policy if saved is None else policy_text(sections),
        hours=library.hours,
        alternatives=directory.alternatives(library),
        website=library.website or "",
        sections=sections,
        updated_at=saved.updated_at if saved else None,
    )


def save_policy(library: Library, sections: list[PolicySection]) -> None:
    """Replace the sections and date them now (one PutItem); TooLarge if, as stored, they
    would pass POLICY_BYTES (one item holds 400 KB)."""
    body = [section.model_dump() for section in sections]
    if compact_json_size(body) > limits.POLICY_BYTES:
        raise TooLarge(f"The policy page is too long: at most {limits.POLICY_BYTES:,} bytes as stored.")
    LibraryText(
        library_id=library.library_id,
        kind=POLICY,
        body=body,
        updated_at=clock.iso(clock.now()),
    ).save()
