"""Moderation: the state a text is in (held, hidden, spam, removed) and the flags on it.

Questions, answers, comments and the reasons of board stances carry the same three
columns (``Moderated``), so one rule in forum/permissions.py decides, for each, who
still sees it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, enum_column, utcnow


class ModerationState(StrEnum):
    # A new account's post waiting for a moderator's approval.
    HELD = "held"
    # Enough people flagged it: hidden until a moderator reviews it.
    FLAGGED = "flagged"
    HIDDEN = "hidden"
    # Hidden, and counted on the author's record.
    SPAM = "spam"
    # The text is erased; the thread shows "removed by the moderators" in its place.
    REMOVED = "removed"


# The states in which only the author and the admins see the text.
HIDDEN_STATES = (
    ModerationState.HELD,
    ModerationState.FLAGGED,
    ModerationState.HIDDEN,
    ModerationState.SPAM,
)


class Moderated:
    """The columns of a text moderators can act on. NULL state: shown as written."""

    moderation_state: Mapped[ModerationState | None] = mapped_column(
        enum_column(ModerationState, "moderation_state")
    )
    # The moderators' reason, shown to the author and the admins (never to others).
    moderation_reason: Mapped[str | None] = mapped_column(String(500))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_hidden(self) -> bool:
        return self.moderation_state in HIDDEN_STATES

    @property
    def is_removed_by_moderators(self) -> bool:
        return self.moderation_state == ModerationState.REMOVED


class ModeratedBody(Moderated):
    """A member's text moderators can remove (questions, answers, comments): the column
    ``body`` holds what was written, read and written through ``body``, which shows the
    class's ``tombstone()`` instead once the text is gone."""

    stored_body: Mapped[str] = mapped_column("body", Text)

    def tombstone(self) -> str | None:
        """The words that stand in for the text, or None while it is shown as written."""
        return None

    @hybrid_property
    def body(self) -> str:
        return self.tombstone() or self.stored_body

    @body.inplace.setter
    def _body_setter(self, value: str) -> None:
        self.stored_body = value

    @body.inplace.expression
    @classmethod
    def _body_expression(cls):
        return cls.stored_body


class FlagReason(StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    OFF_TOPIC = "off-topic"
    DANGEROUS_ADVICE = "dangerous-advice"
    PERSONAL_DATA = "personal-data"
    OTHER = "other"


class Flag(db.Model):
    """One person's report that a question, answer, comment or stance reason needs a
    moderator.

    One flag per person per text (the unique constraints); open until a
    moderator acts on the text (``resolved_at``).
    """

    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN question_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN answer_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN stance_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="exactly_one_text",
        ),
        UniqueConstraint("user_id", "question_id", name="uq_flag_user_question"),
        UniqueConstraint("user_id", "answer_id", name="uq_flag_user_answer"),
        UniqueConstraint("user_id", "comment_id", name="uq_flag_user_comment"),
        UniqueConstraint("user_id", "stance_id", name="uq_flag_user_stance"),
        Index("ix_flag_resolved_at_created_at", "resolved_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    # A board answer's "comment": an expert's stance, for its reason.
    stance_id: Mapped[int | None] = mapped_column(
        ForeignKey("stance.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[FlagReason] = mapped_column(enum_column(FlagReason, "flag_reason"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
