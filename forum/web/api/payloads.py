"""The API's response payloads as models: the shapes serializers.py returns, declared once.

The OpenAPI document's component schemas are generated from these (``openapi.py``), and
Schemathesis checks every real response against them, so a serializer that gave a field
the model lacks, or left one out, fails the tests. A class docstring is the schema's
description in the document; a ``Part`` (a payload's links, a token's scope) is shown
inline where it is used rather than as a schema of its own.

Every field is always present: an absent value is null, never a missing key.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from forum.models import (
    ContentLanguage,
    DevelopmentStage,
    DeviceClass,
    ExpertArea,
    FacilitationStatus,
    ModerationState,
    QuestionStatus,
    ReferralDecision,
    Role,
    TrialConfirmation,
    Visibility,
)
from forum.services.search.finder import KINDS as SEARCH_KINDS
from forum.services.translations import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES, TranslationState
from forum.web.api.input_fields import MAX_PER_PAGE

Id = Annotated[int, Field(ge=1)]
Count = Annotated[int, Field(ge=0)]
Level = Annotated[int, Field(ge=2, le=3)]
ServerPath = Annotated[str, Field(description="A path on this server.")]
Language = Annotated[
    ContentLanguage, Field(description="The language the author wrote the text in.")
]
# Each curated text's language, and in a translated language its translation's state.
CuratedLanguage = Literal[(SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES)]


class Payload(BaseModel):
    """An object with exactly these fields."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Part(Payload):
    """A part of one payload: shown inline in the document, not as a schema of its own."""


# --- links and pages ------------------------------------------------------------------------


class PageLinks(Part):
    self_: ServerPath = Field(alias="self")
    html: ServerPath


class ListLinks(Part):
    self_: ServerPath = Field(alias="self")
    first: ServerPath
    last: ServerPath
    prev: ServerPath | None
    next: ServerPath | None


class Paginated(Payload):
    page: Id
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE)]
    total: Count
    pages: Id
    links: ListLinks


# --- errors ------------------------------------------------------------------------------------


class FieldError(Part):
    field: str
    message: str


class Problem(Payload):
    """An error, as RFC 9457 describes it."""

    type: str = Field(description="about:blank, or a link to this problem's explanation.")
    title: str
    status: Annotated[int, Field(ge=400, le=599)]
    detail: str
    errors: list[FieldError] = Field(
        default_factory=list, description="For validation problems: each field at fault."
    )


# --- people ------------------------------------------------------------------------------------


class Topic(Payload):
    id: Id
    slug: str
    name: str
    name_it: str = Field(description="The Italian name; empty while not translated.")


class TopicList(Payload):
    items: list[Topic]


class Person(Payload):
    id: Id
    display_name: str


class DeclaredInterests(Part):
    text: str
    declared_at: datetime | None


class Byline(Payload):
    """Who wrote something, as the question page names them; for an answer or a stance,
    the declaration of interests in force when it was given."""

    id: Id
    display_name: str
    is_expert: bool
    expert_area: ExpertArea | None
    is_chair: bool
    organisation: str | None
    declared_interests: DeclaredInterests | None


class TokenScope(Part):
    """The token of this call: whether it may only read (its writes get 403), and when it
    expires (null: never)."""

    name: str
    read_only: bool
    expires_at: datetime | None


class Me(Payload):
    id: Id
    display_name: str
    email: str
    role: Role
    expert_area: ExpertArea | None
    is_chair: bool
    organisation: str | None
    locale: str | None
    created_at: datetime
    token: TokenScope


# --- questions ---------------------------------------------------------------------------------


class QuestionSummary(Payload):
    id: Id
    title: str
    language: Language
    status: QuestionStatus
    visibility: Visibility
    device_class: DeviceClass
    stage: DevelopmentStage
    topics: list[Topic]
    author: Person
    answer_count: Count
    created_at: datetime
    updated_at: datetime
    links: PageLinks


class QuestionList(Paginated):
    """A page of questions, newest first."""

    items: list[QuestionSummary]


class Comment(Payload):
    id: Id
    answer_id: Id | None
    body: str
    body_html: str
    language: Language
    author: Byline
    created_at: datetime


class Answer(Payload):
    id: Id
    question_id: Id
    body: str
    body_html: str
    language: Language
    author: Byline
    helpful_count: Count
    marked_helpful_by_you: bool
    accepted: bool
    created_at: datetime
    updated_at: datetime
    comments: list[Comment]


class Override(Part):
    by: str | None
    at: datetime
    reason: str


class ReasonModeration(Part):
    """The moderators' decision on the reason: only its author and the admins read it."""

    state: ModerationState
    reason: str | None


class Stance(Payload):
    """An expert's stance on the published revision."""

    expert: Byline
    area: ExpertArea
    reason: str = Field(
        description="Empty when the moderators hid the reason (its author and the admins read it)."
    )
    reason_html: str
    reason_hidden: bool = Field(
        description="The moderators hid the reason; the stance still counts for the board."
    )
    created_at: datetime
    override: Override | None
    moderation: ReasonModeration | None


class BoardAnswer(Payload):
    """The board's published answer (never a draft)."""

    id: Id
    revision: Id
    body: str
    body_html: str
    language: Language
    published_at: datetime | None
    published_by: str | None
    endorsements: list[Stance]
    dissents: list[Stance]
    abstentions: Count


class YouMay(Part):
    """What the caller may do with this question."""

    answer: bool
    comment: bool
    edit: bool


class Lock(Part):
    """Set when the moderators locked the question: it takes no new answers or comments
    (posting one answers 409 with the reason)."""

    reason: str


class QuestionModeration(Part):
    """The moderators' decision on the question: only its author and the admins read it
    (others get 404 for a hidden question)."""

    state: ModerationState
    reason: str | None


class Question(QuestionSummary):
    author: Byline
    body: str = Field(description="Markdown, as the author wrote it.")
    body_html: str = Field(description="The Markdown rendered and sanitised, as the page shows it.")
    accepted_answer_id: Id | None
    comments: list[Comment]
    answers: list[Answer]
    board_answer: BoardAnswer | None
    you_may: YouMay
    locked: Lock | None
    moderation: QuestionModeration | None


# --- the FAQ and the guide ------------------------------------------------------------------


class FaqEntry(Payload):
    id: Id
    topic: Topic
    position: int
    question: str
    answer: str
    answer_html: str
    lang: CuratedLanguage
    translation_state: TranslationState | None
    last_reviewed_on: date
    source_question_id: Id | None = Field(
        description="The discussion it came from, if you may see it."
    )
    links: PageLinks


class FaqList(Payload):
    items: list[FaqEntry]


class GuideSection(Payload):
    id: Id
    level: Level
    title: str
    anchor: str
    body: str
    body_html: str
    lang: CuratedLanguage
    translation_state: TranslationState | None
    last_reviewed_on: date | None
    children: list[GuideSection]


class ReleaseLinks(Part):
    self_: ServerPath = Field(alias="self")
    markdown: ServerPath
    html: ServerPath


class ReleaseSummary(Payload):
    version: str = Field(pattern=r"^[0-9]+\.[0-9]+$")
    released_at: datetime
    notes: str
    links: ReleaseLinks


class ReleaseList(Payload):
    items: list[ReleaseSummary]


class Guide(Payload):
    """The current text of the requirements guide."""

    title: str
    introduction: str
    introduction_html: str
    lang: CuratedLanguage
    translation_state: TranslationState | None
    sections: list[GuideSection]
    latest_release: ReleaseSummary | None


class ReleaseSection(Payload):
    level: Level
    title: str
    anchor: str
    body: str
    body_html: str
    children: list[ReleaseSection]


class Release(ReleaseSummary):
    """A release of the guide, frozen."""

    title: str
    introduction: str
    introduction_html: str
    sections: list[ReleaseSection]
    markdown: str = Field(description="The frozen Markdown of the release.")


# --- clinics and referrals ---------------------------------------------------------------------


class ClinicContact(Payload):
    name: str
    email: str
    phone: str


class Clinic(Payload):
    id: Id
    name: str
    city: str
    specialties: list[str]
    populations: list[str]
    hosts_device_studies: bool
    description: str
    description_html: str
    active: bool
    contact: ClinicContact | None = Field(
        description="For experts and admins only; null for everyone else."
    )
    links: PageLinks


class ClinicList(Paginated):
    """A page of the clinic directory, by name."""

    items: list[Clinic]


class ReferredClinic(Part):
    id: Id
    name: str
    city: str


class MemberContact(Part):
    name: str
    email: str
    organisation: str | None


class ReferralContacts(Payload):
    clinic: ClinicContact
    member: MemberContact


class ReferralStep(Part):
    status: FacilitationStatus
    occurred_on: date
    note: str


class Referral(Payload):
    """A referral of a question to a clinic, for the member who asked, the experts and the
    admins."""

    id: Id
    question_id: Id
    clinic: ReferredClinic
    status: FacilitationStatus
    member_answer: ReferralDecision | None
    clinic_answer: ReferralDecision | None
    contacts: ReferralContacts | None = Field(
        description="Each side's contact, only once both the member and the clinic accepted "
        "the introduction; null before."
    )
    trial_started_on: date | None
    trial_start_confirmed_by: TrialConfirmation | None = Field(
        description="Who confirmed the start: only confirmed starts count as trials facilitated."
    )
    steps: list[ReferralStep]
    links: PageLinks


# --- search --------------------------------------------------------------------------------------


class SearchHit(Payload):
    kind: Literal[SEARCH_KINDS]
    object_id: Id
    title: str
    title_html: str = Field(description="The title, escaped, matching words in <mark>.")
    snippet_html: str = Field(description="Escaped text, matching words in <mark>.")
    url: str = Field(description="The page the text is on.")
    question_id: Id | None
    created_at: datetime | None


KindCounts = create_model(
    "KindCounts",
    __base__=Part,
    __doc__="Matches per kind, whatever the kind filter.",
    **{kind: (Count, ...) for kind in SEARCH_KINDS},
)


class SearchResults(Paginated):
    """One page of what matches, best first; only what the caller may read."""

    items: list[SearchHit]
    query: str
    searched: bool = Field(description="False when the query had no searchable word.")
    total_is_lower_bound: bool = Field(description="True when more matched than were ranked.")
    kind_counts: KindCounts


# --- the review ----------------------------------------------------------------------------------


class Period(Part):
    from_: date = Field(alias="from")
    to: date


class ReviewTable(Part):
    key: str
    title: str
    columns: list[str]
    rows: list[list[str | float | bool | None]]


class Review(Payload):
    """The six-month review's tables: aggregates only."""

    period: Period
    tables: list[ReviewTable]
