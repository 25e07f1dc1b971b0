"""What the WebSocket and REST APIs share: the base models, the field types, parsing a JSON
object, and turning a validation failure into the error a client is shown."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError, PydanticKnownError

from .. import limits
from ..errors import BadRequest, RefdeskError, TooLarge
from .shape import Shape

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.TEXT)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=limits.NAME)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=limits.REF)]
CodeId = Annotated[str, StringConstraints(min_length=1, max_length=limits.CODE)]
# A message number a client names (after_seq): a whole number a JavaScript client can hold,
# and far inside what DynamoDB compares (38 digits).
Seq = Annotated[int, Field(ge=0, le=2**53 - 1)]

# --- e-mail addresses ---------------------------------------------------------------------------
# RFC 5321's shape, checked without DNS (deliverability is SES's business): an ASCII dot-atom
# local part of at most 64 characters, "@", a domain of letter-digit-hyphen labels (at least
# two) of at most 255, the whole at most 254. No quoted local parts, comments, IP literals,
# spaces, commas, control or non-ASCII characters: what cannot be one address is refused.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# The patterns here are strings: `re` compiles each at its first use and keeps it, so a cold
# start pays for none it does not use.
_EMAIL = rf"({_ATEXT}+(?:\.{_ATEXT}+)*)@({_LABEL}(?:\.{_LABEL})+)"


def _email(value: str) -> str:
    match = re.fullmatch(_EMAIL, value)
    if match is None or len(match.group(1)) > 64 or len(match.group(2)) > 255:
        raise PydanticCustomError(
            "email",
            "must be one e-mail address like name@example.org, in ASCII, with no spaces, "
            "commas or control characters",
        )
    return value


Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=limits.EMAIL), AfterValidator(_email)
]

# --- web addresses ------------------------------------------------------------------------------
# Characters that change how text around them is shown without being seen: bidirectional
# embeddings, overrides, isolates and marks, zero-width characters, the byte-order mark.
_INVISIBLE = "[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
_SPACE_OR_CONTROL = r"[\s\x00-\x1f\x7f-\x9f]"


def web_url_problem(url: str) -> str | None:
    """Why `url` is not an absolute http(s) address fit to show as a link, or None: it must
    have a host and no user-info (`https://library.example@evil.example/` goes to
    evil.example), and no spaces, control or invisible direction-changing characters."""
    if re.search(_SPACE_OR_CONTROL, url) or re.search(_INVISIBLE, url):
        return "must not contain spaces, control characters or invisible formatting characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return "is not a web address"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must be an absolute http or https address (https://…)"
    if "@" in parts.netloc:
        return "must not carry a user name or password (anything before @ in the host)"
    return None


def _web_url(value: str) -> str:
    problem = web_url_problem(value)
    if problem is not None:
        raise PydanticCustomError("web_url", problem)
    return value


# A pushed link (`push_url`): refused unless it is one.
WebUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=limits.TEXT), AfterValidator(_web_url)
]


def _informational_url(value: Any) -> str | None:
    """`page_url` only tells the librarian where the patron asked from: anything that is not a
    web address of at most PAGE_URL characters is dropped (stored as absent), and the request
    goes ahead."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > limits.PAGE_URL or web_url_problem(url) is not None:
        return None
    return url


PageUrl = Annotated[str | None, BeforeValidator(_informational_url)]

# --- names --------------------------------------------------------------------------------------


def clean_name(value: str) -> str:
    """A display name as shown to others: NFKC-normalised (full-width and look-alike
    compatibility forms folded), with control characters and invisible formatting characters
    (bidi overrides and isolates, zero-width joiners and spaces: Unicode's Cc and Cf) removed,
    and every run of white space one space."""
    text = unicodedata.normalize("NFKC", value)
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if unicodedata.category(char) not in ("Cc", "Cf") or char.isspace()
    )
    return " ".join(kept.split())


# Who a patron may not pass for: the system ("Refdesk", whose name system messages carry) and
# staff. Compared after clean_name, case-folded, on letters and digits only.
_SYSTEM_NAMES = {"refdesk", "system"}
_STAFF_WORDS = {"librarian", "thelibrarian", "staff", "admin", "administrator", "moderator"}
_STAFF_SUFFIX = r"[(\[{<]\s*(librarian|staff|admin|administrator|refdesk|system)\s*[)\]}>]$"


def _key(name: str) -> str:
    return "".join(char for char in name.casefold() if char.isalnum())


def is_system_name(name: str) -> bool:
    key = _key(name)
    return key in _SYSTEM_NAMES or key.startswith("refdesk")


def is_reserved_for_staff(name: str) -> bool:
    """A name only the system or a librarian may carry: "Refdesk", "Librarian", anything
    ending "(Librarian)" (as "Bob Binder (Librarian)"), and the like."""
    return (
        is_system_name(name) or _key(name) in _STAFF_WORDS or bool(re.search(_STAFF_SUFFIX, name.casefold()))
    )


def _too_long(name: str) -> str:
    if len(name) > limits.NAME:
        raise PydanticKnownError("string_too_long", {"max_length": limits.NAME})
    return name


def _patron_name(value: str) -> str:
    """Cleaned; a name reserved for staff or the system is kept but marked as the patron's
    ("Refdesk" becomes "Refdesk (patron)"), so the request goes ahead and nobody is fooled."""
    name = _too_long(clean_name(value))
    if name and is_reserved_for_staff(name) and not name.casefold().endswith("(patron)"):
        name = f"{name} (patron)"
    return name


def _staff_name(value: str) -> str:
    name = _too_long(clean_name(value))
    if not name:
        raise PydanticCustomError("name_empty", "must have at least one visible character")
    if is_system_name(name):
        raise PydanticCustomError("name_reserved", "is the service's own name: choose another")
    return name


# A patron's name (`request_chat`, `submit_question`); empty means none given.
PatronName = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=limits.NAME), AfterValidator(_patron_name)
]
# A librarian's display name (invitations, renaming).
StaffName = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=limits.NAME), AfterValidator(_staff_name)
]

M = TypeVar("M", bound=BaseModel)


class Inbound(Shape):
    """What a client sends. Unknown fields are ignored. The model is built on first use, not
    at import: a Lambda handling one action pays for that action's model only."""

    model_config = ConfigDict(defer_build=True, extra="ignore")


class Outbound(Shape):
    """What the service sends. An undeclared field fails where the reply is built, not
    silently in a client."""

    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True)


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def parse_object(raw: str | bytes | None, what: str) -> dict[str, Any]:
    """A JSON object (`what` names it in the error: "frame", "body"), or BadRequest.

    Strict JSON only: no NaN or Infinity, nesting no deeper than the parser can go, and no
    lone surrogate escape ("\\ud800"), which Python would read into a string that no UTF-8
    reply, log line or DynamoDB item can hold."""
    try:
        data = json.loads(raw or b"null", parse_constant=_not_json)
        if ("\\u" in raw if isinstance(raw, str) else b"\\u" in (raw or b"")) and isinstance(data, dict):
            json.dumps(data, ensure_ascii=False).encode("utf-8")  # a lone surrogate fails here
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
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
