"""The local stack's TransactWriteItems (devstack/moto_transactions.py): all or nothing, as moto
and DynamoDB, with an item-level undo log instead of moto's copies of whole tables.

Each behaviour is checked with the undo log and, where moto gets it right, against moto's own
implementation too, so that the log changes how a cancelled transaction is undone and nothing
else: which items are written, what an index returns, the cancellation reasons item by item.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table

from chalicelib.data import access, sessions
from chalicelib.data.models import ChatSession, Message, MessageRef
from chalicelib.errors import ChatChanged
from devstack import moto_transactions
from tests.unit.support import saved_chat

TABLE = "shelf"  # pk, sk; index by-status: status, sk
COUNTERS = "counters"  # pk only


@contextmanager
def undo_log(enabled: bool) -> Iterator[None]:
    """The undo log in use, or moto's own transactions; as before afterwards."""
    was = moto_transactions.installed()
    if enabled:
        moto_transactions.install()
    else:
        moto_transactions.uninstall()
    try:
        yield
    finally:
        if was:
            moto_transactions.install()
        else:
            moto_transactions.uninstall()


@pytest.fixture(params=[True, False], ids=["undo-log", "moto"])
def variant(request: pytest.FixtureRequest) -> Iterator[bool]:
    with undo_log(request.param):
        yield request.param


def _create_tables(client: Any) -> None:
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "status")],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-status",
                "KeySchema": [
                    {"AttributeName": "status", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    client.create_table(
        TableName=COUNTERS,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        _create_tables(client)
        yield client


def _key(pk: str, sk: str = "1") -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _put(client: Any, pk: str, status: str | None = None, **more: str) -> None:
    item = {**_key(pk), **({"status": {"S": status}} if status else {})}
    client.put_item(TableName=TABLE, Item={**item, **{k: {"S": v} for k, v in more.items()}})


def _get(client: Any, pk: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = client.get_item(TableName=TABLE, Key=_key(pk), ConsistentRead=True).get(
        "Item"
    )
    return item


def _by_status(client: Any, status: str) -> list[str]:
    found = client.query(
        TableName=TABLE,
        IndexName="by-status",
        KeyConditionExpression="#s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": status}},
    )["Items"]
    return sorted(item["pk"]["S"] for item in found)


def _state(client: Any) -> tuple[Any, ...]:
    """Everything a reader can see: every item, and what the index returns for each status."""
    items = client.scan(TableName=TABLE)["Items"] + client.scan(TableName=COUNTERS)["Items"]
    statuses = ("waiting", "taken", "new")
    return (sorted(map(repr, items)), {s: _by_status(client, s) for s in statuses})


def _update(pk: str, expression: str, values: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": TABLE,
            "Key": _key(pk),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": values,
            **extra,
        }
    }


def _put_op(pk: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"Put": {"TableName": TABLE, "Item": {**_key(pk), "status": {"S": status}}, **extra}}


def _put_new(pk: str) -> dict[str, Any]:
    return _put_op(pk, "new", ConditionExpression="attribute_not_exists(pk)")


def _cancelled(client: Any, items: list[dict[str, Any]], **params: Any) -> Any:
    with pytest.raises(client.exceptions.TransactionCanceledException) as cancelled:
        client.transact_write_items(TransactItems=items, **params)
    return cancelled.value.response


# What the first item of a transaction does, before its second item's condition fails.
FIRST: dict[str, Callable[[], dict[str, Any]]] = {
    "update": lambda: _update("a", "SET #s = :t, note = :n", {":t": {"S": "taken"}, ":n": {"S": "x"}}),
    "put a new item": lambda: _put_op("new-one", "taken"),
    "put over an item": lambda: _put_op("a", "taken"),
    "delete": lambda: {"Delete": {"TableName": TABLE, "Key": _key("a")}},
}


@pytest.mark.parametrize("first", FIRST)
def test_a_condition_failing_on_the_second_item_leaves_the_first_untouched(variant, dynamodb, first):
    _put(dynamodb, "a", "waiting", note="kept")
    _put(dynamodb, "b", "waiting")
    before = (_state(dynamodb), _get(dynamodb, "a"), _get(dynamodb, "new-one"))

    response = _cancelled(dynamodb, [FIRST[first](), _put_new("b")])

    assert [r["Code"] for r in response["CancellationReasons"]] == ["None", "ConditionalCheckFailed"]
    assert (_state(dynamodb), _get(dynamodb, "a"), _get(dynamodb, "new-one")) == before
    assert _by_status(dynamodb, "waiting") == ["a", "b"]  # the index as it was
    assert _by_status(dynamodb, "taken") == []


def test_an_item_updated_in_place_is_put_back_whole(variant, dynamodb):
    """moto updates an item object in place: what is restored is a copy taken before."""
    _put(dynamodb, "a", "waiting", note="kept")
    dynamodb.update_item(
        TableName=TABLE,
        Key=_key("a"),
        UpdateExpression="SET tags = :t, n = :n",
        ExpressionAttributeValues={":t": {"L": [{"S": "x"}, {"M": {"deep": {"S": "y"}}}]}, ":n": {"N": "1"}},
    )
    before = _get(dynamodb, "a")
    first = _update(
        "a",
        "SET tags[1].deep = :z, n = n + :one, #s = :t REMOVE note",
        {":z": {"S": "changed"}, ":one": {"N": "1"}, ":t": {"S": "taken"}},
    )
    _put(dynamodb, "b")
    _cancelled(dynamodb, [first, _put_new("b")])
    assert _get(dynamodb, "a") == before


def test_the_cancellation_reasons_are_moto_s_item_by_item():
    """The same cancelled transaction with and without the undo log: the same reasons (a
    failed item's old image with ALL_OLD, "None" for the items that passed, even after a
    failure), and the same tables afterwards."""

    def run() -> tuple[Any, ...]:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="us-east-1")
            _create_tables(client)
            _put(client, "a", "waiting")
            _put(client, "b", "taken")
            client.put_item(TableName=COUNTERS, Item={"pk": {"S": "c"}, "n": {"N": "1"}})
            response = _cancelled(
                client,
                [
                    _put_new("fresh"),
                    _put_op(
                        "b",
                        "new",
                        ConditionExpression="attribute_not_exists(pk)",
                        ReturnValuesOnConditionCheckFailure="ALL_OLD",
                    ),
                    {
                        "Update": {
                            "TableName": COUNTERS,
                            "Key": {"pk": {"S": "c"}},
                            "UpdateExpression": "ADD n :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                    {
                        "ConditionCheck": {
                            "TableName": TABLE,
                            "Key": _key("a"),
                            "ConditionExpression": "#s = :w",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": {":w": {"S": "taken"}},
                        }
                    },
                ],
            )
            return response["CancellationReasons"], response["Error"], _state(client)

    with undo_log(True):
        logged = run()
    with undo_log(False):
        moto = run()
    assert logged == moto
    reasons = logged[0]
    assert [r["Code"] for r in reasons] == [
        "None",
        "ConditionalCheckFailed",
        "None",
        "ConditionalCheckFailed",
    ]
    assert reasons[1]["Item"] == {**_key("b"), "status": {"S": "taken"}}
    assert logged[2][0] == sorted(
        map(
            repr,
            [
                {**_key("a"), "status": {"S": "waiting"}},
                {**_key("b"), "status": {"S": "taken"}},
                {"pk": {"S": "c"}, "n": {"N": "1"}},
            ],
        )
    )


def test_a_validation_error_part_way_undoes_what_went_before(variant, dynamodb):
    """Two operations on one item: moto refuses the transaction (ValidationException) after
    applying the items before the repeat; they are put back."""
    _put(dynamodb, "a", "waiting")
    _put(dynamodb, "b", "waiting")
    before = _state(dynamodb)
    items = [
        _update("a", "SET #s = :t", {":t": {"S": "taken"}}),
        _put_op("b", "taken"),
        _update("a", "SET #s = :n", {":n": {"S": "new"}}),
    ]
    with pytest.raises(dynamodb.exceptions.ClientError, match="multiple operations on one item"):
        dynamodb.transact_write_items(TransactItems=items)
    assert _state(dynamodb) == before


def test_an_item_with_two_operations_undoes_what_went_before(dynamodb):
    """moto raises "one of Check, Put, Update or Delete" at such an item without putting back
    the items before it (moto's own bug); with the undo log nothing stays written."""
    with undo_log(True):
        _put(dynamodb, "a", "waiting")
        _put(dynamodb, "b", "waiting")
        before = _state(dynamodb)
        two = {**_put_op("c", "new"), **_update("b", "SET #s = :t", {":t": {"S": "taken"}})}
        with pytest.raises(dynamodb.exceptions.ClientError, match="can only contain one of"):
            dynamodb.transact_write_items(
                TransactItems=[_update("a", "SET #s = :t", {":t": {"S": "taken"}}), two]
            )
        assert _state(dynamodb) == before


def test_a_transaction_that_passes_applies_every_item(variant, dynamodb):
    _put(dynamodb, "a", "waiting")
    _put(dynamodb, "b", "waiting")
    _put(dynamodb, "gone", "waiting")
    dynamodb.transact_write_items(
        TransactItems=[
            _update(
                "a",
                "SET #s = :t",
                {":t": {"S": "taken"}, ":w": {"S": "waiting"}},
                ConditionExpression="#s = :w",
            ),
            _put_new("c"),
            {"Delete": {"TableName": TABLE, "Key": _key("gone")}},
            {
                "ConditionCheck": {
                    "TableName": TABLE,
                    "Key": _key("b"),
                    "ConditionExpression": "attribute_exists(pk)",
                }
            },
            {
                "Update": {
                    "TableName": COUNTERS,
                    "Key": {"pk": {"S": "day"}},
                    "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ]
    )
    assert _by_status(dynamodb, "taken") == ["a"]
    assert _by_status(dynamodb, "waiting") == ["b"]
    assert _by_status(dynamodb, "new") == ["c"]
    assert _get(dynamodb, "gone") is None
    assert dynamodb.get_item(TableName=COUNTERS, Key={"pk": {"S": "day"}})["Item"]["n"] == {"N": "1"}


def test_a_repeated_client_request_token_is_what_moto_makes_of_it():
    """DynamoDB answers a repeated ClientRequestToken (within 10 minutes) from the first call;
    moto ignores the token and applies the transaction again. The undo log keeps moto's."""

    def run() -> Any:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="us-east-1")
            _create_tables(client)
            add = {
                "Update": {
                    "TableName": COUNTERS,
                    "Key": {"pk": {"S": "day"}},
                    "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            }
            for _ in range(2):
                client.transact_write_items(TransactItems=[add], ClientRequestToken="same-token")
            return client.get_item(TableName=COUNTERS, Key={"pk": {"S": "day"}})["Item"]["n"]

    with undo_log(True):
        logged = run()
    with undo_log(False):
        moto = run()
    assert logged == moto


def test_a_cancelled_transaction_leaves_no_stream_records():
    """A table with a stream: the records of the items put back are dropped, as moto's copy of
    the table (its stream included) did. (Refdesk's tables have no streams.)"""

    def run() -> list[str]:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="us-east-1")
            client.create_table(
                TableName="streamed",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
                StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            )
            for pk in ("a", "b"):
                client.put_item(TableName="streamed", Item={"pk": {"S": pk}})
            update = {"TableName": "streamed", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET x = :x"}
            _cancelled(
                client,
                [
                    {"Update": {**update, "ExpressionAttributeValues": {":x": {"S": "y"}}}},
                    {"Put": {"TableName": "streamed", "Item": {"pk": {"S": "new"}}}},
                    {
                        "Put": {
                            "TableName": "streamed",
                            "Item": {"pk": {"S": "b"}},
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ],
            )
            table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_table("streamed")
            return [record.to_json()["eventName"] for record in table.stream_shard.items]

    with undo_log(True):
        logged = run()
    with undo_log(False):
        moto = run()
    assert logged == moto == ["INSERT", "INSERT"]


def test_no_table_is_copied_and_the_cost_does_not_follow_the_table(dynamodb, monkeypatch):
    """The point of the log: a transaction copies the items it names, never a table."""
    with undo_log(True):
        for start in range(0, 500, 25):
            dynamodb.batch_write_item(
                RequestItems={
                    TABLE: [{"PutRequest": {"Item": _key(f"p{n}")}} for n in range(start, start + 25)]
                }
            )
        copied: list[Any] = []
        deepcopy = copy.deepcopy

        def counting(value: Any, memo: Any = None) -> Any:
            copied.append(type(value))
            return deepcopy(value, memo)

        monkeypatch.setattr(copy, "deepcopy", counting)
        _put(dynamodb, "b")
        _cancelled(dynamodb, [_update("p1", "SET #s = :t", {":t": {"S": "taken"}}), _put_new("b")])
        dynamodb.transact_write_items(TransactItems=[_update("p1", "SET #s = :t", {":t": {"S": "taken"}})])
    assert Table not in copied
    assert len(copied) < 50  # the named items and the values moto copies for an update, not 500 items


# --- chalicelib's append, whose callers read the reasons item by item ---------------------------


def _chat() -> ChatSession:
    return saved_chat()


def _message(seq: int, text: str) -> Message:
    return Message(
        session_id="s1", seq=seq, kind="chat", from_role="patron", text=text, sent_at="2026-11-23T10:01:00Z"
    )


def _ref(ref: str, seq: int) -> MessageRef:
    return MessageRef(session_id="s1", ref=ref, seq=seq, expires_at=datetime(2026, 11, 24, tzinfo=UTC))


def _transcript() -> list[tuple[int, str]]:
    return [(int(m.seq), m.text) for m in Message.query("s1")]


def test_append_with_a_ref_seen_before_writes_no_message(variant, aws):
    """The message is put first, then the ref's condition fails: RefSeen (the reason of item
    1), and message 2 is not written."""
    session = _chat()
    sessions.append(session, _message(1, "one"), _ref("patron:r1", 1), require_live=True)
    with pytest.raises(sessions.RefSeen):
        sessions.append(session, _message(2, "one again"), _ref("patron:r1", 2), require_live=True)
    assert _transcript() == [(1, "one")]
    assert int(access.session("s1").last_seq) == 1
    assert access.ref_seq("s1", "patron:r1") == 1


def test_append_from_a_stale_session_writes_neither_message_nor_ref(variant, aws):
    """Another writer took seq 1: the session's condition (the last item) fails, ChatChanged,
    and neither the message nor the new ref put before it stays."""
    stale = _chat()
    sessions.append(access.session("s1"), _message(1, "first"), None, require_live=True)
    with pytest.raises(ChatChanged):
        sessions.append(stale, _message(1, "lost the race"), _ref("patron:r2", 1), require_live=True)
    assert _transcript() == [(1, "first")]
    assert access.ref_seq("s1", "patron:r2") is None
    assert int(access.session("s1").last_seq) == 1


def test_append_to_an_ended_chat_writes_nothing(variant, aws):
    session = _chat()
    ended = access.session("s1")
    ended.update(actions=[ChatSession.status.set("ended")])
    with pytest.raises(ChatChanged):
        sessions.append(session, _message(1, "too late"), _ref("patron:r3", 1), require_live=True)
    assert _transcript() == []
    assert access.ref_seq("s1", "patron:r3") is None
