"""Slowing down what is asked too often: chat requests and questions from one socket, and
wrong passwords for one e-mail address."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from .. import clock
from ..data import access
from ..data.models import Connection, Throttle
from ..errors import RateLimited

REQUESTS_PER_MINUTE = 5

# Wrong passwords: five are free; then each try waits, 30 s doubling to at most 5 minutes,
# so a guesser gets a few hundred tries a day and a librarian is never locked out for long.
# Failures are forgotten 15 minutes after the last one, and at once by a right password.
FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=5)
FAILURES_KEPT = timedelta(minutes=15)


def count_request(connection: Connection) -> None:
    """Note one chat request or question from this socket; RateLimited past the limit."""
    now = clock.now()
    window_start = clock.iso(now - timedelta(minutes=1))
    recent = [stamp for stamp in connection.recent_requests or [] if stamp > window_start]
    if len(recent) >= REQUESTS_PER_MINUTE:
        raise RateLimited("Too many requests from this window; wait a minute and try again.")
    recent.append(clock.iso(now))
    connection.update(actions=[Connection.recent_requests.set(recent)])


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
            f"Too many wrong passwords for this e-mail address. Wait {wait} seconds and try again."
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
