"""The limits that the server enforces and the pages show: one place for both.

The pages read them from `GET /api/me` (the monitor) and the library's availability (the
patron's window), so a limit changed here changes everywhere.
"""

from __future__ import annotations

TEXT = 4000  # a message, note, question or pushed URL, in characters
NAME = 200  # a patron's name
EMAIL = 254
PAGE_URL = 2000
CODE = 64  # a wrap-up code's id
CODE_LABEL = 100
DESCRIPTIVE_CODES = 4  # descriptive codes per chat
REF = 128  # a client's reference for a frame
FRAME_BYTES = 32 * 1024  # one WebSocket frame


def public() -> dict[str, int]:
    """What the pages need to size their fields and say what is allowed."""
    return {
        "text": TEXT,
        "name": NAME,
        "email": EMAIL,
        "code": CODE,
        "code_label": CODE_LABEL,
        "descriptive_codes": DESCRIPTIVE_CODES,
    }
