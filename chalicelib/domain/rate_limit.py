"""Slowing down whoever asks too often, keyed by what identifies them: the socket, the chat, and
the network a request came from (its source address; an IPv6 address by its /64, which one
household or device holds); and wrong passwords for one e-mail address.

A patron's network is never stored as its address outside the connection row (which lives
two hours): the keys and the chat carry `source_key`, a keyed digest of it (domain/signing).

Many patrons share one address (a campus behind one NAT, a library's public PCs), so the
limits per network are generous and the limits per socket and per chat tight. docs/abuse.md
says how each number was chosen. Librarians are signed in, accountable and can be signed out
by their admin; none of these limits apply to what they send.

Every limit answers `rate_limited` with `retry_after`, the seconds after which the same
request would be taken; nothing over a limit is dropped without an answer.
"""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import datetime, timedelta
from typing import NamedTuple

from .. import clock, observability
from ..data import access, throttles
from ..data.models import ChatSession, Connection, Throttle
from ..errors import RateLimited
from ..observability import logger
from . import signing


class Pace(NamedTuple):
    """A token bucket: `burst` at once, then one more every `every`."""

    burst: int
    every: timedelta

    @property
    def every_ms(self) -> int:
        return int(self.every.total_seconds() * 1000)


# request_chat and submit_question together, from one socket: five a minute, as before.
ASKS_PER_SOCKET = Pace(burst=5, every=timedelta(seconds=12))
# request_chat from one network: a lab of 30 PCs may all ask at once; then two a minute.
CHATS_PER_SOURCE = Pace(burst=30, every=timedelta(seconds=30))
# submit_question from one network: 20 at once, then one a minute.
QUESTIONS_PER_SOURCE = Pace(burst=20, every=timedelta(seconds=60))
# Requests from one network waiting at one library at once: what bounds the alerts a script
# can raise on every monitor.
WAITING_PER_SOURCE = 10
# A patron's messages in one chat: more than anyone types, at once, then one a second.
PATRON_MESSAGES = Pace(burst=60, every=timedelta(seconds=1))
# A patron's typing notices on one socket (the widget sends two per message at most).
TYPING_PER_SOCKET = Pace(burst=20, every=timedelta(seconds=1))
# A patron's ratings of one chat: changing their mind, not a flood (each one recounts reports).
RATINGS_PER_CHAT = Pace(burst=5, every=timedelta(seconds=60))
# Transcripts a day (UTC) to one address, and to anyone from one network.
TRANSCRIPTS_PER_ADDRESS = 3
TRANSCRIPTS_PER_SOURCE = 50
# How long after a waiting request's give-up its place is kept at the latest (the job that
# gives requests up runs every minute).
_HOLD_MARGIN = timedelta(minutes=2)

# Wrong passwords: five are free; then each try waits, 30 s doubling to at most 5 minutes,
# so a guesser gets a few hundred tries a day and a librarian is never locked out for long.
# Failures are forgotten 15 minutes after the last one, and at once by a right password.
FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=5)
FAILURES_KEPT = timedelta(minutes=15)


# --- where a request comes from ------------------------------------------------------------------


def source_key(source_ip: str | None) -> str | None:
    """The network `source_ip` is in, named by a keyed digest: an IPv4 address itself, an
    IPv6 address by its /64. None when the address is not known (nothing per network applies)."""
    if not source_ip:
        return None
    try:
        address = ipaddress.ip_address(source_ip.strip())
    except ValueError:
        network = source_ip.strip()[:64]
    else:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if isinstance(address, ipaddress.IPv6Address):
            network = str(ipaddress.ip_network(f"{address}/64", strict=False))
        else:
            network = str(address)
    return signing.pseudonym("source", network)


def _seconds(wait: int) -> str:
    return "1 second" if wait == 1 else f"{wait} seconds"


def _take(key: str, pace: Pace, message: str) -> None:
    wait_ms = throttles.take(key, burst=pace.burst, every_ms=pace.every_ms, now=clock.now())
    if wait_ms:
        wait = throttles.seconds_from(wait_ms)
        observability.count("RateLimited")
        logger.info("rate limited", extra={"limit": key.split("#", 1)[0], "retry_after": wait})
        raise RateLimited(message.format(seconds=_seconds(wait)), wait)


# --- chats and questions ---------------------------------------------------------------------------


def ask(patron: Connection, what: str) -> None:
    """One chat request (`what` = "chat") or question ("question") from this socket: within
    the socket's pace, then its network's."""
    _take(
        f"socket-asks#{patron.connection_id}",
        ASKS_PER_SOCKET,
        "You have asked several times in a minute from this window. Wait {seconds} and try again.",
    )
    source = source_key(patron.source_ip)
    if source is None:
        return
    if what == "chat":
        _take(
            f"ip-chat#{source}",
            CHATS_PER_SOURCE,
            "Many chats have been requested from your network just now. Wait {seconds} and try again.",
        )
    else:
        _take(
            f"ip-question#{source}",
            QUESTIONS_PER_SOURCE,
            "Many questions have been sent from your network just now. Wait {seconds} and try again.",
        )


def rating(session_id: str) -> None:
    """One rating of a chat, within the chat's pace."""
    _take(
        f"chat-ratings#{session_id}",
        RATINGS_PER_CHAT,
        "You have rated this chat several times just now. Wait {seconds} and try again.",
    )


def _waiting_key(library: str, source: str) -> str:
    return f"waiting#{library}#{source}"


def hold_waiting_place(library: str, source: str | None, session_id: str, give_up_at: str) -> None:
    """A new request from `source` waits at `library`: refused (RateLimited) while that
    network already has WAITING_PER_SOURCE requests waiting there. The place is kept until the
    request is accepted or ends (`release_waiting_place`), or its give-up time has passed."""
    if source is None:
        return
    now = clock.now()
    lapses = throttles.hold(
        _waiting_key(library, source),
        session_id,
        clock.parse(give_up_at) + _HOLD_MARGIN,
        most=WAITING_PER_SOURCE,
        now=now,
    )
    if lapses is None:
        return
    wait = max(1, min(60, int((lapses - now).total_seconds()) + 1))
    observability.count("RateLimited")
    logger.info("rate limited", extra={"limit": "waiting", "retry_after": wait})
    raise RateLimited(
        f"{WAITING_PER_SOURCE} chat requests from your network are already waiting at this library. "
        f"Wait {_seconds(wait)} and try again.",
        wait,
    )


def release_waiting_place(session: ChatSession) -> None:
    """The request is no longer waiting for its first librarian (accepted, or ended)."""
    if session.source_key:
        throttles.release(_waiting_key(session.library, session.source_key), session.session_id)


# --- in a chat -------------------------------------------------------------------------------------


def next_patron_message(session: ChatSession, now: datetime) -> int:
    """The chat's patron message bucket after one more message (to be written with it, on the
    condition that makes the append itself happen once); RateLimited when it is empty."""
    now_ms = int(now.timestamp() * 1000)
    tat = max(int(session.patron_send_tat or 0), now_ms)
    over = tat - now_ms - (PATRON_MESSAGES.burst - 1) * PATRON_MESSAGES.every_ms
    if over > 0:
        wait = throttles.seconds_from(over)
        observability.count("RateLimited")
        logger.info("rate limited", extra={"limit": "patron-messages", "retry_after": wait})
        raise RateLimited(
            f"You are sending messages faster than a librarian can read them. Wait {_seconds(wait)}.",
            wait,
        )
    return tat + PATRON_MESSAGES.every_ms


def typing(connection_id: str) -> None:
    _take(
        f"typing#{connection_id}",
        TYPING_PER_SOCKET,
        "Typing notices are coming too fast; this one was not passed on. Wait {seconds}.",
    )


# --- e-mail ------------------------------------------------------------------------------------------


def transcript_allowed(to: str, source: str | None) -> str | None:
    """Count a transcript to `to` (requested from `source`) against the daily caps: None when
    it may go, else which cap it is over ("address" or "source"); an e-mail over a cap counts
    against neither."""
    now = clock.now()
    day = now.strftime("%Y-%m-%d")
    until = datetime(now.year, now.month, now.day, tzinfo=now.tzinfo) + timedelta(days=1, hours=1)
    keys = [f"mail-to#{signing.pseudonym('address', to.strip().lower())}#{day}"]
    caps = [TRANSCRIPTS_PER_ADDRESS]
    if source:
        keys.append(f"mail-from#{source}#{day}")
        caps.append(TRANSCRIPTS_PER_SOURCE)
    over = throttles.count_all(keys, most=caps, until=until)
    return None if over is None else ("address", "source")[over]


# --- wrong passwords ---------------------------------------------------------------------------------


def _login_key(email: str) -> str:
    """Keyed by the address as typed (hashed), whether or not anyone has it: the answers for
    an unknown address and a known one are the same."""
    return "login#" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def check_login(email: str) -> Throttle | None:
    """Before a password is checked: RateLimited while this address must wait."""
    throttle = access.throttle(_login_key(email))
    now = clock.now()
    if throttle is None or throttle.expires_at <= now:
        return None
    if throttle.blocked_until and throttle.blocked_until > clock.iso(now):
        wait = max(1, int((clock.parse(throttle.blocked_until) - now).total_seconds()) + 1)
        raise RateLimited(
            f"Too many wrong passwords for this e-mail address. Wait {_seconds(wait)} and try again.", wait
        )
    return throttle


def login_failed(email: str, throttle: Throttle | None) -> None:
    """Count a wrong password (atomically: guesses sent in parallel all count); past the free
    ones, the next try must wait."""
    now = clock.now()
    kept = now + FAILURES_KEPT
    if throttle is None:
        throttle = Throttle(key=_login_key(email), failures=1, expires_at=kept)
        throttle.save()
    else:
        throttle.update(actions=[Throttle.failures.add(1), Throttle.expires_at.set(kept)])
    if throttle.failures >= FREE_FAILURES:
        wait = min(FIRST_WAIT * 2 ** (int(throttle.failures) - FREE_FAILURES), LONGEST_WAIT)
        throttle.update(actions=[Throttle.blocked_until.set(clock.iso(now + wait))])


def login_succeeded(throttle: Throttle | None) -> None:
    if throttle is not None:
        throttle.delete()
