"""The arithmetic of abuse control, on in-process moto: networks named alike or apart, token
buckets (GCRA) taking exactly their burst and then one per interval, waiting places held and
released, daily counts all or none. tests/test_abuse.py checks the same end to end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.data import throttles
from chalicelib.data.models import ChatSession
from chalicelib.domain import rate_limit
from chalicelib.errors import RateLimited

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_a_network_is_an_ipv4_address_or_an_ipv6_slash_64():
    key = rate_limit.source_key
    assert key("203.0.113.7") == key(" 203.0.113.7 ") == key("::ffff:203.0.113.7")
    assert key("203.0.113.7") != key("203.0.113.8")
    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::9")  # one household's /64
    assert key("2001:db8:1:2::1") != key("2001:db8:1:3::1")
    assert key(None) is None and key("") is None
    assert "203" not in (key("203.0.113.7") or "")  # a pseudonym, not the address


def test_a_bucket_gives_its_burst_at_once_then_one_per_interval(aws):
    taken = [throttles.take("b#1", burst=3, every_ms=1000, now=T0) for _ in range(5)]
    assert taken[:3] == [0, 0, 0]
    assert taken[3] == taken[4] == 1000  # the next token in a second
    assert throttles.take("b#1", burst=3, every_ms=1000, now=T0 + timedelta(milliseconds=999)) == 1
    assert throttles.take("b#1", burst=3, every_ms=1000, now=T0 + timedelta(seconds=1)) == 0
    assert throttles.take("b#1", burst=3, every_ms=1000, now=T0 + timedelta(seconds=1)) == 1000
    # Idle long enough, the bucket is full again, never fuller.
    later = T0 + timedelta(hours=1)
    assert [throttles.take("b#1", burst=3, every_ms=1000, now=later) for _ in range(4)] == [0, 0, 0, 1000]
    assert throttles.take("b#2", burst=3, every_ms=1000, now=T0) == 0  # another key, its own bucket


def test_a_refusal_says_when_to_retry(aws):
    for _ in range(rate_limit.TYPING_PER_SOCKET.burst):
        rate_limit.typing("conn-1")
    with pytest.raises(RateLimited) as refused:
        rate_limit.typing("conn-1")
    assert refused.value.code == "rate_limited" and refused.value.retry_after == 1
    assert "Wait 1 second." in refused.value.message


def test_waiting_places_are_held_up_to_the_most_and_freed_by_release_or_time(aws):
    until = T0 + timedelta(minutes=10)
    assert [throttles.hold("w#1", f"s{n}", until, most=2, now=T0) for n in range(2)] == [None, None]
    assert throttles.hold("w#1", "s2", until, most=2, now=T0) == until  # full until the first lapses
    throttles.release("w#1", "s0")
    throttles.release("w#1", "s0")  # twice: harmless
    throttles.release("w#1", "never-held")
    assert throttles.hold("w#1", "s2", until, most=2, now=T0) is None
    assert throttles.hold("w#1", "s3", until, most=2, now=T0) == until
    assert throttles.hold("w#1", "s3", until, most=2, now=until) is None  # the others lapsed


def test_daily_counts_are_all_or_none(aws):
    until = T0 + timedelta(days=1)
    assert throttles.count_all(["a", "b"], most=[2, 3], until=until) is None
    assert throttles.count_all(["a", "b"], most=[2, 3], until=until) is None
    assert throttles.count_all(["a", "b"], most=[2, 3], until=until) == 0  # "a" is at its 2
    assert throttles.count_all(["c", "b"], most=[5, 3], until=until) is None  # "b" was not counted above
    assert throttles.count_all(["c", "b"], most=[5, 3], until=until) == 1


def test_a_patrons_messages_are_paced_from_the_chats_own_item():
    session = ChatSession(session_id="s")
    now_ms = int(T0.timestamp() * 1000)
    burst, every = rate_limit.PATRON_MESSAGES.burst, rate_limit.PATRON_MESSAGES.every_ms
    for _ in range(burst):
        session.patron_send_tat = rate_limit.next_patron_message(session, T0)
    assert session.patron_send_tat == now_ms + burst * every
    with pytest.raises(RateLimited) as refused:
        rate_limit.next_patron_message(session, T0)
    assert refused.value.retry_after == 1
    assert rate_limit.next_patron_message(session, T0 + timedelta(milliseconds=every)) > 0
