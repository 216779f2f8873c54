"""Italian names of the free-text labels that several rows share: clinic specialties and populations.

A clinic lists its specialties as English text ("Cardiology; Orthopaedics"), and the
same specialty recurs across clinics, so its Italian name is kept once per English
name rather than once per clinic (where it would drift from clinic to clinic).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.columns import UTCDateTime, enum_column, utcnow


class LabelKind(StrEnum):
    SPECIALTY = "specialty"
    POPULATION = "population"


class LabelTranslation(db.Model):
    __table_args__ = (UniqueConstraint("kind", "source", name="uq_label_translation_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LabelKind] = mapped_column(enum_column(LabelKind, "label_kind"))
    source: Mapped[str] = mapped_column(String(200))  # the English label, as clinics hold it
    italian: Mapped[str] = mapped_column(String(200))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
