"""FAQ entries: answers the centre has promoted and rewritten for everyone."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.board import BoardAnswer
from forum.models.columns import UTCDateTime, utcnow
from forum.models.questions import Answer, Topic
from forum.models.rendered_markdown import MarkdownText, RenderedMarkdown


class FaqEntry(RenderedMarkdown, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    question_text: Mapped[str] = mapped_column(String(300))
    answer_text: Mapped[str] = mapped_column(Text)
    markdown_texts = (MarkdownText(shown="answer_text", source="answer_text", html="answer_html"),)
    answer_html: Mapped[str | None] = mapped_column(Text)
    # The clauses its English question and answer cite, as [slug, clause] pairs in order of
    # first mention: stored when the text is saved (services/faq.py) so the FAQ page's
    # "Cites" line scans no text on a request; NULL for a row written around the services
    # (the page then scans it; `forum citations reindex` stores them).
    cited_clauses: Mapped[list | None] = mapped_column(JSON)
    # The answer it was promoted from; may be confidential, so the page links it
    # only for readers who can see that question. Unique: an answer is promoted once,
    # and the index refuses the second of two promotions sent at the same moment.
    source_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="SET NULL"), index=True, unique=True
    )
    # Or the board answer it was promoted from (same rule for the link, same uniqueness).
    source_board_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_answer.id", ondelete="SET NULL"), index=True, unique=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_reviewed_on: Mapped[date] = mapped_column(Date)
    review_due_on: Mapped[date] = mapped_column(Date)
    published: Mapped[bool] = mapped_column(Boolean, default=True)

    topic: Mapped[Topic] = relationship()
    source_answer: Mapped[Answer | None] = relationship()
    source_board_answer: Mapped[BoardAnswer | None] = relationship()
    created_by: Mapped[User] = relationship()
    revisions: Mapped[list[FaqRevision]] = relationship(
        back_populates="entry",
        order_by="FaqRevision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class FaqRevision(db.Model):
    """One saved version of an FAQ entry's question and answer; number 1 is the promotion."""

    __table_args__ = (UniqueConstraint("faq_entry_id", "number", name="uq_faq_revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    faq_entry_id: Mapped[int] = mapped_column(ForeignKey("faq_entry.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    question_text: Mapped[str] = mapped_column(String(300))
    answer_text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[FaqEntry] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()
