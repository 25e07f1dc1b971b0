"""Wrap-up codes: one resolution code (which decides the question's status) and up to four
descriptive codes (for statistics), from lists each library may customise. The defaults
below ship with the project; a library that has not customised its lists uses them."""

from __future__ import annotations

import json
from functools import cache

from .. import limits
from ..data.models import Library
from ..errors import TooLarge
from ..wire.rest import CodeLists, DescriptiveCode, QuestionStatus, ResolutionCode

QUESTION_STATUSES: tuple[QuestionStatus, ...] = ("open", "pending", "answered", "referred", "closed")

DEFAULT_RESOLUTION: list[tuple[str, str, QuestionStatus]] = [
    ("answered", "Answered", "answered"),
    ("followup_by_me", "Follow-up by me", "pending"),
    ("followup_by_patrons_library", "Follow-up by the patron's library", "open"),
    ("referred", "Referred to another service", "referred"),
    ("patron_left", "Patron left before an answer", "closed"),
    ("unanswerable", "Could not be answered", "closed"),
    ("test_or_spam", "Test, spam or abuse", "closed"),
]

DEFAULT_DESCRIPTIVE = [
    ("account_renewals", "Account, loans and renewals"),
    ("fines_fees", "Fines and fees"),
    ("library_card", "Library card and registration"),
    ("holds_requests", "Holds and requests"),
    ("interlibrary_loan", "Interlibrary loan"),
    ("catalog_search", "Catalog search"),
    ("known_item", "Known item search"),
    ("database_help", "Databases and e-resources"),
    ("ebooks_audiobooks", "E-books and audiobooks"),
    ("login_access", "Remote access and log-in problems"),
    ("citation_help", "Citations and style guides"),
    ("research_strategy", "Research strategy"),
    ("topic_selection", "Choosing a topic"),
    ("evaluating_sources", "Evaluating sources"),
    ("peer_reviewed", "Finding peer-reviewed articles"),
    ("statistics_data", "Statistics and data"),
    ("government_documents", "Government documents"),
    ("legal_information", "Legal information"),
    ("health_medical", "Health and medical information"),
    ("business_company", "Business and company information"),
    ("genealogy", "Genealogy and family history"),
    ("local_history", "Local history"),
    ("archives_special", "Archives and special collections"),
    ("maps_gis", "Maps and GIS"),
    ("patents_trademarks", "Patents and trademarks"),
    ("homework_k12", "Homework help (K-12)"),
    ("college_coursework", "College coursework"),
    ("thesis_dissertation", "Theses and dissertations"),
    ("reading_advisory", "Reading suggestions"),
    ("book_clubs", "Book clubs"),
    ("children_services", "Children's services"),
    ("teen_services", "Teen services"),
    ("adult_literacy", "Adult literacy and ESL"),
    ("job_career", "Jobs and careers"),
    ("tax_forms", "Tax forms"),
    ("consumer_information", "Consumer information"),
    ("technology_help", "Computers and technology help"),
    ("printing_copying", "Printing, copying and scanning"),
    ("wifi_devices", "Wi-Fi and personal devices"),
    ("software_training", "Software and training"),
    ("hours_locations", "Hours and locations"),
    ("directions_parking", "Directions and parking"),
    ("events_programs", "Events and programs"),
    ("room_booking", "Room and space booking"),
    ("accessibility_services", "Accessibility services"),
    ("policies", "Library policies"),
    ("donations", "Donations and gifts"),
    ("reference_ready", "Ready reference (quick fact)"),
    ("current_events", "Current events and news"),
    ("science_technology", "Science and technology"),
    ("arts_humanities", "Arts and humanities"),
    ("social_sciences", "Social sciences"),
    ("music_film", "Music and film"),
    ("foreign_language", "Question in another language"),
    ("copyright", "Copyright and permissions"),
    ("referral_other_library", "Referred to another library"),
    ("complaint_feedback", "Complaint or feedback"),
    ("non_library", "Not a library question"),
]


@cache
def defaults() -> CodeLists:
    return CodeLists(
        resolution=[ResolutionCode(code=c, label=label, status=s) for c, label, s in DEFAULT_RESOLUTION],
        descriptive=[DescriptiveCode(code=c, label=label) for c, label in DEFAULT_DESCRIPTIVE],
    )


def lists_of(library: Library) -> CodeLists:
    return CodeLists.model_validate(library.codes) if library.codes else defaults()


def save_lists(library: Library, lists: CodeLists) -> None:
    """Save a library's code lists; TooLarge if, as stored, they would pass CODES_BYTES (the
    library's item must stay well under DynamoDB's 400 KB)."""
    codes = lists.model_dump()
    if len(json.dumps(codes).encode()) > limits.CODES_BYTES:
        raise TooLarge(f"These code lists are too long: at most {limits.CODES_BYTES:,} bytes as stored.")
    library.update(actions=[Library.codes.set(codes)])
