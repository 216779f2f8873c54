"""FAQ entries: answers the centre has promoted and rewritten for everyone."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, utcnow
from forum.models.questions import Answer, Topic


class FaqEntry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    question_text: Mapped[str] = mapped_column(String(300))
    answer_text: Mapped[str] = mapped_column(Text)
    # The answer it was promoted from; may be confidential, so the page links it
    # only for readers who can see that question.
    source_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_reviewed_on: Mapped[date] = mapped_column(Date)
    review_due_on: Mapped[date] = mapped_column(Date)
    published: Mapped[bool] = mapped_column(Boolean, default=True)

    topic: Mapped[Topic] = relationship()
    source_answer: Mapped[Answer | None] = relationship()
    created_by: Mapped[User] = relationship()
