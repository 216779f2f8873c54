"""Which answers, FAQ entries and guide sections cite which regulation clause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.columns import UTCDateTime, utcnow


class Citation(db.Model):
    """One text citing one clause, kept in step with the text by the services.

    ``question_id`` is set for answers and board answers, so a clause page can
    leave out what cites from a question the reader cannot see.
    """

    __table_args__ = (
        UniqueConstraint(
            "subject_type", "subject_id", "clause_slug", name="uq_citation_subject_clause"
        ),
        Index("ix_citation_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clause: Mapped[str] = mapped_column(String(80))  # as shown: "MDR Art. 70"
    clause_slug: Mapped[str] = mapped_column(String(100), index=True)  # "mdr-art-70"
    subject_type: Mapped[str] = mapped_column(
        String(20)
    )  # answer, board-answer, faq-entry, guide-section
    subject_id: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
