"""Cursors: a page's last DynamoDB key, handed to a client as an opaque string and back."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ..errors import BadRequest


def decode(raw: str | None) -> dict[str, Any] | None:
    """The key a cursor carries (None for no cursor); BadRequest if it is not one we gave out."""
    if not raw:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(raw.encode()))
    except (ValueError, binascii.Error, RecursionError):
        key = None
    if not isinstance(key, dict):
        raise BadRequest("That cursor is not one this list gave out.")
    return key


def encode(key: dict[str, Any] | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None
