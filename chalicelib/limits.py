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
# API Gateway refuses to carry a WebSocket message over 128 KB either way (a post to a socket
# gets 413 PayloadTooLargeException). Every event the service builds keeps to a budget well
# under that: replies that can grow (a transcript, the queues) carry what fits and say what
# was left out.
MESSAGE_BYTES = 128 * 1024
EVENT_BYTES = 96 * 1024  # the budget of one outgoing event, as UTF-8 JSON, ref included
CHAT_MESSAGES = 2000  # messages people write in one chat (system notices still go in after)
SNAPSHOT_NEW_PER_QUEUE = 10  # queue_snapshot.new: the oldest requests of each queue, at most
SNAPSHOT_MINE = 50  # queue_snapshot.mine: a librarian's chats, at most
SNAPSHOT_ALL = 100  # queue_snapshot.all: an admin's library's live chats, at most
ACTIVITY_ENTRIES = 200  # a question's follow-up activity, entries
# ...and their strings (kind, text, author, time), UTF-8: well inside the item's 400 KB (and
# inside what the local stack's moto allows an update, which counts an attribute's old and new
# values together)
ACTIVITY_BYTES = 150_000
RATING_COMMENT = 1000  # a patron's comment with their rating, in characters
RATING_DAYS = 7  # a chat may be rated until this long after it ended
REPORT_DAYS = 366  # the longest range one report covers
REPORT_CSV_ROWS = 5000  # a page of the CSV (well inside Lambda's 6 MB reply)
PASSWORD_MIN = 10  # a librarian's password, in characters
PASSWORD_MAX = 256

# A library's canned messages (PUT /api/libraries/{id}/canned); a text is at most TEXT
CANNED_MESSAGES = 200
CANNED_TITLE = 100
CANNED_BYTES = 350_000  # all of them as stored (UTF-8 JSON): one DynamoDB item holds 400 KB
# What a library's item may hold (JSON as stored; the item is read by routing and every check
# of who may serve whom, and holds 400 KB): its code lists, and its alternatives
CODES_BYTES = 150_000
ALTERNATIVES_BYTES = 100_000

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
POLICY_BYTES = 350_000  # all the sections as stored (UTF-8 JSON), as CANNED_BYTES


def public() -> dict[str, int]:
    """What the pages need to size their fields and say what is allowed."""
    return {
        "text": TEXT,
        "name": NAME,
        "email": EMAIL,
        "code": CODE,
        "code_label": CODE_LABEL,
        "descriptive_codes": DESCRIPTIVE_CODES,
        "rating_comment": RATING_COMMENT,
        "report_days": REPORT_DAYS,
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
