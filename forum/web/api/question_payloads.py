"""The payloads of questions: a question with its answers, comments and the board's answer,
the list of questions, and the bylines that name their authors (see ``payloads``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from forum.models import (
    ContentLanguage,
    DevelopmentStage,
    DeviceClass,
    ExpertArea,
    ModerationState,
    QuestionStatus,
    Visibility,
)
from forum.web.api.payloads import (
    Count,
    Id,
    PageLinks,
    Paginated,
    Part,
    Payload,
    ServerPath,
    Topic,
)

Language = Annotated[
    ContentLanguage, Field(description="The language the author wrote the text in.")
]


# --- people ------------------------------------------------------------------------------------


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
    # Asked, edited, answered or given a board answer: the ``sort=active`` order.
    last_activity_at: datetime
    links: PageLinks


class QuestionList(Paginated):
    """A page of questions, in the order the ``sort`` parameter asked for (newest first)."""

    items: list[QuestionSummary]


class Comment(Payload):
    id: Id
    answer_id: Id | None
    body: str
    body_html: str
    language: Language
    author: Byline
    created_at: datetime


class AttachedFile(Part):
    """A file attached to the text. ``url`` is the forum page's link: it serves the file to
    a signed-in browser that may read the text (the API lists files; it does not serve them)."""

    id: Id
    name: str = Field(description="The uploader's file name, made safe.")
    content_type: str = Field(description="The type found in the file's content.")
    size: Count = Field(description="In bytes.")
    url: ServerPath


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
    attachments: list[AttachedFile]


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
    attachments: list[AttachedFile]
    answers: list[Answer]
    board_answer: BoardAnswer | None
    you_may: YouMay
    locked: Lock | None
    moderation: QuestionModeration | None
