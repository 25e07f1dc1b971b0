"""Medians and 90th percentiles of waits and durations from counts that can be added up.

A report cannot keep every chat's wait to sort them, but it can keep how many chats fell in
each bucket of a histogram, and histograms of many days add up. The buckets are whole
seconds below EXACT_BELOW (exact, which is where most waits fall) and then grow by GROWTH
each (a value read back is within 2.5% of the true one). A percentile is interpolated
between neighbouring values, as `statistics.median` and numpy's default do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

EXACT_BELOW = 100
GROWTH = 1.05


def whole_seconds(seconds: float) -> int:
    """A duration as reports count it: whole seconds, rounded, never negative."""
    return max(0, int(seconds + 0.5))


def bucket(seconds: int) -> int:
    if seconds < EXACT_BELOW:
        return max(0, seconds)
    return EXACT_BELOW + int(math.log(seconds / EXACT_BELOW) / math.log(GROWTH))


def value_of(index: int) -> float:
    """The value a bucket stands for: itself below EXACT_BELOW, otherwise its geometric middle."""
    if index < EXACT_BELOW:
        return float(index)
    return float(EXACT_BELOW * GROWTH ** (index - EXACT_BELOW + 0.5))


def percentile(histogram: Mapping[int, int], fraction: float) -> float | None:
    """The `fraction` (0.5: the median) of the values counted in `histogram` (bucket -> count),
    interpolated between the two values around it; None when nothing was counted."""
    counts = sorted((index, n) for index, n in histogram.items() if n > 0)
    total = sum(n for _, n in counts)
    if total == 0:
        return None
    rank = (total - 1) * fraction  # 0-based, fractional
    below, above = math.floor(rank), math.ceil(rank)

    def at(position: int) -> float:
        seen = 0
        for index, n in counts:
            seen += n
            if position < seen:
                return value_of(index)
        return value_of(counts[-1][0])

    low, high = at(below), at(above)
    return round(low + (high - low) * (rank - below), 1)
