"""Fitting a reply into its budget. API Gateway carries no WebSocket message over 128 KB, so
every event that can grow (a transcript, the queues) takes the items that fit in
`limits.EVENT_BYTES` and says what it left out; the client asks for the rest.

Sizes are measured as the frame is written: UTF-8 JSON, `None` fields left out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from pydantic import BaseModel

from .. import limits

M = TypeVar("M", bound=BaseModel)

# A reply also carries the client's ref: `,"ref":"…"` at its longest, JSON-escaped.
_REF_ROOM = len(',"ref":""') + 6 * limits.REF


def size(model: BaseModel) -> int:
    """The bytes `model` takes in a frame."""
    return len(model.model_dump_json(by_alias=True, exclude_none=True).encode())


def room(empty: BaseModel) -> int:
    """The bytes left, under the budget, for the parts of an event that can grow, measured on
    the event built with those parts empty (its ref yet to come)."""
    return limits.EVENT_BYTES - size(empty) - _REF_ROOM


def newest(newest_first: Iterable[M], room: int) -> tuple[list[M], bool]:
    """The newest items that fit in `room` bytes, oldest first, and whether an older one was
    left out. Items are consumed lazily and no further than the first that does not fit. The
    newest item always goes, whatever its size, so a reader paging back always moves on."""
    taken: list[M] = []
    used = 0
    for item in newest_first:
        cost = size(item) + 1  # and a comma
        if taken and used + cost > room:
            taken.reverse()
            return taken, True
        taken.append(item)
        used += cost
    taken.reverse()
    return taken, False


def prefixes(lists: Sequence[Sequence[BaseModel]], room: int) -> list[list[BaseModel]]:
    """For lists that share one budget, the longest prefix of each that fits, taken a round at
    a time (the first item of every list, then the second, …) so that no list crowds out
    another. A list stops at its first item that does not fit."""
    taken: list[list[BaseModel]] = [[] for _ in lists]
    open_lists = [index for index, items in enumerate(lists) if items]
    used = 0
    depth = 0
    while open_lists:
        still_open = []
        for index in open_lists:
            cost = size(lists[index][depth]) + 1
            if used + cost > room:
                continue
            taken[index].append(lists[index][depth])
            used += cost
            if depth + 1 < len(lists[index]):
                still_open.append(index)
        open_lists = still_open
        depth += 1
    return taken
