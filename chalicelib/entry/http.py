"""One REST request in, one JSON reply out: sign-in, body and query parsed into their wire
models, the action called, its reply model (or its error) turned into JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import Request, Response
from pydantic import BaseModel

from .. import observability
from ..domain import auth
from ..errors import INTERNAL_ERROR, RefdeskError
from ..observability import logger
from ..wire import base
from ..wire.rest import ErrorReply

JSON_HEADERS: dict[str, str | list[str]] = {"Content-Type": "application/json"}


def _reply(body: BaseModel, status: int = 200) -> Response:
    return Response(body=body.model_dump_json(by_alias=True), status_code=status, headers=JSON_HEADERS)


def signed_in(request: Request) -> auth.Librarian:
    header = request.headers.get("authorization", "") if request.headers else ""
    scheme, _, token = header.partition(" ")
    return auth.read_token(token if scheme.lower() == "bearer" else None)


def _maybe_signed_in(request: Request) -> auth.Librarian | None:
    header = request.headers.get("authorization", "") if request.headers else ""
    return signed_in(request) if header else None


def call(
    action: Callable[..., BaseModel],
    request: Request | None,
    *,
    public: bool = False,
    signed_in_or_not: bool = False,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    **params: str,
) -> Response:
    """Call `action(librarian?, body?, query?, **params)`: the signed-in librarian unless the
    route is public (or, `signed_in_or_not`, the librarian or None), then the parsed body and
    query if the route takes them."""
    if request is None:
        raise RuntimeError("a REST route was called outside a request")
    try:
        args: list[Any] = (
            [] if public else [_maybe_signed_in(request) if signed_in_or_not else signed_in(request)]
        )
        if body is not None:
            args.append(base.validate(body, base.parse_object(request.raw_body, "body"), "body"))
        if query is not None:
            args.append(base.validate(query, dict(request.query_params or {}), "query"))
        return _reply(action(*args, **params))
    except RefdeskError as error:
        observability.error(error.code)
        return _reply(ErrorReply(code=error.code, message=error.message), error.http_status)
    except Exception:
        logger.exception("request failed")
        observability.error("internal_error")
        return _reply(ErrorReply(code="internal_error", message=INTERNAL_ERROR), 500)
