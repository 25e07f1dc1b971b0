"""Libraries and their cooperatives."""

from __future__ import annotations

from pynamodb.attributes import (
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from .base import CompactJSONAttribute, index_meta, table_meta

DEFAULT_ESCALATE_AFTER_S = 40  # as QuestionPoint's 24/7 cooperative did
DEFAULT_GIVE_UP_AFTER_S = 600
DEFAULT_RETENTION_DAYS = 90  # how long a patron's name, e-mail and page are kept after their chat or question


class LibrariesByCooperative(GlobalSecondaryIndex):
    Meta = index_meta("cooperative-index", KeysOnlyProjection)
    cooperative = UnicodeAttribute(hash_key=True)
    library_id = UnicodeAttribute(range_key=True)


class Library(Model):
    Meta = table_meta("libraries")
    library_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    cooperative = UnicodeAttribute(null=True)
    policy = UnicodeAttribute(default="")  # the policy page before sections: shown as one section
    website = UnicodeAttribute(null=True)
    retention_days = NumberAttribute(null=True)  # None: DEFAULT_RETENTION_DAYS
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

    def keep_personal_data_days(self) -> int:
        """Days a patron's name, e-mail and page are kept after their chat or question ends."""
        return int(self.retention_days or DEFAULT_RETENTION_DAYS)


POLICY, CANNED = "policy", "canned"  # the kinds of a library's texts


class LibraryText(Model):
    """A library's longer texts, each its own item, so that reading a library (which routing
    and every authorisation do) never carries them: its policy page's sections (`policy`) and
    its canned messages (`canned`), each a list of {title, text} in order."""

    Meta = table_meta("library_texts")
    library_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute(range_key=True)
    body = CompactJSONAttribute(default=list)
    updated_at = UnicodeAttribute(null=True)
