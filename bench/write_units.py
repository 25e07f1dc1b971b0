"""Write units per relayed message, from the items each append writes (in-process moto).

DynamoDB bills a write by the size of the item written (1 WRU per KB, rounded up; twice in a
transaction), and a GSI's copy again whenever an attribute it projects changes. moto
returns no real ConsumedCapacity, so this computes them from the stored items' sizes as
DynamoDB sizes items, at message 10 and at message 200 of one chat, with a realistic
question, patron and librarian (and a client ref on every message). Run as
`python -m bench.write_units` (`make bench` runs it too).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import boto3
from moto import mock_aws

from bench import inprocess  # noqa: F401 - the environment first

TARGET_INDEX_WRU = 0
TARGET_FLATNESS = 1.10  # message 200 costs at most this much more than message 10


def value_bytes(value: dict[str, Any]) -> int:
    """A DynamoDB attribute value's size, as DynamoDB's item-size rules count it."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        digits = Decimal(inner).normalize().as_tuple().digits
        return math.ceil(len(digits) / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + value_bytes(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_bytes(v) for k, v in inner.items())
    if kind == "SS":
        return sum(len(v.encode()) for v in inner)
    return len(inner)


def item_bytes(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def units(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def main() -> None:
    with mock_aws():
        from chalicelib.data import access
        from chalicelib.data.models import ALL_MODELS, ChatSession, Message, MessageRef
        from chalicelib.domain import chats, messages, presence
        from chalicelib.statuses import Kind
        from devstack.demo import save_library

        for model in ALL_MODELS:
            model.create_table(wait=True)
        save_library("bench-lib", "Bench Public Library")
        client = boto3.client("dynamodb")
        presence.connect("patron-socket=", None, source_ip="192.0.2.10")
        patron = access.connection("patron-socket=")
        assert patron is not None
        question = "Where can I find records of my great-grandparents' arrival in 1912? " * 4
        opened = chats.open_chat(
            patron,
            "bench-lib",
            question,
            name="Pat Example",
            email="pat@example.org",
            page_url="https://bench.example/ask",
        )
        session = opened.session
        session.update(
            actions=[
                ChatSession.status.set("active"),
                ChatSession.librarian.set("librarian@bench.example"),
                ChatSession.staff_names.set({"librarian@bench.example": "Lee Librarian"}),
                ChatSession.staff_connections.set({"librarian-socket=": "librarian@bench.example"}),
                ChatSession.open_librarian.set("librarian@bench.example"),
                ChatSession.waiting_queue.remove(),
            ]
        )
        session = access.session(session.session_id)
        table = {model: model.Meta.table_name for model in (ChatSession, Message, MessageRef)}
        indexes = ChatSession._get_schema()["global_secondary_indexes"]

        def raw(model: Any, key: dict[str, Any]) -> dict[str, Any]:
            return dict(client.get_item(TableName=table[model], Key=key, ConsistentRead=True)["Item"])

        figures: dict[int, tuple[int, int]] = {}
        author = messages.librarian("librarian@bench.example", "Lee Librarian")
        text = "Try the passenger lists for the port of arrival; I am sending the link now."
        for n in range(1, 201):
            before = raw(ChatSession, {"session_id": {"S": session.session_id}})
            appended = messages.append(session, author, text, kind=Kind.CHAT, ref=f"ref-{n}")
            session = appended.session
            if n not in (10, 200):
                continue
            after = raw(ChatSession, {"session_id": {"S": session.session_id}})
            message = raw(Message, {"session_id": {"S": session.session_id}, "seq": {"N": str(appended.seq)}})
            ref = raw(
                MessageRef, {"session_id": {"S": session.session_id}, "ref": {"S": f"{author.key}:ref-{n}"}}
            )
            base = 2 * (
                units(item_bytes(message))
                + units(item_bytes(ref))
                + units(max(item_bytes(before), item_bytes(after)))
            )
            changed = {name for name in after if before.get(name) != after[name]}
            index_wru = 0
            for index in indexes:
                keys = [k["AttributeName"] for k in index["key_schema"]]
                if not all(k in after for k in keys):
                    continue  # not in this sparse index
                projection = index["projection"]
                projected = (
                    set(after)
                    if projection["ProjectionType"] == "ALL"
                    else set(keys) | {"session_id"} | set(projection.get("NonKeyAttributes", []))
                )
                if changed & projected:
                    index_wru += units(item_bytes({k: v for k, v in after.items() if k in projected}))
            figures[n] = (base, index_wru)
    (base10, index10), (base200, index200) = figures[10], figures[200]
    total10, total200 = base10 + index10, base200 + index200
    ratio = total200 / total10
    print(
        f"write units per relayed message (from item sizes): at message 10 {base10} base + {index10} index, "
        f"at message 200 {base200} base + {index200} index\n"
        f"  index write units per message: {index200} (goal {TARGET_INDEX_WRU}: {'met' if index200 <= TARGET_INDEX_WRU else 'MISSED'}); "
        f"message 200 costs {ratio:.2f}x message 10 (goal <= {TARGET_FLATNESS:.2f}x: {'met' if ratio <= TARGET_FLATNESS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
