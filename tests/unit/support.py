"""What several unit tests build: a chat saved in moto."""

from __future__ import annotations

from typing import Any

from chalicelib.data.models import ChatSession


def saved_chat(**fields: Any) -> ChatSession:
    """Chat "s1" of library "lib", active, saved; `fields` add to it or replace its own."""
    session = ChatSession(
        **{
            "session_id": "s1",
            "library": "lib",
            "status": "active",
            "question": "q",
            "question_id": "s1",
            "patron_token_hash": "h",
            "created_at": "2026-11-23T10:00:00.000Z",
            **fields,
        }
    )
    session.save()
    return session
