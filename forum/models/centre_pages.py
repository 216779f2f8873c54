"""The centre's own pages (about, contact, privacy, terms), each kept as numbered revisions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, enum_column, utcnow


class CentrePage(StrEnum):
    """The fixed set of pages; the value is also the page's path (``/about``)."""

    ABOUT = "about"
    CONTACT = "contact"
    PRIVACY = "privacy"
    TERMS = "terms"


class CentrePageRevision(db.Model):
    """One saved version of a page, in both languages; the highest number is the page's text.

    An empty ``body_it`` (or ``body_en``) means that translation is not written yet.
    For the privacy notice, ``privacy_version`` is the notice's version this text belongs
    to: an edit marked as a new version (asking everyone to accept it again) starts the
    next one, a correction keeps the number. It is None for the other pages.
    """

    __table_args__ = (UniqueConstraint("page", "number", name="uq_centre_page_revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page: Mapped[CentrePage] = mapped_column(enum_column(CentrePage, "centre_page"))
    number: Mapped[int] = mapped_column(Integer)
    title_en: Mapped[str] = mapped_column(String(200), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    title_it: Mapped[str] = mapped_column(String(200), default="")
    body_it: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str | None] = mapped_column(String(300))
    privacy_version: Mapped[int | None] = mapped_column(Integer)
    # When the English last changed without the Italian being saved with it (carried from
    # revision to revision until an Italian edit clears it): the Italian reader's notice.
    italian_outdated_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    editor: Mapped[User | None] = relationship()
