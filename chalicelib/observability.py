"""Powertools wired into Chalice: JSON logs that carry the route, connection and session; EMF
metrics flushed after every invocation; X-Ray tracing only where a stage turns it on
(REFDESK_TRACING=1), so a stage without it pays nothing for it at cold start."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="refdesk")
metrics = Metrics(service="refdesk", namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "Refdesk"))
metrics.set_default_dimensions(stage=os.environ.get("REFDESK_STAGE", "dev"))
_tracer: Any = None
# Lambda runs one invocation at a time per process; the local gateway runs them on threads of one
# process, which share `metrics`, and powertools' flush checks for metrics before serialising them.
_metrics_lock = threading.Lock()


# --- what the service counts -------------------------------------------------------------------


def count(name: str, value: float = 1) -> None:
    """Chats requested, accepted and ended, messages relayed: one counter each."""
    _add(name, MetricUnit.Count, value)


def seconds(name: str, value: float) -> None:
    _add(name, MetricUnit.Seconds, value)


def _add(name: str, unit: MetricUnit, value: float) -> None:
    with _metrics_lock:
        metrics.add_metric(name=name, unit=unit, value=value)


def error(code: str) -> None:
    """Refused or failed requests, by error code (its own EMF record, with a code dimension)."""
    from aws_lambda_powertools.metrics import single_metric

    with single_metric(
        name="Errors",
        unit=MetricUnit.Count,
        value=1,
        namespace=metrics.namespace,
        default_dimensions=metrics.default_dimensions,
    ) as metric:
        metric.add_dimension(name="code", value=code)


def _flush() -> None:
    with _metrics_lock:
        if metrics.metric_set:
            metrics.flush_metrics()


# --- tracing, only when the stage asks for it -----------------------------------------------------


def _tracing() -> Any:
    global _tracer
    if _tracer is None and os.environ.get("REFDESK_TRACING") == "1":
        from aws_lambda_powertools import Tracer  # patches botocore: only where tracing is on

        _tracer = Tracer(service="refdesk")
    return _tracer


@contextmanager
def _traced(name: str) -> Iterator[None]:
    tracer = _tracing()
    if tracer is None:
        yield
        return
    with tracer.provider.in_subsegment(f"## {name}"):
        yield


# --- Chalice middleware ------------------------------------------------------------------------


def websocket_middleware(event: Any, get_response: Callable[[Any], Any]) -> Any:
    route = event.to_dict().get("requestContext", {}).get("routeKey")
    logger.append_keys(connection_id=event.connection_id, route=route)
    try:
        with _traced(route or "websocket"):
            return get_response(event)
    finally:
        _flush()
        logger.remove_keys(["connection_id", "route", "action", "session_id"])


def http_middleware(event: Any, get_response: Callable[[Any], Any]) -> Any:
    route = f"{event.method} {event.context.get('resourcePath', event.path)}"
    logger.append_keys(route=route)
    try:
        with _traced(route):
            return get_response(event)
    finally:
        _flush()
        logger.remove_keys(["route"])


def scheduled_middleware(event: Any, get_response: Callable[[Any], Any]) -> Any:
    logger.append_keys(route="schedule")
    try:
        with _traced("schedule"):
            return get_response(event)
    finally:
        _flush()
        logger.remove_keys(["route", "job"])
