"""Changes of the law the texts cite, and the texts each change puts up for review."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, utcnow


class LawChange(db.Model):
    """An admin's record that a cited document changed ("MDCG 2021-6 Rev.2 published")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    clause: Mapped[str] = mapped_column(String(80))  # as the citations show it
    clause_slug: Mapped[str] = mapped_column(String(100), index=True)
    description: Mapped[str] = mapped_column(String(300))
    changed_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User | None] = relationship()
    flags: Mapped[list[LawChangeFlag]] = relationship(
        back_populates="law_change",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class LawChangeFlag(db.Model):
    """One citing text (a guide section, FAQ entry, answer or board answer) to review
    because of one change; open until an admin marks it reviewed.

    ``question_id`` is set for answers and board answers, as on citations, so
    the due list leaves out what a reader may not see.
    """

    __table_args__ = (
        UniqueConstraint(
            "law_change_id", "subject_type", "subject_id", name="uq_law_change_flag_subject"
        ),
        Index("ix_law_change_flag_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    law_change_id: Mapped[int] = mapped_column(ForeignKey("law_change.id", ondelete="CASCADE"))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    law_change: Mapped[LawChange] = relationship(back_populates="flags")
    reviewed_by: Mapped[User | None] = relationship()
