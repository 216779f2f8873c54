"""The requirements guide: a tree of sections with revisions, and frozen releases."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.board import BoardAnswer
from forum.models.columns import UTCDateTime, utcnow
from forum.models.questions import Answer


class GuideSection(db.Model):
    """One part of the guide: the document itself (level 1: its title and
    introduction), a section (level 2) or a subsection (level 3).

    Siblings are ordered by ``position``; the document is read depth first.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_section.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    anchor: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[GuideSection | None] = relationship(
        remote_side=[id], back_populates="children"
    )
    children: Mapped[list[GuideSection]] = relationship(
        back_populates="parent", order_by="GuideSection.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    revisions: Mapped[list[GuideRevision]] = relationship(
        back_populates="section", order_by="GuideRevision.number",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class GuideRevision(db.Model):
    """One saved version of a section, with its change note and the answer it was drawn from."""

    __table_args__ = (UniqueConstraint("section_id", "number", name="uq_guide_revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("guide_section.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    source_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="SET NULL"), index=True
    )
    source_board_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_answer.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    section: Mapped[GuideSection] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()
    source_answer: Mapped[Answer | None] = relationship()
    source_board_answer: Mapped[BoardAnswer | None] = relationship()


class GuideRelease(db.Model):
    """The whole guide frozen under a version number, as the Markdown it exports to."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    markdown: Mapped[str] = mapped_column(Text)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    released_by: Mapped[User | None] = relationship()
