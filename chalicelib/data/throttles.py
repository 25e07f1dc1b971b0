"""Every write to `throttles` that abuse control makes, each one request that holds its own
condition, so requests made at the same moment cannot all slip through on one stale read.

Token buckets are kept as GCRA (the generic cell rate algorithm): one number per bucket,
`tat`, the instant (epoch milliseconds) by which the bucket is full again. A bucket that
refills one token every `every_ms` and holds `burst` tokens has
`(burst * every_ms - (tat - now)) / every_ms` tokens at `now`; taking one moves `tat` on by
`every_ms`. So a take is one conditional UpdateItem:

- an idle bucket (no item, or `tat <= now`: full): `SET tat = now + every_ms`;
- otherwise, while `tat <= now + (burst - 1) * every_ms` (a token is left):
  `SET tat = tat + every_ms`.

The first is tried first (the usual case for a bucket that is rarely hit); when its
condition fails the second is tried. DynamoDB applies conditional writes to one item one at a
time, so however many requests race, exactly as many succeed as there were tokens. Only a
refused take reads the item, to say when a token will be there.
"""

from __future__ import annotations

import contextlib
import math
from datetime import datetime, timedelta

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition

from .. import clock
from . import access
from .models import Throttle, transaction

# A bucket's item outlives the instant it is full again by this much, then TTL removes it.
_KEPT = timedelta(minutes=5)


def _unless_condition(error: UpdateError) -> None:
    """A failed condition is an answer; anything else (DynamoDB throttling, say) is raised."""
    if error.cause_response_code != "ConditionalCheckFailedException":
        raise error


def _epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def take(key: str, *, burst: int, every_ms: int, now: datetime) -> int:
    """Take one token from the bucket `key`: 0 when taken, else the milliseconds until one
    will be there (nothing was taken)."""
    now_ms = _epoch_ms(now)
    idle = Throttle(key=key)
    try:
        idle.update(
            actions=[
                Throttle.tat.set(now_ms + every_ms),
                Throttle.expires_at.set(now + timedelta(milliseconds=every_ms) + _KEPT),
            ],
            condition=Throttle.tat.does_not_exist() | (Throttle.tat <= now_ms),
        )
        return 0
    except UpdateError as error:
        _unless_condition(error)
    tolerance = (burst - 1) * every_ms
    busy = Throttle(key=key)
    try:
        busy.update(
            actions=[
                Throttle.tat.set(Throttle.tat + every_ms),
                Throttle.expires_at.set(now + timedelta(milliseconds=tolerance + every_ms) + _KEPT),
            ],
            condition=Throttle.tat <= now_ms + tolerance,
        )
        return 0
    except UpdateError as error:
        _unless_condition(error)
    bucket = access.throttle(key, consistent=True)
    tat = int(bucket.tat) if bucket is not None and bucket.tat is not None else now_ms
    return max(1, tat - now_ms - tolerance)


def hold(key: str, session_id: str, until: datetime, *, most: int, now: datetime) -> datetime | None:
    """Add `session_id` to the holds under `key` (until `until` at the latest), unless `most`
    are held already: None when added, else when the first of them lapses. Holds past their
    time are dropped on the way. The write is conditional on the `revision` read, and a lost
    race is read and tried again (each loss is another's hold or release landing, so a place
    is had, or the holds are full, within `most` losses and a few releases)."""
    for _ in range(most + 20):
        held = access.throttle(key, consistent=True)
        revision = int(held.revision or 0) if held is not None else 0
        kept = held.holds.as_dict() if held is not None and held.holds is not None else {}
        live = {sid: stamp for sid, stamp in kept.items() if stamp > clock.iso(now)}
        if len(live) >= most:
            return min(clock.parse(stamp) for stamp in live.values())
        live[session_id] = clock.iso(until)
        condition: Condition = (
            Throttle.revision.does_not_exist()
            if held is None or held.revision is None
            else Throttle.revision == revision
        )
        try:
            Throttle(key=key).update(
                actions=[
                    Throttle.holds.set(live),
                    Throttle.revision.set(revision + 1),
                    Throttle.expires_at.set(max(clock.parse(stamp) for stamp in live.values()) + _KEPT),
                ],
                condition=condition,
            )
            return None
        except UpdateError as error:
            _unless_condition(error)
    raise RuntimeError(f"could not hold a place under {key}: too much contention")


def release(key: str, session_id: str) -> None:
    """`session_id` no longer waits: its hold goes (nothing happens if it had none)."""
    with contextlib.suppress(UpdateError):  # no such hold: nothing to release
        Throttle(key=key).update(
            actions=[Throttle.holds[session_id].remove(), Throttle.revision.add(1)],
            condition=Throttle.holds[session_id].exists(),
        )


def count_all(keys: list[str], *, most: int | list[int], until: datetime) -> int | None:
    """Count one more under each key, all or none, in one transaction: None when counted,
    else the index of a key that already had its `most` (nothing was counted)."""
    limits = most if isinstance(most, list) else [most] * len(keys)
    try:
        with transaction() as writes:
            for key, limit in zip(keys, limits, strict=True):
                writes.update(
                    Throttle(key=key),
                    actions=[Throttle.sent.add(1), Throttle.expires_at.set(until)],
                    condition=Throttle.sent.does_not_exist() | (Throttle.sent < limit),
                )
    except TransactWriteError as error:
        reasons = getattr(error, "cancellation_reasons", None) or []
        for index, reason in enumerate(reasons):
            if reason is not None and reason.code == "ConditionalCheckFailed":
                return index
        raise
    return None


def seconds_from(milliseconds: int) -> int:
    return max(1, math.ceil(milliseconds / 1000))
