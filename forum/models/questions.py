"""Questions, answers, clarification comments, helpful marks and revisions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import gettext
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, enum_column, same_as_created, utcnow
from forum.models.languages import ContentLanguage
from forum.models.moderation import ModeratedBody, ModerationState
from forum.models.random_ids import random_ids
from forum.models.rendered_markdown import MarkdownText, RenderedMarkdown


class Visibility(StrEnum):
    PUBLIC = "public"
    # Seen only by the author, experts and admins.
    CONFIDENTIAL = "confidential"


class QuestionStatus(StrEnum):
    OPEN = "open"  # waiting for an expert's answer
    ANSWERED = "answered"  # at least one expert answer
    CLOSED = "closed"  # the author accepted an answer


class DeviceClass(StrEnum):
    CLASS_I = "I"
    CLASS_IIA = "IIa"
    CLASS_IIB = "IIb"
    CLASS_III = "III"
    IVD = "IVD"
    UNKNOWN = "unknown"


class DevelopmentStage(StrEnum):
    CONCEPT = "concept"
    PROTOTYPE = "prototype"
    PRECLINICAL = "preclinical"
    FIRST_IN_HUMAN = "first-in-human"
    PIVOTAL = "pivotal"
    ON_MARKET = "on-market"


question_topic = Table(
    "question_topic",
    db.metadata,
    Column("question_id", ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_question_topic_topic_id", "topic_id"),
)


class Topic(db.Model):
    """The controlled vocabulary questions are filed under."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # The Italian name; empty until an admin writes it (readers then get the English).
    name_it: Mapped[str] = mapped_column(String(120), default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class RenderedBody(RenderedMarkdown):
    """The rendered copy of a question's, answer's or comment's ``body`` (which shows a
    tombstone once the text is removed: then ``rendered("body")`` renders the tombstone)."""

    markdown_texts = (MarkdownText(shown="body", source="stored_body", html="body_html"),)
    body_html: Mapped[str | None] = mapped_column(Text)


@random_ids
class Question(RenderedBody, ModeratedBody, db.Model):
    __table_args__ = (
        Index("ix_question_visibility_created_at", "visibility", "created_at"),
        Index("ix_question_status_created_at", "status", "created_at"),
        # Newest first for readers who see more than the public questions.
        Index("ix_question_created_at_id", "created_at", "id"),
        # The list sorted by recent activity.
        Index("ix_question_last_activity_at_id", "last_activity_at", "id"),
        # A member's own questions newest first (their part of the lists,
        # services/questions.py ``_listed``), and every lookup by author.
        Index("ix_question_author_id_created_at", "author_id", "created_at", "id"),
        # The home page's counts by status: an index-only scan (moderation_state is what
        # the filter on hidden questions reads).
        Index(
            "ix_question_visibility_status_moderation_author",
            "visibility",
            "status",
            "moderation_state",
            "author_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # Read and written through ``title`` below and ``body`` (ModeratedBody), which stand in a
    # tombstone once the text was removed (see ``removed_at``).
    stored_title: Mapped[str] = mapped_column("title", String(200))
    device_class: Mapped[DeviceClass] = mapped_column(enum_column(DeviceClass, "device_class"))
    stage: Mapped[DevelopmentStage] = mapped_column(
        enum_column(DevelopmentStage, "development_stage")
    )
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "visibility"))
    status: Mapped[QuestionStatus] = mapped_column(
        enum_column(QuestionStatus, "question_status"), default=QuestionStatus.OPEN
    )
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="SET NULL", use_alter=True)
    )
    # The language the author wrote in, chosen on the form, so pages mark the text with
    # lang="..." (screen readers, hyphenation, translation tools) whatever the page's language.
    language: Mapped[ContentLanguage] = mapped_column(
        enum_column(ContentLanguage, "question_language"),
        default=ContentLanguage.EN,
        server_default=ContentLanguage.EN.value,
    )
    # Kept in step by the services so lists need no count per row.
    answer_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moved only by an edit of the text, so "edited" shows only after one.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=same_as_created)
    # When the thread last moved (asked, its text edited, an answer posted or edited, a board
    # answer published): kept by those services so the list sorts by it without a subquery
    # per row.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=same_as_created)
    # Set when the author deleted their account and the confidential question's
    # title and body were erased (forum/services/accounts/deletion.py). The thread
    # stays for the experts' answers; every page shows a tombstone instead.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The funded project the question belongs to, when its author's organisation is a
    # beneficiary of one (forum/services/projects.py).
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("funded_project.id", ondelete="SET NULL"), index=True
    )
    # Set by a moderator: no new answers or comments (forum/services/moderation.py).
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lock_reason: Mapped[str | None] = mapped_column(String(500))

    author: Mapped[User] = relationship()
    project: Mapped[FundedProject | None] = relationship()  # noqa: F821
    topics: Mapped[list[Topic]] = relationship(secondary=question_topic, order_by=Topic.position)
    answers: Mapped[list[Answer]] = relationship(
        back_populates="question",
        foreign_keys="Answer.question_id",
        order_by="Answer.created_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    comments: Mapped[list[Comment]] = relationship(
        primaryjoin="and_(Comment.question_id == Question.id, Comment.answer_id.is_(None))",
        order_by="Comment.created_at",
        viewonly=True,
    )
    board_answers: Mapped[list[BoardAnswer]] = relationship(  # noqa: F821
        back_populates="question",
        order_by="BoardAnswer.created_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    revisions: Mapped[list[Revision]] = relationship(
        primaryjoin="Revision.question_id == Question.id",
        order_by="Revision.number",
        viewonly=True,
    )

    @property
    def is_confidential(self) -> bool:
        return self.visibility == Visibility.CONFIDENTIAL

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def text_lang(self) -> str | None:
        """The lang attribute of the title and body: None for a removed question's
        tombstone (the author's or the moderators'), which is written in the reader's
        language like the page."""
        if self.removed_at is not None or self.moderation_state == ModerationState.REMOVED:
            return None
        return self.language.value

    # A hybrid, so that the fifty-odd places that show a question's title (lists,
    # dashboards, notifications, referrals, search, the API) all show the tombstone
    # of a removed question in the reader's language, while SQL reads the column.
    @staticmethod
    def removed_title(moderation_state: ModerationState | None = None) -> str:
        if moderation_state == ModerationState.REMOVED:
            return gettext("Question removed by the moderators")
        return gettext("Question removed at the author's request")

    @hybrid_property
    def title(self) -> str:
        if self.removed_at is not None:
            return Question.removed_title(self.moderation_state)
        return self.stored_title

    @title.inplace.setter
    def _title_setter(self, value: str) -> None:
        self.stored_title = value

    @title.inplace.expression
    @classmethod
    def _title_expression(cls):
        return cls.stored_title

    def tombstone(self) -> str | None:
        if self.moderation_state == ModerationState.REMOVED:
            return gettext(
                "The moderators removed this question's text. The answers stay readable."
            )
        if self.removed_at is not None:
            return gettext(
                "The author deleted their account; the question's text was "
                "removed at their request. The experts' answers stay."
            )
        return None


@random_ids
class Answer(RenderedBody, ModeratedBody, db.Model):
    """An expert's individual answer to a question."""

    __table_args__ = (
        # A question's answers, and its first one (the question's own index, too).
        Index("ix_answer_question_created_at", "question_id", "created_at"),
        # The answers of a period, with their questions (the review's figures).
        Index("ix_answer_created_at_question", "created_at", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # The language the author wrote in, chosen on the form, so pages mark the text with
    # lang="..." (screen readers, hyphenation, translation tools) whatever the page's language.
    language: Mapped[ContentLanguage] = mapped_column(
        enum_column(ContentLanguage, "answer_language"),
        default=ContentLanguage.EN,
        server_default=ContentLanguage.EN.value,
    )
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moved only by an edit of the text, so "edited" shows only after one.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=same_as_created)
    # The author's declaration of interests in force when the answer was posted
    # (an edit keeps it: it is the record of what they declared when they spoke).
    declaration_id: Mapped[int | None] = mapped_column(
        ForeignKey("declaration_of_interest.id", ondelete="SET NULL"), index=True
    )

    question: Mapped[Question] = relationship(back_populates="answers", foreign_keys=[question_id])
    author: Mapped[User] = relationship()
    comments: Mapped[list[Comment]] = relationship(
        back_populates="answer", order_by="Comment.created_at", passive_deletes=True
    )
    declaration: Mapped[DeclarationOfInterest | None] = relationship()  # noqa: F821

    def tombstone(self) -> str | None:
        if self.moderation_state == ModerationState.REMOVED:
            return gettext("Answer removed by the moderators.")
        return None

    @property
    def text_lang(self) -> str | None:
        """None for the moderators' tombstone, in the page's language."""
        if self.moderation_state == ModerationState.REMOVED:
            return None
        return self.language.value


@random_ids
class Comment(RenderedBody, ModeratedBody, db.Model):
    """A clarification on a question, or on one of its answers.

    question_id is set even for comments on answers, so that confidentiality is
    decided by one column whatever the comment hangs on.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # The language the author wrote in, chosen on the form, so pages mark the text with
    # lang="..." (screen readers, hyphenation, translation tools) whatever the page's language.
    language: Mapped[ContentLanguage] = mapped_column(
        enum_column(ContentLanguage, "comment_language"),
        default=ContentLanguage.EN,
        server_default=ContentLanguage.EN.value,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when this was the deleted author's comment on their own confidential
    # question: the text is erased and a tombstone keeps the thread readable.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    question: Mapped[Question] = relationship()
    author: Mapped[User] = relationship()
    answer: Mapped[Answer | None] = relationship(back_populates="comments")

    @property
    def text_lang(self) -> str | None:
        """As for questions: a tombstone is in the page's language."""
        if self.removed_at is not None or self.moderation_state == ModerationState.REMOVED:
            return None
        return self.language.value

    def tombstone(self) -> str | None:
        if self.moderation_state == ModerationState.REMOVED:
            return gettext("Comment removed by the moderators.")
        if self.removed_at is not None:
            return gettext("Comment removed at the author's request.")
        return None


class HelpfulMark(db.Model):
    """One user found one answer helpful; at most once."""

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Revision(db.Model):
    """One saved version of a question or an answer; number 1 is the original.

    Every save adds a row, so the history and its diffs are complete and the
    newest revision always equals the current text.
    """

    __table_args__ = (
        CheckConstraint("(question_id IS NULL) <> (answer_id IS NULL)", name="exactly_one_subject"),
        # NULLs are distinct in both databases, so each pair only binds its own subject.
        UniqueConstraint("question_id", "number", name="uq_revision_question_number"),
        UniqueConstraint("answer_id", "number", name="uq_revision_answer_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))
    editor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question | None] = relationship()
    answer: Mapped[Answer | None] = relationship()
    editor: Mapped[User] = relationship()
