"""REST bodies and replies under /api. Errors are `{"code", "message"}` with an HTTP status."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from .. import limits
from .base import Inbound, Outbound, Text
from .events import Alternative, MessageView, SessionView
from .library_settings import PolicySectionView

# --- bodies ---------------------------------------------------------------------------------------


class LoginBody(Inbound):
    # Any non-empty string up to an address's length (the answer never says whether it is one).
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.EMAIL)]
    password: str


class TextBody(Inbound):
    text: Text


class QuestionQuery(Inbound):
    """`GET /questions` query parameters."""

    library: str | None = None
    status: str | None = None
    label: str | None = None
    limit: Annotated[int, Field(ge=1)] = 50
    cursor: str | None = None
    served_for_partners: bool = False  # the chats this library served for partners' patrons


# --- replies --------------------------------------------------------------------------------------


class ErrorReply(Outbound):
    code: str
    message: str
    retry_after: int | None = None  # rate_limited only (left out otherwise), as the Retry-After header


class Limits(Outbound):
    """The limits the pages size their fields by (see chalicelib/limits.py)."""

    text: int = limits.TEXT
    name: int = limits.NAME
    email: int = limits.EMAIL
    code: int = limits.CODE
    code_label: int = limits.CODE_LABEL
    descriptive_codes: int = limits.DESCRIPTIVE_CODES
    rating_comment: int = limits.RATING_COMMENT  # a patron's comment with their rating
    report_days: int = limits.REPORT_DAYS  # the longest range of one report
    password_min: int = limits.PASSWORD_MIN
    password_max: int = limits.PASSWORD_MAX
    canned_messages: int = limits.CANNED_MESSAGES  # a library's canned messages; each text at most `text`
    canned_title: int = limits.CANNED_TITLE
    # a library's settings and policy page (the Library tab)
    library_name: int = limits.LIBRARY_NAME
    hours: int = limits.HOURS
    unavailable_message: int = limits.UNAVAILABLE_MESSAGE
    url: int = limits.URL
    alternatives: int = limits.ALTERNATIVES
    alternative_label: int = limits.ALTERNATIVE_LABEL
    wait_max_s: int = limits.WAIT_MAX_S
    give_up_min_s: int = limits.GIVE_UP_MIN_S
    retention_days_min: int = limits.RETENTION_DAYS_MIN
    retention_days_max: int = limits.RETENTION_DAYS_MAX
    policy_sections: int = limits.POLICY_SECTIONS
    policy_title: int = limits.POLICY_TITLE
    policy_text: int = limits.POLICY_TEXT


class LibrarianView(Outbound):
    email: str
    name: str
    library: str
    is_admin: bool


class SignedIn(Outbound):
    token: str
    librarian: LibrarianView
    limits: Limits = Field(default_factory=Limits)


class Me(LibrarianView):
    limits: Limits = Field(default_factory=Limits)


class WsTicket(Outbound):
    """`POST /ws-ticket`: open the WebSocket with `?ticket=` within `expires_in` seconds; once."""

    ticket: str
    expires_in: int


class AvailabilityReply(Outbound):
    available: bool
    message: str
    alternatives: list[Alternative]
    name: str  # the library's, for the patron's window
    hours: str
    limits: Limits = Field(default_factory=Limits)


class PolicyReply(Outbound):
    library_id: str
    name: str
    cooperative: str | None
    policy: str  # the page as one plain text (the sections', once there are any)
    hours: str
    alternatives: list[Alternative]
    website: str
    sections: list[PolicySectionView]
    updated_at: str | None  # when the sections were last saved; None: never


# --- code lists (a body and a reply) ----------------------------------------------------------------

Code = Annotated[str, StringConstraints(pattern=rf"^[a-z0-9_]{{1,{limits.CODE}}}$")]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.CODE_LABEL)]
QuestionStatus = Literal["open", "pending", "answered", "referred", "closed"]


class ResolutionCode(Inbound):
    code: Code
    label: Label
    status: QuestionStatus


class DescriptiveCode(Inbound):
    code: Code
    label: Label


class CodeLists(Inbound):
    """A library's wrap-up codes: `PUT /libraries/{id}/codes` takes what `GET` returns."""

    resolution: Annotated[list[ResolutionCode], Field(min_length=1, max_length=100)]
    descriptive: Annotated[list[DescriptiveCode], Field(max_length=300)]

    @model_validator(mode="after")
    def _unique(self) -> CodeLists:
        for name, items in (("resolution", self.resolution), ("descriptive", self.descriptive)):
            seen = [item.code for item in items]
            repeated = sorted({code for code in seen if seen.count(code) > 1})
            if repeated:
                raise ValueError(f"{name} codes must be unique; repeated: {', '.join(repeated)}")
        return self

    def resolution_status(self, code: str) -> str | None:
        return next((item.status for item in self.resolution if item.code == code), None)

    def unknown_descriptive(self, codes: list[str]) -> list[str]:
        known = {item.code for item in self.descriptive}
        return [code for code in codes if code not in known]

    def resolution_label(self, code: str) -> str:
        """A code's label; the code itself once it is no longer in the list."""
        return next((item.label for item in self.resolution if item.code == code), code)

    def descriptive_label(self, code: str) -> str:
        return next((item.label for item in self.descriptive if item.code == code), code)


# --- the question list ------------------------------------------------------------------------------


class PatronView(Outbound):
    name: str | None
    email: str | None


class ActivityView(Outbound):
    kind: str
    text: str
    by: str
    by_name: str | None = None
    at: str


class QuestionSummary(Outbound):
    question_id: str
    library: str
    source: str
    status: str
    labels: list[str]
    question: str
    patron: PatronView
    session_id: str | None
    created_at: str
    updated_at: str
    resolution: str | None
    descriptive: list[str]
    in_analytics: bool
    served_by_library: str | None = None
    # when the patron's name and e-mail were removed (their library's retention, or an admin)
    patron_data_removed_at: str | None = None
    rating: int | None = None  # the patron's rating of the chat, 1-5
    rating_comment: str | None = None


class QuestionPage(Outbound):
    questions: list[QuestionSummary]
    next: str | None


class QuestionDetail(QuestionSummary):
    activity: list[ActivityView]
    session: SessionView | None
    transcript: list[MessageView]
