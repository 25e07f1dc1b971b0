"""REST routes under /api: each function takes Chalice's request and returns a Response."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

from chalice.app import Request, Response
from pydantic import BaseModel, StringConstraints, ValidationError

from . import auth, codes, directory, limits, observability, question_list
from .data import access
from .errors import BadRequest, Forbidden, RefdeskError, TooLarge
from .observability import logger
from .wire import MAX_TEXT

JSON_HEADERS = {"Content-Type": "application/json"}


def json_response(body: Any, status: int = 200) -> Response:
    return Response(body=json.dumps(body), status_code=status, headers=JSON_HEADERS)


def route(handler: Callable[..., Any]) -> Callable[..., Response]:
    """Turn a domain function's result or error into JSON: {"code", "message"} on failure."""

    @wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            result = handler(*args, **kwargs)
        except RefdeskError as error:
            observability.error(error.code)
            return json_response({"code": error.code, "message": error.message}, error.http_status)
        except Exception:
            logger.exception("request failed")
            observability.error("internal_error")
            return json_response(
                {"code": "internal_error", "message": "Something went wrong on our side."}, 500
            )
        return result if isinstance(result, Response) else json_response(result)

    return wrapper


def body_as(request: Request, model: type[BaseModel]) -> Any:
    try:
        data = json.loads(request.raw_body or b"null")
    except ValueError:
        raise BadRequest("The body must be JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        if first["type"] == "string_too_long":
            raise TooLarge(
                f"'{field}' is too long: at most {first['ctx']['max_length']:,} characters."
            ) from None
        raise BadRequest(f"'{field}': {first['msg']}.") from None


def signed_in(request: Request) -> auth.Librarian:
    header = (request.headers or {}).get("authorization", "")
    scheme, _, token = header.partition(" ")
    return auth.read_token(token if scheme.lower() == "bearer" else None)


class LoginBody(BaseModel):
    email: str
    password: str


@route
def login(request: Request) -> Any:
    body = body_as(request, LoginBody)
    return {**auth.login(body.email, body.password), "limits": limits.public()}


@route
def me(request: Request) -> Any:
    return {**signed_in(request).public(), "limits": limits.public()}


@route
def availability(library_id: str) -> Any:
    return {**directory.availability(access.library(library_id)).public(), "limits": limits.public()}


@route
def policy(request: Request, library_id: str) -> Any:
    librarian = signed_in(request)
    library = access.library(library_id)
    if not directory.may_serve(librarian.library, library_id):
        raise Forbidden("That library is not yours or in your cooperative.")
    return {
        "library_id": library.library_id,
        "name": library.name,
        "cooperative": library.cooperative,
        "policy": library.policy,
        "hours": library.hours,
        "alternatives": library.alternatives,
    }


# --- code lists ---------------------------------------------------------------------------------


@route
def get_codes(request: Request, library_id: str) -> Any:
    librarian = signed_in(request)
    if not directory.may_serve(librarian.library, library_id):
        raise Forbidden("That library is not yours or in your cooperative.")
    return codes.lists_of(access.library(library_id)).model_dump()


@route
def put_codes(request: Request, library_id: str) -> Any:
    librarian = signed_in(request)
    if not (librarian.is_admin and librarian.library == library_id):
        raise Forbidden("Only an admin of this library may change its codes.")
    library = access.library(library_id)
    lists = body_as(request, codes.CodeLists)
    codes.save_lists(library, lists)
    return lists.model_dump()


# --- the question list ----------------------------------------------------------------------------


class TextBody(BaseModel):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]


@route
def list_questions(request: Request) -> Any:
    params = request.query_params or {}
    return question_list.list_questions(
        signed_in(request),
        library=params.get("library"),
        status=params.get("status"),
        label=params.get("label"),
        limit=params.get("limit"),
        cursor=params.get("cursor"),
    )


@route
def get_question(request: Request, question_id: str) -> Any:
    return question_list.get_question(signed_in(request), question_id)


@route
def answer_question(request: Request, question_id: str) -> Any:
    librarian = signed_in(request)
    return question_list.answer(librarian, question_id, body_as(request, TextBody).text)


@route
def note_question(request: Request, question_id: str, kind: str) -> Any:
    librarian = signed_in(request)
    return question_list.note(librarian, question_id, body_as(request, TextBody).text, kind)


@route
def close_question(request: Request, question_id: str) -> Any:
    return question_list.close(signed_in(request), question_id)
