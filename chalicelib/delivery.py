"""Every event to a client leaves through `send`: one post per connection, and clean-up of
vanished sockets.

Posts go through API Gateway's management API (`POST /@connections/{id}`), the same call in
AWS and in the local stack, whose gateway answers that route. What to do with a socket that
is gone (410) is not this module's business: the app hands it a callback when it is wired
(`on_gone`), as Chalice's own chat sample hands its sender the storage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import observability
from .config import settings
from .errors import INTERNAL_ERROR
from .observability import logger
from .wire.events import Error, Event

_client: Any = None
_event_endpoint: str | None = None
_forget: Callable[[str], None] | None = None
_skipping = False


def skip_posts() -> None:
    """For a process that can reach no WebSocket API (the `refdesk` command line, run without
    one): posts and closes are skipped rather than failing, so a change to the tables still
    lands whole; the windows concerned are not told of it."""
    global _skipping
    _skipping = True


def on_gone(forget: Callable[[str], None]) -> None:
    """Call `forget(connection_id)` for each socket a post finds gone."""
    global _forget
    _forget = forget


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


def send(connection_ids: Iterable[str | None], event: Event) -> list[str]:
    """Post one event to each connection; return the ids that were gone (and are now forgotten).

    An event over API Gateway's 128 KB is refused (413 PayloadTooLargeException). Every event
    is built to fit its budget, so that is a bug: it is logged as an error and counted, the
    other connections still get theirs, and a reply is answered with `internal_error` instead,
    so the client is not left waiting."""
    if _skipping:
        return []
    client = _management_api()
    frame = event.frame().encode()
    gone: list[str] = []
    for connection_id in dict.fromkeys(c for c in connection_ids if c):
        try:
            client.post_to_connection(ConnectionId=connection_id, Data=frame)
        except client.exceptions.GoneException:
            gone.append(connection_id)
        except client.exceptions.PayloadTooLargeException:
            _too_large(client, connection_id, event, len(frame))
    for connection_id in gone:
        logger.info("connection gone", extra={"connection_id": connection_id})
        if _forget is not None:
            _forget(connection_id)
    return gone


def _too_large(client: Any, connection_id: str, event: Event, size: int) -> None:
    logger.error(
        "event too large to post",
        extra={"connection_id": connection_id, "event_type": event.type, "bytes": size},
    )
    observability.count("EventsTooLarge")
    if event.ref is None or isinstance(event, Error):
        return
    refusal = Error(code="internal_error", message=INTERNAL_ERROR, ref=event.ref)
    try:
        client.post_to_connection(ConnectionId=connection_id, Data=refusal.frame().encode())
    except (client.exceptions.GoneException, client.exceptions.PayloadTooLargeException):
        return


def is_gone(connection_id: str) -> bool:
    """Whether API Gateway has closed this socket (GET /@connections/{id} answers 410)."""
    client = _management_api()
    try:
        client.get_connection(ConnectionId=connection_id)
    except client.exceptions.GoneException:
        return True
    return False


def close(connection_ids: Iterable[str]) -> None:
    """Close sockets from the server side (`DELETE /@connections/{id}`); API Gateway then
    runs $disconnect for each, which cleans up after it as after any other drop."""
    if _skipping:
        return
    client = _management_api()
    for connection_id in dict.fromkeys(connection_ids):
        try:
            client.delete_connection(ConnectionId=connection_id)
        except client.exceptions.GoneException:
            continue
