"""Powertools logging wired into Chalice: every log line carries its route and connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(service="refdesk")


def websocket_middleware(event: Any, get_response: Callable[[Any], Any]) -> Any:
    from . import delivery

    context = event.to_dict().get("requestContext", {})
    logger.append_keys(connection_id=event.connection_id, route=context.get("routeKey"))
    delivery.configure_from_event(event.domain_name, event.stage)
    try:
        return get_response(event)
    finally:
        logger.remove_keys(["connection_id", "route", "action"])
