"""Demo data: one cooperative, two libraries, three librarians (README lists the logins)."""

from __future__ import annotations

from typing import Any

from chalicelib.data.models import Library, Staff
from chalicelib.domain.auth import hash_password

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
        policy=(
            "Demo Public Library serves residents of Demo County. Library cards are free. "
            "Patrons may renew items three times unless another patron has placed a hold. "
            "Please refer questions about fines to the circulation desk."
        ),
        hours="Mon-Thu 9-21, Fri-Sat 9-17, Sun 13-17",
        alternatives=[
            {"label": "Call the reference desk: 555-0100", "url": "tel:+15555550100"},
            {"label": "Leave a question for e-mail follow-up", "url": "/chat/demo-public#question"},
            {"label": "Browse our FAQ", "url": "https://demo-public.example/faq"},
        ],
    )
    save_library(
        "demo-univ",
        "Demo University Library",
        cooperative="demo-coop",
        policy=(
            "Demo University Library serves students, faculty and staff of Demo University. "
            "Visitors may use materials in the building. Interlibrary loan is for current "
            "students and staff only; refer alumni to their public library."
        ),
        hours="Mon-Fri 8-24, Sat-Sun 10-22",
        alternatives=[
            {"label": "E-mail the library", "url": "mailto:ask@demo-univ.example"},
            {"label": "Research guides", "url": "https://demo-univ.example/guides"},
        ],
    )
    for email, name, library, is_admin in LIBRARIANS:
        save_staff(email, name, library, PASSWORD, is_admin=is_admin)


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
