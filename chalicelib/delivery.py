"""Every event to a client leaves through `send`: fan-out, and clean-up of vanished sockets.

Posts go through API Gateway's management API (`POST /@connections/{id}`), the same call in
AWS and in the local stack, whose gateway answers that route.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import wire
from .config import settings
from .observability import logger

_client: Any = None
_event_endpoint: str | None = None


def configure_from_event(domain_name: str, stage: str) -> None:
    """Where no endpoint is configured, post back to the API the current event came through."""
    global _event_endpoint
    if _event_endpoint is None:
        _event_endpoint = f"https://{domain_name}/{stage}"


def _management_api() -> Any:
    global _client
    if _client is None:
        import boto3

        endpoint = settings().websocket_endpoint or _event_endpoint
        if endpoint is None:
            raise RuntimeError("Set REFDESK_WEBSOCKET_ENDPOINT so jobs and REST can reach sockets.")
        _client = boto3.client("apigatewaymanagementapi", endpoint_url=endpoint)
    return _client


def send(connection_ids: Iterable[str | None], event: wire.Event) -> list[str]:
    """Post one event to each connection; return the ids that were gone (and are now forgotten)."""
    client = _management_api()
    frame = event.frame().encode()
    gone: list[str] = []
    for connection_id in dict.fromkeys(c for c in connection_ids if c):
        try:
            client.post_to_connection(ConnectionId=connection_id, Data=frame)
        except client.exceptions.GoneException:
            gone.append(connection_id)
    if gone:
        from . import presence  # presence itself sends events

        for connection_id in gone:
            logger.info("connection gone", extra={"connection_id": connection_id})
            presence.connection_gone(connection_id)
    return gone


def is_gone(connection_id: str) -> bool:
    """Whether API Gateway has closed this socket (GET /@connections/{id} answers 410)."""
    client = _management_api()
    try:
        client.get_connection(ConnectionId=connection_id)
    except client.exceptions.GoneException:
        return True
    return False


def reply(connection_id: str, event: wire.Event) -> None:
    send([connection_id], event)
