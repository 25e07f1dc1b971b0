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
PASSWORD_MIN = 10  # a librarian's password, in characters
PASSWORD_MAX = 256

# A library's canned messages (PUT /api/libraries/{id}/canned); a text is at most TEXT
CANNED_MESSAGES = 200
CANNED_TITLE = 100
CANNED_BYTES = 350_000  # all of them as stored (UTF-8 JSON): one DynamoDB item holds 400 KB

# A library's settings and policy page (PUT /api/libraries/{id}, PUT .../policy)
LIBRARY_NAME = 200
HOURS = 500  # the chat hours, as the library writes them
UNAVAILABLE_MESSAGE = 1000  # what a patron is told when nobody can chat
URL = 2000  # a library's website or an alternative's address
ALTERNATIVES = 20  # things to try instead, shown when chat is closed
ALTERNATIVE_LABEL = 200
WAIT_MAX_S = 86400  # escalate_after_s and give_up_after_s: at most a day
GIVE_UP_MIN_S = 60  # a request waits at least a minute before it is given up
RETENTION_DAYS_MIN = 30
RETENTION_DAYS_MAX = 3650
POLICY_SECTIONS = 20
POLICY_TITLE = 120
POLICY_TEXT = 4000


def public() -> dict[str, int]:
    """What the pages need to size their fields and say what is allowed."""
    return {
        "text": TEXT,
        "name": NAME,
        "email": EMAIL,
        "code": CODE,
        "code_label": CODE_LABEL,
        "descriptive_codes": DESCRIPTIVE_CODES,
        "password_min": PASSWORD_MIN,
        "password_max": PASSWORD_MAX,
        "canned_messages": CANNED_MESSAGES,
        "canned_title": CANNED_TITLE,
        **library_settings(),
    }


def library_settings() -> dict[str, int]:
    """The limits of a library's settings and policy page, for the monitor's Library tab."""
    return {
        "library_name": LIBRARY_NAME,
        "hours": HOURS,
        "unavailable_message": UNAVAILABLE_MESSAGE,
        "url": URL,
        "alternatives": ALTERNATIVES,
        "alternative_label": ALTERNATIVE_LABEL,
        "wait_max_s": WAIT_MAX_S,
        "give_up_min_s": GIVE_UP_MIN_S,
        "retention_days_min": RETENTION_DAYS_MIN,
        "retention_days_max": RETENTION_DAYS_MAX,
        "policy_sections": POLICY_SECTIONS,
        "policy_title": POLICY_TITLE,
        "policy_text": POLICY_TEXT,
    }
