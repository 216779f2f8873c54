"""The search index: one document per searchable text, in the form the engines index.

The engines' own structures are not models: on SQLite an FTS5 table over the
texts' terms (kept in step by triggers), on PostgreSQL a generated, weighted
tsvector column of ``search_text`` with a GIN index. Both are created by the migration; see
forum/services/search/finder.py for why there are two.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.columns import UTCDateTime, enum_column


class DocumentKind(StrEnum):
    QUESTION = "question"
    ANSWER = "answer"
    BOARD_ANSWER = "board-answer"  # only published board answers are documents
    FAQ = "faq"  # only published entries
    GUIDE = "guide"


class SearchDocument(db.Model):
    """A searchable text: which row it stands for, and what filters read.

    The row it stands for is named by one foreign key per kind, each ON DELETE
    CASCADE, so however that row is deleted (a service, a bulk statement, a
    cascade from its question) the database deletes its document in the same
    statement. ``question_id`` is also set on answers and board answers: it
    decides visibility (a confidential question hides its answers too), status
    and topics, read live from the question so that changing them needs no reindex.
    """

    __table_args__ = (
        # One document per question (answers and board answers share its question_id).
        Index(
            "uq_search_document_question",
            "question_id",
            unique=True,
            sqlite_where=text("kind = 'question'"),
            postgresql_where=text("kind = 'question'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), unique=True
    )
    board_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_answer.id", ondelete="CASCADE"), unique=True
    )
    faq_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("faq_entry.id", ondelete="CASCADE"), unique=True
    )
    guide_section_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_section.id", ondelete="CASCADE"), unique=True
    )
    # An FAQ entry's topic (a question's topics are read from the question).
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"))
    # Where on its page the text is: "answer-12", "board-answer", "faq-3", a guide anchor.
    fragment: Mapped[str | None] = mapped_column(String(140))
    # The date a reader knows the text by: asked, answered, published, last revised.
    dated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    text: Mapped[SearchText] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def object_id(self) -> int:
        """The id of the row this document stands for."""
        return {
            DocumentKind.QUESTION: self.question_id,
            DocumentKind.ANSWER: self.answer_id,
            DocumentKind.BOARD_ANSWER: self.board_answer_id,
            DocumentKind.FAQ: self.faq_entry_id,
            DocumentKind.GUIDE: self.guide_section_id,
        }[self.kind]


class SearchText(db.Model):
    """A document's words: as shown (titles, snippets) and as the engines index them (terms).

    Apart from ``SearchDocument`` so that the rows a search walks through while
    filtering stay narrow (many to a page) whatever the length of the texts.
    The terms come first: the engines read them, the shown text only for a page's hits.
    """

    document_id: Mapped[int] = mapped_column(
        ForeignKey("search_document.id", ondelete="CASCADE"), primary_key=True
    )
    # The texts as index terms (forum/services/search/terms.py): what the engines index.
    title_terms: Mapped[str] = mapped_column(Text, default="")
    body_terms: Mapped[str] = mapped_column(Text, default="")
    # Plain text as readers see it (Markdown marks removed).
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[SearchDocument] = relationship(back_populates="text")
