"""A library's settings and policy page over REST: `GET`/`PUT /libraries/{id}` and
`PUT /libraries/{id}/policy`. A body is checked in full and refuses fields it does not know,
so a typo is a 400 rather than a setting silently left as it was."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .. import limits
from .base import Inbound, Outbound, web_url_problem
from .events import Alternative

WaitSeconds = Annotated[int, Field(strict=True, ge=0, le=limits.WAIT_MAX_S)]
GiveUpSeconds = Annotated[int, Field(strict=True, ge=limits.GIVE_UP_MIN_S, le=limits.WAIT_MAX_S)]
RetentionDays = Annotated[int, Field(strict=True, ge=limits.RETENTION_DAYS_MIN, le=limits.RETENTION_DAYS_MAX)]

# Strings, compiled by `re` at their first use (as in base.py).
_MAILTO = r"(?i)^mailto:[^\s@/?]+@[^\s@/?]+\.[^\s@/?]+(\?\S*)?$"
_TEL = r"(?i)^tel:\+?[0-9().\-]*[0-9][0-9().\-]*$"


def is_web_url(url: str) -> bool:
    """An absolute http(s) address with a host, and none of what makes a link lie (see
    base.web_url_problem: user-info, control or invisible direction-changing characters)."""
    return web_url_problem(url) is None


def is_contact_url(url: str) -> bool:
    """What a patron may be sent to instead of a chat: a web address, `mailto:` or `tel:`."""
    return (
        is_web_url(url)
        or bool(re.match(_MAILTO, url))
        or (len(re.sub(r"\D", "", url)) >= 3 and bool(re.match(_TEL, url)))
    )


class _Strict(Inbound):
    model_config = ConfigDict(extra="forbid")


class AlternativeBody(_Strict):
    label: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.ALTERNATIVE_LABEL)
    ]
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.URL)]

    @model_validator(mode="after")
    def _contact_url(self) -> AlternativeBody:
        if not is_contact_url(self.url):
            raise PydanticCustomError(
                "contact_url",
                "the alternative “{label}” has the address “{url}”: use an absolute web address "
                "(https://…), an e-mail address (mailto:ask@example.org) or a phone number without "
                "spaces (tel:+15550100)",
                {"label": self.label, "url": self.url},
            )
        return self


class LibrarySettings(_Strict):
    """`PUT /libraries/{id}`: the shape `GET` returns. `library_id` and `cooperative` cannot
    be changed here (the handler refuses a change); `unavailable_message` "" means the
    default text; `escalate_after_s` null means never offered to the cooperative."""

    library_id: str
    name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.LIBRARY_NAME)
    ]
    cooperative: str | None
    hours: Annotated[str, StringConstraints(strip_whitespace=True, max_length=limits.HOURS)]
    website: Annotated[str, StringConstraints(strip_whitespace=True, max_length=limits.URL)]
    alternatives: Annotated[list[AlternativeBody], Field(max_length=limits.ALTERNATIVES)]
    unavailable_message: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=limits.UNAVAILABLE_MESSAGE)
    ]
    escalate_after_s: WaitSeconds | None
    give_up_after_s: GiveUpSeconds
    retention_days: RetentionDays

    @field_validator("website")
    @classmethod
    def _web_url(cls, website: str) -> str:
        if website and not is_web_url(website):
            raise PydanticCustomError(
                "web_url", "the website must be an absolute http(s) address (https://…) or empty"
            )
        return website

    @field_validator("give_up_after_s")
    @classmethod
    def _after_escalating(cls, give_up: int, info: ValidationInfo) -> int:
        escalate = info.data.get("escalate_after_s")
        if escalate is not None and give_up <= escalate:
            raise PydanticCustomError(
                "give_up_order",
                "must be more than escalate_after_s ({escalate}): a request given up first would "
                "never reach the cooperative",
                {"escalate": escalate},
            )
        return give_up


class LibrarySettingsView(Outbound):
    """`GET`/`PUT /libraries/{id}`'s reply: the stored settings, defaults filled in."""

    library_id: str
    name: str
    cooperative: str | None
    hours: str
    website: str
    alternatives: list[Alternative]
    unavailable_message: str
    escalate_after_s: int | None
    give_up_after_s: int
    retention_days: int


class PolicySection(_Strict):
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.POLICY_TITLE)
    ]
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.POLICY_TEXT)
    ]


class PolicyBody(_Strict):
    """`PUT /libraries/{id}/policy`: the policy page's sections, in order ([] clears it)."""

    sections: Annotated[list[PolicySection], Field(max_length=limits.POLICY_SECTIONS)]


class PolicySectionView(Outbound):
    title: str
    text: str
