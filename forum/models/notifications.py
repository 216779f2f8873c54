"""In-app notifications and the e-mail kinds a user has opted out of."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.board import BoardAnswer
from forum.models.columns import UTCDateTime, enum_column, utcnow
from forum.models.guide import GuideProposal
from forum.models.questions import Question


class NotificationKind(StrEnum):
    NEW_QUESTION_IN_TOPIC = "new-question-in-topic"
    INVITATION = "invitation"
    STANCE_NEEDED = "stance-needed"
    BOARD_ANSWER_PUBLISHED = "board-answer-published"
    NEW_ANSWER = "new-answer"
    NEW_COMMENT = "new-comment"
    ANSWER_ACCEPTED = "answer-accepted"
    GUIDE_PROPOSAL_ACCEPTED = "proposal-accepted"
    GUIDE_PROPOSAL_DECLINED = "proposal-declined"
    # The moderators hid, removed, marked as spam or restored the recipient's text,
    # or locked their question (forum/services/moderation.py).
    MODERATED = "moderated"
    REFERRAL_UPDATE = "referral-update"  # a referral of the member's question moved
    # A board answer was opened on a question in a topic the expert follows.
    BOARD_DRAFT_OPENED = "board-draft-opened"


class Notification(db.Model):
    __table_args__ = (
        Index("ix_notification_user_read", "user_id", "read_at"),
        # What the next digest run gathers, by person.
        Index("ix_notification_awaits_digest_user", "awaits_digest", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        enum_column(NotificationKind, "notification_kind")
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    board_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_answer.id", ondelete="CASCADE")
    )
    # A notification about a guide proposal has no question.
    guide_proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_proposal.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # True while the e-mail for it waits for the recipient's daily or weekly digest
    # (forum/services/mail/digests.py); the run that mails the digest clears it and
    # records when, so a second run sends nothing again.
    awaits_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    question: Mapped[Question | None] = relationship()
    board_answer: Mapped[BoardAnswer | None] = relationship()
    guide_proposal: Mapped[GuideProposal | None] = relationship()


class EmailOptOut(db.Model):
    """The user does not want e-mail for this kind of notification (in-app stays)."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[NotificationKind] = mapped_column(
        enum_column(NotificationKind, "opt_out_kind"), primary_key=True
    )
