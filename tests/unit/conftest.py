"""In-process moto and a recording management API: the handlers run as Lambda would run them."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.update(
    {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "REFDESK_TABLE_PREFIX": "refdesk-unit",
        "REFDESK_TOKEN_SECRET": "unit-test-secret",
        "REFDESK_WEBSOCKET_ENDPOINT": "http://127.0.0.1:9",
    }
)

from moto import mock_aws


class Gone(Exception):
    pass


class PayloadTooLarge(Exception):
    pass


class RecordingManagementApi:
    """Stands in for POST /@connections/{id}: keeps frames per open socket, 410s the rest, and
    413s a frame over 128 KB, as API Gateway does."""

    class exceptions:
        GoneException = Gone
        PayloadTooLargeException = PayloadTooLarge

    def __init__(self) -> None:
        self.open: set[str] = set()
        self.frames: dict[str, list[dict[str, Any]]] = {}
        self.refused: list[tuple[str, int]] = []  # (connection id, bytes) of each 413

    def post_to_connection(self, ConnectionId: str, Data: bytes) -> None:
        if ConnectionId not in self.open:
            raise Gone(ConnectionId)
        if len(Data) > 128 * 1024:
            self.refused.append((ConnectionId, len(Data)))
            raise PayloadTooLarge(ConnectionId)
        self.frames.setdefault(ConnectionId, []).append(json.loads(Data))

    def of(self, connection_id: str, type_: str | None = None) -> list[dict[str, Any]]:
        return [f for f in self.frames.get(connection_id, []) if type_ in (None, f["type"])]


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        import boto3

        from chalicelib.data.models import ALL_MODELS

        for model in ALL_MODELS:
            model.create_table(wait=True)
        boto3.client("ses").verify_email_identity(EmailAddress="ask@refdesk.example")
        yield


@pytest.fixture
def posts(aws, monkeypatch) -> RecordingManagementApi:
    from chalicelib import delivery

    api = RecordingManagementApi()
    monkeypatch.setattr(delivery, "_client", api)
    return api


def ws_event(route: str, connection_id: str, body: Any = None, query: dict | None = None) -> dict:
    """A Lambda event as API Gateway's WebSocket API sends it."""
    event: dict[str, Any] = {
        "requestContext": {
            "routeKey": route,
            "eventType": {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route, "MESSAGE"),
            "connectionId": connection_id,
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "stage": "ws",
            "apiId": "abc123",
            "requestId": uuid.uuid4().hex,
        },
        "isBase64Encoded": False,
    }
    if query is not None:
        event["queryStringParameters"] = query
    if body is not None:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
    return event


@pytest.fixture
def lambda_app(posts):
    """The deployed handlers, with a helper to open sockets and send frames."""
    import app as app_module
    from devstack.demo import save_library, save_staff

    save_library("lib-a", "Library A", cooperative="coop")
    save_library("lib-b", "Library B", cooperative="coop")
    save_staff("a@lib-a.example", "Ann", "lib-a", "pw")

    class Harness:
        module = app_module
        api = posts

        def connect(self, token: str | None = None) -> str:
            connection_id = uuid.uuid4().hex[:12] + "="
            query = {"token": token} if token else None
            result = app_module.ws_connect(ws_event("$connect", connection_id, query=query), None)
            if result["statusCode"] == 200:
                posts.open.add(connection_id)
                return connection_id
            raise PermissionError(result)

        def send(self, connection_id: str, **frame: Any) -> dict[str, Any]:
            frame.setdefault("ref", uuid.uuid4().hex[:8])
            app_module.ws_message(ws_event("$default", connection_id, frame), None)
            return next(f for f in reversed(posts.frames[connection_id]) if f.get("ref") == frame["ref"])

        def drop(self, connection_id: str) -> None:
            """The socket vanished without a $disconnect: the next post gets 410."""
            posts.open.discard(connection_id)

        def token(self) -> str:
            from chalicelib.domain import auth

            return auth.login("a@lib-a.example", "pw").token

    return Harness()
