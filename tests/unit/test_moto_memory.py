"""The local stack's memory: moto keeps no object it is done with (devstack/moto_memory.py), and
the outbox keeps the newest mail only."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.models.dynamo_type import Item

from devstack import moto_memory, moto_transactions


@pytest.fixture
def restored() -> Iterator[None]:
    """Whatever each test installs, the state before it afterwards."""
    memory, transactions = moto_memory.installed(), moto_transactions.installed()
    yield
    (moto_memory.install if memory else moto_memory.uninstall)()
    (moto_transactions.install if transactions else moto_transactions.uninstall)()


def _requests(count: int) -> None:
    """Puts, updates and reads of one item: each makes moto objects (copies) it then drops."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.create_table(
        TableName="t",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for n in range(count):
        client.put_item(TableName="t", Item={"pk": {"S": "a"}, "n": {"N": str(n)}})
        client.update_item(
            TableName="t",
            Key={"pk": {"S": "a"}},
            UpdateExpression="SET m = :m",
            ExpressionAttributeValues={":m": {"N": "1"}},
        )
        client.query(
            TableName="t", KeyConditionExpression="pk = :a", ExpressionAttributeValues={":a": {"S": "a"}}
        )
    assert client.get_item(TableName="t", Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": str(count - 1)}


def test_moto_tracks_every_item_it_ever_made(restored):
    moto_memory.uninstall()
    with mock_aws():
        before = len(Item.instances_tracked)
        _requests(20)
        assert len(Item.instances_tracked) - before >= 60  # the premise: without the fix, it grows


def test_installed_nothing_is_tracked_and_moto_still_works(restored):
    assert moto_memory.install() in (True, False)
    assert moto_memory.installed()
    assert Item.instances_tracked == []  # forgotten at install
    with mock_aws():
        _requests(20)
        assert Item.instances_tracked == []


def test_the_local_stack_starts_moto_with_both(restored):
    from devstack import aws

    moto_memory.uninstall()
    moto_transactions.uninstall()
    mock = aws.start_moto()
    try:
        assert moto_memory.installed() and moto_transactions.installed()
    finally:
        mock.stop()


def test_the_outbox_keeps_the_newest_mail(monkeypatch):
    from devstack import aws

    monkeypatch.setattr(aws, "outbox", [])
    monkeypatch.setattr(aws, "OUTBOX_KEPT", 3)

    class Sent:
        status_code = 200

    for n in range(5):
        mail = {
            "Source": "ask@refdesk.example",
            "Destination": {"ToAddresses": [f"p{n}@example.org"]},
            "Message": {"Subject": {"Data": f"mail {n}"}, "Body": {"Text": {"Data": "t"}}},
        }
        aws._file_mail({"refdesk_mail": mail}, Sent())
    assert [m["to"] for m in aws.outbox] == ["p2@example.org", "p3@example.org", "p4@example.org"]
