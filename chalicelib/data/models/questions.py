"""The question list: every chat and every question left for follow-up."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from .base import index_meta, table_meta


class QuestionsByLibrary(GlobalSecondaryIndex):
    Meta = index_meta("library-index")
    library = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class QuestionsByStatus(GlobalSecondaryIndex):
    Meta = index_meta("status-index")
    library_status = UnicodeAttribute(hash_key=True)  # "<library>#<status>"
    created_at = UnicodeAttribute(range_key=True)


class QuestionsServedForPartners(GlobalSecondaryIndex):
    """Questions of chats a library's librarians served for a cooperative partner's patrons
    (sparse: set only when the serving library is not the patron's)."""

    Meta = index_meta("served-index")
    served_for_partner = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class QuestionsInProgress(GlobalSecondaryIndex):
    """Questions labelled in_progress, by when the label comes off (hash key always
    "in_progress": a sparse index for the clear_in_progress job)."""

    Meta = index_meta("in-progress-index", KeysOnlyProjection)
    in_progress = UnicodeAttribute(hash_key=True)
    in_progress_until = UnicodeAttribute(range_key=True)


PURGE_DUE = "purge"  # the constant hash key of purge-index


class QuestionsDueForPurge(GlobalSecondaryIndex):
    """Questions whose patron's name and e-mail (and their chat's) are still kept, by when they
    must go (hash key always "purge": a sparse index for the purge_personal_data job)."""

    Meta = index_meta("purge-index", KeysOnlyProjection)
    purge_due = UnicodeAttribute(hash_key=True)
    purge_after = UnicodeAttribute(range_key=True)


class ActivityEntry(MapAttribute[str, str]):
    """Follow-up done on a question: an answer, a note, a message to the chat's librarian, a close."""

    kind = UnicodeAttribute()
    text = UnicodeAttribute()
    by = UnicodeAttribute()
    by_name = UnicodeAttribute(null=True)
    at = UnicodeAttribute()


class Question(Model):
    Meta = table_meta("questions")
    question_id = UnicodeAttribute(hash_key=True)
    library = UnicodeAttribute()
    source = UnicodeAttribute()  # chat | form | ticket
    status = UnicodeAttribute()  # live | open | pending | answered | referred | closed
    library_status = UnicodeAttribute()
    labels: ListAttribute[Any] = ListAttribute(of=UnicodeAttribute, default=list)
    question = UnicodeAttribute()
    patron_name = UnicodeAttribute(null=True)
    patron_email = UnicodeAttribute(null=True)
    session_id = UnicodeAttribute(null=True)  # the transcript this question links to
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    # wrap-up, set by the chat's librarian
    resolution = UnicodeAttribute(null=True)
    resolution_status = UnicodeAttribute(null=True)  # the status the resolution code decides
    descriptive: ListAttribute[Any] = ListAttribute(of=UnicodeAttribute, null=True)
    in_analytics = BooleanAttribute(default=True)
    closed_by = UnicodeAttribute(null=True)  # closed from the question list while the chat was live
    # follow-up done in the question list, appended atomically (list_append): none is lost
    activity: ListAttribute[ActivityEntry] = ListAttribute(of=ActivityEntry, default=list)
    in_progress = UnicodeAttribute(null=True)
    in_progress_until = UnicodeAttribute(null=True)
    served_by_library = UnicodeAttribute(null=True)
    served_for_partner = UnicodeAttribute(null=True)  # = served_by_library when not the patron's library
    # privacy: set when the question ends (its chat ends, or it is filed), removed by the purge
    purge_due = UnicodeAttribute(null=True)
    purge_after = UnicodeAttribute(null=True)  # when the patron's personal data must be gone
    patron_data_removed_at = UnicodeAttribute(null=True)
    # the patron's rating of the chat (1-5), the last one they gave
    rating = NumberAttribute(null=True)
    rating_comment = UnicodeAttribute(null=True)
    rated_at = UnicodeAttribute(null=True)

    by_library = QuestionsByLibrary()
    served_for_partners = QuestionsServedForPartners()
    by_status = QuestionsByStatus()
    being_finished = QuestionsInProgress()
    due_for_purge = QuestionsDueForPurge()
