"""Libraries, their cooperatives, and their staff."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from .base import index_meta, table_meta

DEFAULT_ESCALATE_AFTER_S = 40  # as QuestionPoint's 24/7 cooperative did
DEFAULT_GIVE_UP_AFTER_S = 600


class LibrariesByCooperative(GlobalSecondaryIndex):
    Meta = index_meta("cooperative-index", KeysOnlyProjection)
    cooperative = UnicodeAttribute(hash_key=True)
    library_id = UnicodeAttribute(range_key=True)


class Library(Model):
    Meta = table_meta("libraries")
    library_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    cooperative = UnicodeAttribute(null=True)
    policy = UnicodeAttribute(default="")
    hours = UnicodeAttribute(default="")
    unavailable_message = UnicodeAttribute(null=True)
    alternatives = JSONAttribute(default=list)  # [{label, url}]
    # {escalate_after_s, give_up_after_s}: JSON keeps "never" (null) apart from "not set"
    routing = JSONAttribute(default=dict)
    codes = JSONAttribute(null=True)  # {resolution: [...], descriptive: [...]}; None: defaults
    by_cooperative = LibrariesByCooperative()

    def escalate_after_s(self) -> int | None:
        """Seconds a request waits for this library before the cooperative is offered it;
        None: never offered to the cooperative."""
        value = (self.routing or {}).get("escalate_after_s", DEFAULT_ESCALATE_AFTER_S)
        return None if value is None else int(value)

    def give_up_after_s(self) -> int:
        """Seconds after which a request nobody took ends as unanswered."""
        return int((self.routing or {}).get("give_up_after_s") or DEFAULT_GIVE_UP_AFTER_S)


class Staff(Model):
    Meta = table_meta("staff")
    email = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    library = UnicodeAttribute()
    is_admin = BooleanAttribute(default=False)
    password_hash = UnicodeAttribute()
