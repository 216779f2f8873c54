"""The network's study visits and individual visits, and who registered interest (issue 29).

Not to be confused with ``forum/models/visits.py``, the forum's own page-view counts.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import Organisation, User
from forum.models.columns import UTCDateTime, enum_column, same_as_created, utcnow
from forum.models.network import NetworkProfile


class VisitKind(StrEnum):
    STUDY_VISIT = "study-visit"  # a delegation visiting the other region's ecosystem
    INDIVIDUAL = "individual"  # one organisation visiting another


class VisitStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


visit_organisation = Table(
    "study_visit_organisation",
    db.metadata,
    Column("visit_id", ForeignKey("study_visit.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "profile_id",
        ForeignKey("network_profile.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class StudyVisit(db.Model):
    """A visit: where and when, its programme, the organisations taking part, and afterwards
    the notes and follow-ups."""

    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="visit_dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[VisitKind] = mapped_column(enum_column(VisitKind, "visit_kind"))
    status: Mapped[VisitStatus] = mapped_column(
        enum_column(VisitStatus, "visit_status"), default=VisitStatus.PLANNED
    )
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    # An individual visit's host organisation.
    host_profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("network_profile.id", ondelete="SET NULL")
    )
    programme: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    follow_ups: Mapped[str] = mapped_column(Text, default="")
    # Whether people may still register their interest through the forum.
    registration_open: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=same_as_created)

    host: Mapped[NetworkProfile | None] = relationship()
    participants: Mapped[list[NetworkProfile]] = relationship(secondary=visit_organisation)
    interests: Mapped[list[VisitInterest]] = relationship(
        back_populates="visit",
        order_by="VisitInterest.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class VisitInterest(db.Model):
    """A signed-in person's registered interest in joining a visit, for their organisation."""

    __tablename__ = "study_visit_interest"
    __table_args__ = (UniqueConstraint("visit_id", "user_id", name="uq_study_visit_interest_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("study_visit.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[StudyVisit] = relationship(back_populates="interests")
    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
