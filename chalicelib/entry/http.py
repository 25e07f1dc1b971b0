"""One REST request in, one JSON reply out: sign-in, body and query parsed into their wire
models, the action called, its reply model (or its error) turned into JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import Request, Response
from pydantic import BaseModel

from .. import observability
from ..domain import auth
from ..errors import INTERNAL_ERROR, NotFound, RefdeskError
from ..observability import logger
from ..wire import base
from ..wire.reports import CsvPage
from ..wire.rest import ErrorReply

MAX_KEY_BYTES = 1024  # a DynamoDB key (2,048 bytes at most); every id and address here is far shorter
# nosniff: a reply is read as JSON, whatever text a client got into it.
JSON_HEADERS: dict[str, str | list[str]] = {
    "Content-Type": "application/json",
    "X-Content-Type-Options": "nosniff",
}


def _reply(body: BaseModel, status: int = 200) -> Response:
    if isinstance(body, CsvPage):
        return _csv_reply(body)
    return Response(body=body.model_dump_json(by_alias=True), status_code=status, headers=JSON_HEADERS)


def _csv_reply(page: CsvPage) -> Response:
    """A page of a CSV download; X-Next-Cursor names the next page when there is one."""
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{page.filename}"',
        "X-Content-Type-Options": "nosniff",
        "Access-Control-Expose-Headers": "X-Next-Cursor",
    }
    if page.next:
        headers["X-Next-Cursor"] = page.next
    return Response(body=page.text, status_code=200, headers=headers)


def _error_reply(error: RefdeskError) -> Response:
    """`{code, message}`, plus `retry_after` (and the Retry-After header) when rate limited."""
    retry_after = getattr(error, "retry_after", None)
    body = ErrorReply(code=error.code, message=error.message, retry_after=retry_after)
    headers = dict(JSON_HEADERS)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return Response(
        body=body.model_dump_json(by_alias=True, exclude_none=True),
        status_code=error.http_status,
        headers=headers,
    )


def signed_in(request: Request) -> auth.Librarian:
    header = request.headers.get("authorization", "") if request.headers else ""
    scheme, _, token = header.partition(" ")
    return auth.read_token(token if scheme.lower() == "bearer" else None)


def _maybe_signed_in(request: Request) -> auth.Librarian | None:
    header = request.headers.get("authorization", "") if request.headers else ""
    return signed_in(request) if header else None


def _path_names_an_item(params: dict[str, str]) -> None:
    """A path parameter (a library id, a question id, an e-mail) is a DynamoDB key: one that is
    empty or longer than any key can be names nothing (not_found), and is never read."""
    for value in params.values():
        if not value or len(value.encode("utf-8", "replace")) > MAX_KEY_BYTES:
            raise NotFound("There is nothing at that address.")


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
        _path_names_an_item(params)
        return _reply(action(*args, **params))
    except RefdeskError as error:
        observability.error(error.code)
        return _error_reply(error)
    except Exception:
        logger.exception("request failed")
        observability.error("internal_error")
        return _reply(ErrorReply(code="internal_error", message=INTERNAL_ERROR), 500)
