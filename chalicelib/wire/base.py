"""What the WebSocket and REST APIs share: the base models, the field types, parsing a JSON
object, and turning a validation failure into the error a client is shown."""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from .. import limits
from ..errors import BadRequest, RefdeskError, TooLarge

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.TEXT)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=limits.NAME)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=limits.REF)]
CodeId = Annotated[str, StringConstraints(min_length=1, max_length=limits.CODE)]
# A plain shape check: deliverability is SES's business, and email-validator would pull in DNS.
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=limits.EMAIL, pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"
    ),
]

M = TypeVar("M", bound=BaseModel)


class Inbound(BaseModel):
    """What a client sends. Unknown fields are ignored. The validator is built on first use,
    not at import: a Lambda handling one action pays for that action's models only."""

    model_config = ConfigDict(defer_build=True, extra="ignore")


class Outbound(BaseModel):
    """What the service sends. An undeclared field fails where the reply is built, not
    silently in a client."""

    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True)


def parse_object(raw: str | bytes | None, what: str) -> dict[str, Any]:
    """A JSON object (`what` names it in the error: "frame", "body"), or BadRequest."""
    try:
        data = json.loads(raw or b"null")
    except (ValueError, RecursionError):
        raise BadRequest(f"The {what} must be a JSON object.") from None
    if not isinstance(data, dict):
        raise BadRequest(f"The {what} must be a JSON object.")
    return data


def invalid(error: ValidationError, what: str) -> RefdeskError:
    """A string over its limit is `too_large`; anything else `bad_request` naming the field."""
    problems = error.errors(include_url=False)
    for problem in problems:
        if problem["type"] == "string_too_long":
            field = ".".join(str(part) for part in problem["loc"])
            limit = problem.get("ctx", {}).get("max_length", limits.TEXT)
            return TooLarge(f"'{field}' is too long: at most {limit:,} characters.")
    first = problems[0]
    field = ".".join(str(part) for part in first["loc"]) or what
    return BadRequest(f"'{field}': {first['msg']}.")


def validate(model: type[M], data: Any, what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid(error, what) from None
