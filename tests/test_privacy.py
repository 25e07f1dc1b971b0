"""A patron sees only their own chat; librarian notes never reach a patron."""

from __future__ import annotations


def test_a_patron_cannot_read_or_act_on_another_patrons_chat(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    alice, alices = scenario.chat("Alice's private question")
    mallory, mallorys = scenario.chat("Mallory's question")
    session_id = alices["session_id"]
    librarian.call("accept", session_id=session_id)
    librarian.call("send_message", session_id=session_id, text="for Alice only")

    for action, fields in [
        ("send_message", {"text": "hijack"}),
        ("typing", {"typing": True}),
        ("end_chat", {}),
    ]:
        assert mallory.call(action, session_id=session_id, **fields)["code"] == "forbidden"
    # Mallory's own token does not open Alice's chat.
    forged = mallory.call(
        "send_message", session_id=session_id, text="x", patron_token=mallorys["patron_token"]
    )
    assert forged["code"] == "forbidden"
    guessed = mallory.call("resume", patron_token=f"{session_id}.guess", after_seq=0)
    assert guessed["code"] == "forbidden"

    assert alice.wait_type("message", text="for Alice only")
    assert not [m for m in mallory.of_type("message") if m["session_id"] == session_id]
    assert alice.call("send_message", session_id=session_id, text="still mine")["seq"] == 4


def test_notes_reach_librarians_only_and_never_the_transcript(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(email=scenario.email("notes"))
    session_id = requested["session_id"]
    librarian.call("accept", session_id=session_id)
    librarian.call("note", session_id=session_id, text="SECRET librarian note")
    librarian.call("send_message", session_id=session_id, text="public reply")
    assert librarian.wait_type("message", kind="note")["text"] == "SECRET librarian note"
    patron.wait_type("message", text="public reply")

    resumed = scenario.connect().call("resume", patron_token=requested["patron_token"], after_seq=0)
    assert resumed["type"] == "resumed"
    assert "note" not in {m["kind"] for m in resumed["messages"]}
    assert "note" not in {m["kind"] for m in patron.of_type("message")}

    librarian.call("end_chat", session_id=session_id)
    mails = [m for m in scenario.stack.outbox() if m["to"] == scenario.email("notes")]
    assert len(mails) == 1
    assert "SECRET" not in mails[0]["text"] + mails[0]["html"]
    assert "public reply" in mails[0]["text"]


def test_hostile_text_is_escaped_in_the_transcript_email(scenario):
    librarian = scenario.monitoring(scenario.librarian)
    patron, requested = scenario.chat(
        "<script>alert(1)</script>", email=scenario.email("xss"), name="<img src=x onerror=alert(2)>"
    )
    librarian.call("accept", session_id=requested["session_id"])
    patron.call("end_chat", session_id=requested["session_id"])
    (mail,) = [m for m in scenario.stack.outbox() if m["to"] == scenario.email("xss")]
    assert "<script>" not in mail["html"] and "&lt;script&gt;" in mail["html"]
