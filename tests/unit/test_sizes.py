"""Bounded items and bounded events: a chat's refs live off its session item, a chat has a
length, a question's activity has a size, and a post API Gateway refuses is reported and
survived."""

from __future__ import annotations

import boto3

from chalicelib import limits
from chalicelib.data import access
from chalicelib.data.models import ChatSession, MessageRef
from chalicelib.domain import messages, questions
from chalicelib.domain.messages import SYSTEM, Author
from chalicelib.errors import TooLarge
from chalicelib.statuses import Kind, Role
from chalicelib.wire import fit
from chalicelib.wire.events import Ack, ChatUnavailable, MessageView, Sender
from tests.unit.support import saved_chat

PATRON = Author(Role.PATRON, "Pat", "patron")


def _session(last_seq: int = 0) -> ChatSession:
    return saved_chat(last_seq=last_seq)


def test_refs_are_items_of_their_own_that_expire_and_the_session_item_does_not_grow(aws):
    session = _session()
    for number in range(50):
        messages.append(session, PATRON, f"message {number}", ref=f"ref-{number}")
    stored = boto3.client("dynamodb").get_item(
        TableName=ChatSession.Meta.table_name, Key={"session_id": {"S": "s1"}}, ConsistentRead=True
    )["Item"]
    assert "refs" not in stored and stored["last_seq"] == {"N": "50"}
    ref = MessageRef.get("s1", "patron:ref-7")
    assert int(ref.seq) == 8 and ref.expires_at is not None
    again = messages.append(access.session("s1"), PATRON, "message 7", ref="ref-7")
    assert (again.seq, again.duplicate) == (8, True)
    assert access.session("s1").last_seq == 50


def test_a_full_chat_refuses_what_people_write_but_still_takes_its_notices(aws):
    _session(last_seq=limits.CHAT_MESSAGES - 1)
    assert (
        messages.append(access.session("s1"), PATRON, "the last one", ref="last").seq == limits.CHAT_MESSAGES
    )
    refused = None
    try:
        messages.append(access.session("s1"), PATRON, "one too many", ref="over")
    except TooLarge as error:
        refused = error
    assert refused is not None and "2,000" in refused.message
    # A retry of the last message is still acknowledged; the system can still say the chat ended.
    assert messages.append(access.session("s1"), PATRON, "the last one", ref="last").duplicate
    assert messages.append(
        access.session("s1"), SYSTEM, "The patron ended the chat.", kind=Kind.SYSTEM
    ).seq == (limits.CHAT_MESSAGES + 1)
    note = messages.append(
        access.session("s1"),
        Author(Role.LIBRARIAN, "Lib", "l@x"),
        "Transfer note",
        kind=Kind.NOTE,
        counted=False,
    )
    assert note.seq == limits.CHAT_MESSAGES + 2


def test_a_questions_activity_is_bounded_in_entries_and_bytes(aws):
    question = questions.new_question(
        library="lib", source="form", status="open", question="q", name=None, email=None, session_id=None
    )
    question.save()
    big = "é" * 4000  # 8,000 bytes
    written = 0
    try:
        while True:
            questions.record_activity(question, "note", big, "lib@x", "Lib")
            written += 1
    except TooLarge:
        pass
    assert written == limits.ACTIVITY_BYTES // (8000 + len("note") + len("lib@x") + len("Lib") + 24)
    stored = access.question(question.question_id)
    assert len(stored.activity) == written
    small = questions.new_question(
        library="lib", source="form", status="open", question="q", name=None, email=None, session_id=None
    )
    small.save()
    for _ in range(limits.ACTIVITY_ENTRIES):
        questions.record_activity(small, "note", "ok", "lib@x", "Lib")
    try:
        questions.record_activity(small, "note", "one more", "lib@x", "Lib")
        raise AssertionError("the 201st entry was taken")
    except TooLarge:
        pass


def test_two_writers_holding_the_same_read_both_land(aws):
    question = questions.new_question(
        library="lib", source="form", status="open", question="q", name=None, email=None, session_id=None
    )
    question.save()
    first, second = access.question(question.question_id), access.question(question.question_id)
    questions.record_activity(first, "note", "one", "a@x", "A")
    questions.record_activity(second, "note", "two", "b@x", "B")  # read before "one": tries again
    assert [e.text for e in access.question(question.question_id).activity] == ["one", "two"]


def _view(seq: int, text: str) -> MessageView:
    return MessageView(
        session_id="s", seq=seq, kind=Kind.CHAT, sender=Sender(role=Role.PATRON), text=text, sent_at="t"
    )


def test_newest_takes_what_fits_in_order_and_always_the_newest():
    views = [_view(seq, "x" * 100) for seq in range(10, 0, -1)]  # newest first
    one = fit.size(views[0]) + 1
    taken, more = fit.newest(iter(views), 3 * one)
    assert [v.seq for v in taken] == [8, 9, 10] and more is True
    taken, more = fit.newest(iter(views), 100 * one)
    assert [v.seq for v in taken] == list(range(1, 11)) and more is False
    taken, more = fit.newest(iter([_view(5, "y" * 10_000), *views]), 10)
    assert [v.seq for v in taken] == [5] and more is True  # too big alone, but a reader moves on


def test_prefixes_share_the_room_a_round_at_a_time():
    big = [_view(seq, "b" * 1000) for seq in range(1, 11)]
    small = [_view(seq, "s") for seq in range(1, 4)]
    room = sum(fit.size(v) + 1 for v in big[:4]) + sum(fit.size(v) + 1 for v in small)
    first, second = fit.prefixes([big, small], room)
    assert [v.seq for v in second] == [1, 2, 3]  # not crowded out by the long list
    assert [v.seq for v in first] == [1, 2, 3, 4]


def test_a_post_api_gateway_refuses_is_logged_and_the_reply_becomes_an_internal_error(lambda_app, caplog):
    from chalicelib import delivery

    patron, other = lambda_app.connect(), lambda_app.connect()
    delivery.send([patron, other], Ack(ref="r1", seq=1))  # a reply that fits goes out
    oversized = ChatUnavailable(message="x" * (130 * 1024), alternatives=[], ref="r2")  # a bug
    delivery.send([patron, other], oversized)
    assert [c for c, _ in lambda_app.api.refused] == [patron, other]
    for connection_id in (patron, other):
        frames = lambda_app.api.of(connection_id)
        assert (frames[-1]["type"], frames[-1]["code"], frames[-1]["ref"]) == (
            "error",
            "internal_error",
            "r2",
        )
    assert [r.levelname for r in caplog.records if r.getMessage() == "event too large to post"] == [
        "ERROR"
    ] * 2


def test_a_librarys_item_refuses_code_lists_and_alternatives_that_would_not_fit(aws):
    from chalicelib.data.models import Library
    from chalicelib.domain import codes, library_settings
    from chalicelib.wire.library_settings import LibrarySettings
    from chalicelib.wire.rest import CodeLists

    Library(library_id="big", name="Big").save()
    library = access.library("big")
    label = "\U0001f4da" * limits.CODE_LABEL  # 12 bytes each as stored (a surrogate pair, escaped)
    lists = CodeLists.model_validate(
        {
            "resolution": [{"code": f"r{n}", "label": label, "status": "answered"} for n in range(100)],
            "descriptive": [{"code": f"d{n}", "label": label} for n in range(300)],
        }
    )
    try:
        codes.save_lists(library, lists)
        raise AssertionError("400 codes of 100 emoji were saved")
    except TooLarge:
        pass
    settings = LibrarySettings.model_validate(
        {
            **library_settings.settings_of(library).model_dump(),
            "alternatives": [
                {"label": label[: limits.ALTERNATIVE_LABEL], "url": "https://x.example/" + "\u00e9" * 1900}
                for _ in range(limits.ALTERNATIVES)
            ],
        }
    )
    try:
        library_settings.save_settings(library, settings)
        raise AssertionError("alternatives of 500 KB were saved")
    except TooLarge:
        pass
    assert access.library("big").codes is None and access.library("big").alternatives == []


def test_a_policy_page_too_big_for_its_item_is_refused(aws):
    from chalicelib.data.models import Library
    from chalicelib.domain import library_settings
    from chalicelib.wire.library_settings import PolicySection

    Library(library_id="wordy", name="Wordy").save()
    sections = [
        PolicySection(title="\U0001f4da" * limits.POLICY_TITLE, text="\x01" * limits.POLICY_TEXT)
        for _ in range(limits.POLICY_SECTIONS)
    ]
    try:
        library_settings.save_policy(access.library("wordy"), sections)
        raise AssertionError("a policy page of about 500 KB was saved")
    except TooLarge:
        pass
    assert access.library_text("wordy", "policy") is None
