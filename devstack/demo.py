"""Demo data: one cooperative, two libraries, three librarians (README lists the logins)."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from chalicelib import clock
from chalicelib.data.models import POLICY, Library, LibraryText, Staff
from chalicelib.domain.auth import hash_password

from . import demo_canned, demo_policies, demo_reports

PASSWORD = "demo-password"

LIBRARIANS = [
    ("alice@demo-public.example", "Alice Archer", "demo-public", True),
    ("bob@demo-public.example", "Bob Binder", "demo-public", False),
    ("carol@demo-univ.example", "Carol Catalog", "demo-univ", False),
]


def load() -> None:
    save_library(
        "demo-public",
        "Demo Public Library",
        cooperative="demo-coop",
        policy_sections=demo_policies.PUBLIC_LIBRARY,
        hours="Mon-Thu 9-21, Fri-Sat 9-17, Sun 13-17",
        website="https://demo-public.example/",
        alternatives=[
            {"label": "Call the reference desk: 555-0100", "url": "tel:+15555550100"},
            {
                "label": "E-mail your question to ask@demo-public.example",
                "url": "mailto:ask@demo-public.example",
            },
            {"label": "Browse our FAQ", "url": "https://demo-public.example/faq"},
        ],
    )
    save_library(
        "demo-univ",
        "Demo University Library",
        cooperative="demo-coop",
        policy_sections=demo_policies.UNIVERSITY_LIBRARY,
        hours="Mon-Fri 8-24, Sat-Sun 10-22",
        website="https://demo-univ.example/",
        alternatives=[
            {"label": "E-mail the library", "url": "mailto:ask@demo-univ.example"},
            {"label": "Research guides", "url": "https://demo-univ.example/guides"},
        ],
    )
    for email, name, library, is_admin in LIBRARIANS:
        save_staff(email, name, library, PASSWORD, is_admin=is_admin)
    demo_canned.load()
    # A month of past chats, so the Reports tab has something to show (today's are real).
    yesterday = clock.now().date() - timedelta(days=1)
    demo_reports.save(
        demo_reports.past_chats(
            "demo-public",
            ["alice@demo-public.example", "bob@demo-public.example"],
            last=yesterday,
            days=30,
            partner=("demo-univ", "carol@demo-univ.example"),
        )
    )


def load_fixtures(spec: dict[str, Any]) -> None:
    """{"libraries": [{id, name, cooperative?, alternatives?, policy?, escalate_after_s?, give_up_after_s?}],
    "staff": [{email, name, library, admin?, password?}]}"""
    for library in spec.get("libraries", []):
        save_library(
            library["id"],
            library.get("name", library["id"]),
            cooperative=library.get("cooperative"),
            policy=library.get("policy", ""),
            alternatives=library.get("alternatives"),
            routing={k: library[k] for k in ("escalate_after_s", "give_up_after_s") if k in library},
        )
    for member in spec.get("staff", []):
        save_staff(
            member["email"],
            member.get("name", member["email"]),
            member["library"],
            member.get("password", PASSWORD),
            is_admin=member.get("admin", False),
        )


def save_library(
    library_id: str,
    name: str,
    *,
    cooperative: str | None = None,
    policy: str = "",
    hours: str = "",
    alternatives: list[dict[str, str]] | None = None,
    unavailable_message: str | None = None,
    routing: dict[str, int | None] | None = None,
    policy_sections: list[dict[str, str]] | None = None,
    website: str | None = None,
) -> Library:
    library = Library(
        library_id=library_id,
        name=name,
        cooperative=cooperative,
        policy=policy,
        hours=hours,
        alternatives=alternatives or [],
        unavailable_message=unavailable_message,
        routing=routing or {},
        website=website,
    )
    library.save()
    if policy_sections is not None:
        LibraryText(
            library_id=library_id, kind=POLICY, body=policy_sections, updated_at=clock.iso(clock.now())
        ).save()
    return library


@cache
def _demo_hash(password: str) -> str:
    """Demo and test staff share a few passwords: hash each once per process (a real hash,
    salted once), not once per librarian, at a quarter second each."""
    return hash_password(password)


def save_staff(email: str, name: str, library: str, password: str, *, is_admin: bool = False) -> Staff:
    member = Staff(
        email=email.lower(),
        name=name,
        library=library,
        is_admin=is_admin,
        password_hash=_demo_hash(password),
    )
    member.save()
    return member
