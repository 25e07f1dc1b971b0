"""The demo libraries' canned messages: what a reference desk keeps ready to paste and adapt
(a greeting, "let me check", "are you still there?", a closing, a referral)."""

from __future__ import annotations

from chalicelib.data import access
from chalicelib.domain import canned
from chalicelib.wire.canned import CannedMessages

PUBLIC_LIBRARY = [
    {
        "title": "Greeting",
        "text": "Hello, and thanks for contacting Demo Public Library! I'm reading your question now.",
    },
    {
        "title": "Let me check",
        "text": "Let me look into that for you. It may take a minute or two, so please stay with me.",
    },
    {
        "title": "Are you still there?",
        "text": "Are you still there? If I don't hear back in a few minutes I'll end the chat, "
        "and you'll get the transcript by e-mail if you gave us your address.",
    },
    {
        "title": "Library card",
        "text": "Library cards are free for residents of Demo County. Bring a photo ID and proof of "
        "address to any branch, or start an application online at https://demo-public.example/card",
    },
    {
        "title": "Referral: circulation desk (fines)",
        "text": "Questions about fines and fees are handled by our circulation desk: call 555-0100 "
        "during opening hours, or e-mail circ@demo-public.example.",
    },
    {
        "title": "Closing",
        "text": "Thanks for chatting with Demo Public Library! Is there anything else I can help you "
        "with today? If not, I'll close the chat; you can come back any time.",
    },
]

UNIVERSITY_LIBRARY = [
    {
        "title": "Greeting",
        "text": "Hi, thanks for contacting Demo University Library. I'm looking at your question now.",
    },
    {
        "title": "Let me check",
        "text": "Give me a moment to check our catalogue and databases; I'll be right back.",
    },
    {
        "title": "Are you still there?",
        "text": "Are you still with me? I'll wait a few more minutes before I close this chat.",
    },
    {
        "title": "Referral: subject librarian",
        "text": "Your question would benefit from a subject specialist. You can book a research "
        "consultation at https://demo-univ.example/consult and they will contact you within two "
        "working days.",
    },
    {
        "title": "Referral: alumni to their public library",
        "text": "Interlibrary loan is for current students and staff only. As an alumnus, your "
        "public library can request the item for you.",
    },
    {
        "title": "Closing",
        "text": "Thanks for using Ask a Librarian at Demo University Library. Good luck with your research!",
    },
]


def load() -> None:
    for library_id, messages in (("demo-public", PUBLIC_LIBRARY), ("demo-univ", UNIVERSITY_LIBRARY)):
        canned.save(access.library(library_id), CannedMessages.model_validate({"messages": messages}))
