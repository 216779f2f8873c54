"""Clinics the board refers members to, and the referrals (facilitations) themselves."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import Organisation, User
from forum.models.columns import UTCDateTime, enum_column, utcnow
from forum.models.questions import Question


class Clinic(db.Model):
    """A clinic or research hospital in the directory (admin-managed).

    The contact fields are shown to experts and admins only.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    city: Mapped[str] = mapped_column(String(120), index=True)
    # Semicolon-separated lists, as the directory shows and filters them.
    specialties: Mapped[str] = mapped_column(Text, default="")
    populations: Mapped[str] = mapped_column(Text, default="")
    hosts_device_studies: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # The description in Italian, written beside the English; empty until translated.
    # (Specialties and populations recur across clinics: their Italian names are kept
    # once each, in forum/models/label_translations.py.)
    description_it: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(60), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FacilitationStatus(StrEnum):
    PROPOSED = "proposed"
    CONTACTED = "contacted"
    AGREED = "agreed"
    TRIAL_STARTED = "trial-started"  # counts as a clinical trial facilitated
    DECLINED = "declined"


class Facilitation(db.Model):
    """An expert refers a member's question to a clinic; each step is dated and noted."""

    __table_args__ = (Index("ix_facilitation_status_trial_started", "status", "trial_started_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"), index=True)
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The member's organisation at the time of the referral (for the review's counts).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    status: Mapped[FacilitationStatus] = mapped_column(
        enum_column(FacilitationStatus, "facilitation_status"),
        default=FacilitationStatus.PROPOSED,
    )
    # The day the trial started, when it did: the review counts by it.
    trial_started_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship()
    clinic: Mapped[Clinic] = relationship()
    expert: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    steps: Mapped[list[FacilitationStep]] = relationship(
        back_populates="facilitation", order_by="FacilitationStep.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class FacilitationStep(db.Model):
    """One move of a referral to a status, on a day, with a note."""

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitation_id: Mapped[int] = mapped_column(
        ForeignKey("facilitation.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[FacilitationStatus] = mapped_column(
        enum_column(FacilitationStatus, "facilitation_step_status")
    )
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitation: Mapped[Facilitation] = relationship(back_populates="steps")
    recorded_by: Mapped[User | None] = relationship()
