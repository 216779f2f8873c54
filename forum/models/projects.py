"""Projects funded by a regional programme (e.g. ERDF ROP Axis I, the HUB call), the board's
counselling sessions with them, and what admins write for each review period."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import Organisation, User
from forum.models.columns import UTCDateTime, utcnow

project_beneficiary = Table(
    "project_beneficiary",
    db.metadata,
    Column("project_id", ForeignKey("funded_project.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id",
        ForeignKey("organisation.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

session_expert = Table(
    "counselling_session_expert",
    db.metadata,
    Column(
        "session_id", ForeignKey("counselling_session.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class FundedProject(db.Model):
    """A project funded by a programme, whose beneficiaries the board counsels."""

    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="project_dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    # e.g. "POR FESR 2014-2020 (ERDF ROP)", "Axis I - Research and Innovation", "HUB"
    programme: Mapped[str] = mapped_column(String(200))
    axis: Mapped[str] = mapped_column(String(200), default="")
    call: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    clinical_aims: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    beneficiaries: Mapped[list[Organisation]] = relationship(
        secondary=project_beneficiary, order_by=Organisation.name
    )
    sessions: Mapped[list[CounsellingSession]] = relationship(
        back_populates="project",
        order_by="CounsellingSession.held_on.desc()",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class CounsellingSession(db.Model):
    """A meeting of the board's experts with a funded project's team.

    ``notes`` are the board's own (experts and admins read them); ``actions`` are
    what was agreed, which the project's beneficiaries read too.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("funded_project.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[FundedProject] = relationship(back_populates="sessions")
    experts: Mapped[list[User]] = relationship(secondary=session_expert, order_by=User.display_name)
    recorded_by: Mapped[User | None] = relationship()


class ReviewPeriodReport(db.Model):
    """What admins set for one review period (its first and last day): the action plan's
    targets for the three headline figures, and the narrative printed in the report."""

    __table_args__ = (UniqueConstraint("starts_on", "ends_on", name="uq_review_report_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    target_visits: Mapped[int | None] = mapped_column(Integer)
    target_questions_answered: Mapped[int | None] = mapped_column(Integer)
    target_trials: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    highlights: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
