"""E-mail through SES: the chat transcript, sent at most once per chat, only for a chat a
librarian accepted and within the daily caps per address and per network."""

from __future__ import annotations

import html
from typing import Any

from .. import clock, observability
from ..config import settings
from ..data import sessions
from ..data.models import ChatSession, Message
from ..errors import ChatChanged
from ..observability import logger
from ..statuses import Kind, Role
from . import rate_limit

TRANSCRIPT_KINDS = (Kind.CHAT, Kind.URL, Kind.ANSWER)
_ses: Any = None


def _client() -> Any:
    global _ses
    if _ses is None:
        import boto3

        _ses = boto3.client("ses")
    return _ses


def send(to: str, subject: str, text: str, html_body: str) -> None:
    _client().send_email(
        Source=settings().sender,
        Destination={"ToAddresses": [to]},
        Message={
            "Subject": {"Data": subject, "Charset": "UTF-8"},
            "Body": {
                "Text": {"Data": text, "Charset": "UTF-8"},
                "Html": {"Data": html_body, "Charset": "UTF-8"},
            },
        },
    )


def _speaker(message: Message) -> str:
    if message.from_role == Role.PATRON:
        return "You"
    return message.from_name or "Librarian"


def _line(message: Message) -> str:
    if message.kind == Kind.URL:
        return f"{_speaker(message)} shared a link: {message.text}"
    if message.kind == Kind.ANSWER:
        return f"{_speaker(message)} answered: {message.text}"
    return f"{_speaker(message)}: {message.text}"


def render_transcript(
    session: ChatSession, library_name: str, messages: list[Message]
) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a transcript. Notes never reach this function's output."""
    shown = [m for m in messages if m.kind in TRANSCRIPT_KINDS and not m.staff_only]
    started = clock.parse(session.created_at).strftime("%Y-%m-%d %H:%M UTC")
    subject = f"Your chat with {library_name} ({started})"
    lines = [f"Transcript of your chat with {library_name}, {started}.", ""]
    rows = []
    for message in shown:
        stamp = clock.parse(message.sent_at).strftime("%H:%M")
        lines.append(f"[{stamp}] {_line(message)}")
        body = html.escape(message.text)
        if message.kind == Kind.URL:
            body = f'<a href="{html.escape(message.text, quote=True)}">{body}</a>'
        rows.append(
            f"<p><small>{stamp}</small> <strong>{html.escape(_speaker(message))}</strong>: {body}</p>"
        )
    text = "\n".join(lines) + "\n"
    page = (
        f"<html><body><h1>Your chat with {html.escape(library_name)}</h1>"
        f"<p>{html.escape(started)}</p>{''.join(rows)}</body></html>"
    )
    return subject, text, page


def send_transcript_once(session: ChatSession, library_name: str, messages: list[Message]) -> bool:
    """Claim the session's transcript with a conditional write, then send; False if nothing
    was sent. Only a chat a librarian accepted is mailed: the library's address never carries
    words nobody at the library stood behind to an address nobody checked. A transcript over
    the daily caps (rate_limit.transcript_allowed) is not sent either, and only logged and
    counted: whoever ended the chat is never told of an error."""
    if not session.patron_email:
        return False
    if not session.accepted_at:
        logger.info("transcript not sent: no librarian accepted the chat")
        observability.count("TranscriptsNotAccepted")
        return False
    try:
        sessions.claim_transcript(session, clock.iso(clock.now()))
    except ChatChanged:
        return False
    over = rate_limit.transcript_allowed(session.patron_email, session.source_key)
    if over is not None:
        logger.warning("transcript not sent: over the daily cap", extra={"cap": over})
        observability.count("MailsCapped")
        return False
    subject, text, page = render_transcript(session, library_name, messages)
    try:
        send(session.patron_email, subject, text, page)
    except Exception:
        logger.exception("transcript not sent; releasing the claim so a retry can send it")
        sessions.release_transcript(session)
        raise
    return True


def send_answer(to: str, library_name: str, question: str, answer: str, by_name: str | None) -> None:
    """A librarian's answer from the question list, with the question it answers."""
    who = by_name or "A librarian"
    subject = f"An answer to your question from {library_name}"
    text = f"You asked:\n{question}\n\n{who} answered:\n{answer}\n"
    page = (
        f"<html><body><h1>{html.escape(subject)}</h1><p><strong>You asked:</strong></p>"
        f"<blockquote>{html.escape(question)}</blockquote><p><strong>{html.escape(who)} answered:</strong></p>"
        f"<p>{html.escape(answer)}</p></body></html>"
    )
    send(to, subject, text, page)
