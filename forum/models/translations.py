"""Translations of the curated content: guide sections and FAQ entries in another language.

English is the source; a translation is a row per (text, language) holding its
current title and body, the number of its own latest revision, and
``source_number``: the revision of the English text it translates. When the
English text moves past that number the translation is outdated; a text with no
row in a language is missing there. A release freezes each language's whole
guide beside its English Markdown.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, utcnow
from forum.models.faq import FaqEntry
from forum.models.guide import GuideRelease, GuideSection
from forum.models.rendered_markdown import MarkdownText, RenderedMarkdown

LANGUAGE_LENGTH = 8


class _TranslationText:
    """What a translation and each of its revisions hold: the text and what it translates."""

    language: Mapped[str] = mapped_column(String(LANGUAGE_LENGTH))
    # A guide section's title, or an FAQ entry's question.
    title: Mapped[str] = mapped_column(String(300))
    # A guide section's body, or an FAQ entry's answer.
    body: Mapped[str] = mapped_column(Text, default="")
    # The source's revision this text was translated from.
    source_number: Mapped[int] = mapped_column(Integer)


class GuideSectionTranslation(_TranslationText, db.Model):
    __table_args__ = (
        UniqueConstraint("section_id", "language", name="uq_guide_section_translation_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("guide_section.id", ondelete="CASCADE"), index=True
    )
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    section: Mapped[GuideSection] = relationship()
    revisions: Mapped[list[GuideSectionTranslationRevision]] = relationship(
        back_populates="translation",
        order_by="GuideSectionTranslationRevision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class GuideSectionTranslationRevision(_TranslationText, db.Model):
    __table_args__ = (
        UniqueConstraint(
            "translation_id", "number", name="uq_guide_section_translation_revision_number"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("guide_section_translation.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(300))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The expert whose accepted proposal this revision is (the editor accepted it).
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    translation: Mapped[GuideSectionTranslation] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])


class FaqEntryTranslation(RenderedMarkdown, _TranslationText, db.Model):
    __table_args__ = (
        UniqueConstraint("faq_entry_id", "language", name="uq_faq_entry_translation_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    faq_entry_id: Mapped[int] = mapped_column(
        ForeignKey("faq_entry.id", ondelete="CASCADE"), index=True
    )
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The FAQ page shows the translated answer.
    markdown_texts = (MarkdownText(shown="body", source="body", html="body_html"),)
    body_html: Mapped[str | None] = mapped_column(Text)

    entry: Mapped[FaqEntry] = relationship()
    revisions: Mapped[list[FaqEntryTranslationRevision]] = relationship(
        back_populates="translation",
        order_by="FaqEntryTranslationRevision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class FaqEntryTranslationRevision(_TranslationText, db.Model):
    __table_args__ = (
        UniqueConstraint(
            "translation_id", "number", name="uq_faq_entry_translation_revision_number"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("faq_entry_translation.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(300))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    translation: Mapped[FaqEntryTranslation] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()


class GuideReleaseTranslation(db.Model):
    """A release's whole guide in another language, frozen with it (canonical Markdown, the
    same structure as the English; a section not translated then carries its English text)."""

    __table_args__ = (
        UniqueConstraint("release_id", "language", name="uq_guide_release_translation_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("guide_release.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(LANGUAGE_LENGTH))
    markdown: Mapped[str] = mapped_column(Text)

    release: Mapped[GuideRelease] = relationship()
