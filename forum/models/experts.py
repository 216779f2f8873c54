"""The board's experts: their public profile, the topics they follow, invitations to answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, enum_column, utcnow
from forum.models.languages import ContentLanguage
from forum.models.questions import Question

# The topics a user follows: experts get the new questions filed under them.
topic_follow = Table(
    "topic_follow",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_topic_follow_topic_id", "topic_id"),
)


class ExpertProfile(db.Model):
    """What readers are told about an expert beside each answer and endorsement."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    bio: Mapped[str] = mapped_column(Text, default="")
    # The declaration of interests, free text, and when it was last declared:
    # readers weigh an answer knowing whom its author works for.
    conflicts: Mapped[str] = mapped_column(Text, default="")
    conflicts_declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the expert writes their bio and declaration of interests in (chosen on the profile form), so
    # pages mark it with lang="..." whatever the page's language.
    language: Mapped[ContentLanguage] = mapped_column(
        enum_column(ContentLanguage, "expert_profile_language"),
        default=ContentLanguage.EN,
        server_default=ContentLanguage.EN.value,
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="expert_profile")


class DeclarationOfInterest(db.Model):
    """One version of an expert's declaration of interests, as declared on a day.

    Append-only: each change of the text adds a version (number 1 is the
    first), and the newest equals the profile's ``conflicts``. Answers, stances
    and board revisions point to the version in force when they were given, so
    what an expert declared when they spoke stays on record after later edits.
    """

    __table_args__ = (
        UniqueConstraint("expert_id", "number", name="uq_declaration_of_interest_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    # Empty when the expert withdrew their declaration: nothing is shown then.
    text: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The language the declaration was written in (the profile's at the time), so
    # pages mark it with lang="..." whatever the page's language.
    language: Mapped[ContentLanguage] = mapped_column(
        enum_column(ContentLanguage, "declaration_of_interest_language"),
        default=ContentLanguage.EN,
        server_default=ContentLanguage.EN.value,
    )

    expert: Mapped[User] = relationship()


class Invitation(db.Model):
    """An admin or a chair asks a named expert to answer a question."""

    __table_args__ = (
        UniqueConstraint("question_id", "expert_id", name="uq_invitation_question_expert"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the expert answers the question or works on its board answer.
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    question: Mapped[Question] = relationship()
    expert: Mapped[User] = relationship(foreign_keys=[expert_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
