"""Questions, answers, clarification comments, helpful marks and revisions."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, enum_column, utcnow
from forum.models.random_ids import random_ids


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
    position: Mapped[int] = mapped_column(Integer, default=0)


@random_ids
class Question(db.Model):
    __table_args__ = (
        Index("ix_question_visibility_created_at", "visibility", "created_at"),
        Index("ix_question_status_created_at", "status", "created_at"),
        # Newest first for readers who see more than the public questions.
        Index("ix_question_created_at_id", "created_at", "id"),
        # The home page's counts by status: an index-only scan.
        Index("ix_question_visibility_status_author", "visibility", "status", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
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
    # Kept in step by the services so lists need no count per row.
    answer_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
    topics: Mapped[list[Topic]] = relationship(
        secondary=question_topic, order_by=Topic.position
    )
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
        back_populates="question", order_by="BoardAnswer.created_at",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    revisions: Mapped[list[Revision]] = relationship(
        primaryjoin="Revision.question_id == Question.id",
        order_by="Revision.number",
        viewonly=True,
    )

    @property
    def is_confidential(self) -> bool:
        return self.visibility == Visibility.CONFIDENTIAL


@random_ids
class Answer(db.Model):
    """An expert's individual answer to a question."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(
        back_populates="answers", foreign_keys=[question_id]
    )
    author: Mapped[User] = relationship()
    comments: Mapped[list[Comment]] = relationship(
        back_populates="answer", order_by="Comment.created_at", passive_deletes=True
    )


@random_ids
class Comment(db.Model):
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
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship()
    author: Mapped[User] = relationship()
    answer: Mapped[Answer | None] = relationship(back_populates="comments")


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
        CheckConstraint(
            "(question_id IS NULL) <> (answer_id IS NULL)", name="exactly_one_subject"
        ),
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
