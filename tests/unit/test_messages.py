"""Message numbering under contention, and what a transcript e-mail may contain."""

from __future__ import annotations

from chalicelib.data import access
from chalicelib.data.models import ChatSession
from chalicelib.domain import mail, messages
from chalicelib.domain.messages import Author
from chalicelib.statuses import Kind, Role
from tests.unit.support import saved_chat

PATRON = Author(Role.PATRON, "Pat", "patron")


def _session() -> ChatSession:
    return saved_chat(accepted_at="2026-11-23T10:00:30.000Z", patron_email="p@example.org")


def test_a_writer_holding_a_stale_session_takes_the_next_free_seq(aws):
    _session()
    first_reader, second_reader = access.session("s1"), access.session("s1")
    assert messages.append(first_reader, PATRON, "one").seq == 1
    assert messages.append(second_reader, PATRON, "two").seq == 2  # re-read after losing the race
    assert [m.text for m in messages.history("s1", for_staff=True)] == ["one", "two"]


def test_a_ref_seen_before_is_acknowledged_without_a_second_message(aws):
    session = _session()
    first = messages.append(session, PATRON, "hello", ref="r1")
    again = messages.append(access.session("s1"), PATRON, "hello", ref="r1")
    assert (again.seq, again.duplicate) == (first.seq, True)
    assert len(messages.history("s1", for_staff=True)) == 1


def test_the_same_ref_from_two_authors_is_two_messages(aws):
    session = _session()
    messages.append(session, PATRON, "from patron", ref="1")
    librarian = Author(Role.LIBRARIAN, "Lib", "lib@example.org")
    assert not messages.append(access.session("s1"), librarian, "from librarian", ref="1").duplicate


def test_transcript_email_leaves_out_notes_and_escapes_html(aws):
    session = _session()
    messages.append(session, PATRON, "<b>bold</b> question")
    messages.append(session, Author(Role.LIBRARIAN, "Lib", "l"), "private", kind=Kind.NOTE)
    subject, text, page = mail.render_transcript(session, "Library", messages.history("s1", for_staff=True))
    assert "private" not in text + page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b> question" in text
    assert subject.startswith("Your chat with Library")


def test_the_transcript_is_sent_once_however_often_it_is_asked_for(aws):
    session = _session()
    assert mail.send_transcript_once(session, "Library", []) is True
    assert mail.send_transcript_once(access.session("s1"), "Library", []) is False
