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
    CONTACTED = "contacted"  # the clinic's contact was sent its link
    AGREED = "agreed"  # both the member and the clinic agreed: contacts released
    TRIAL_STARTED = "trial-started"  # counts as a clinical trial facilitated once confirmed
    DECLINED = "declined"
    # After the start: the later steps and the outcomes.
    ENROLLED = "enrolled"  # first subject enrolled
    COMPLETED = "completed"
    REPORT_SUBMITTED = "reported"  # the investigation report submitted
    CE_MARKED = "ce-marked"
    ABANDONED = "abandoned"


class ReferralDecision(StrEnum):
    """A side's answer to the introduction (the member's, the clinic's)."""

    ACCEPTED = "accepted"
    DECLINED = "declined"


class TrialConfirmation(StrEnum):
    """Who confirmed that the trial started: only then does it count in the review."""

    MEMBER = "member"  # the member who asked (the SME)
    CLINIC = "clinic"  # the clinic, through its link
    ADMIN = "admin"  # an admin who verified it, with a note


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
    # The funded project the referral serves, if any (forum/services/projects.py).
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("funded_project.id", ondelete="SET NULL"), index=True
    )
    # The day the trial started, when it did: the review counts by it, once confirmed.
    trial_started_on: Mapped[date | None] = mapped_column(Date)
    trial_confirmation: Mapped[TrialConfirmation | None] = mapped_column(
        enum_column(TrialConfirmation, "trial_confirmation")
    )
    trial_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    trial_confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    # An admin's verification says how the start was checked.
    trial_verification_note: Mapped[str] = mapped_column(Text, default="")
    # The double opt-in: each side's answer; the contacts are released when both accepted.
    member_decision: Mapped[ReferralDecision | None] = mapped_column(
        enum_column(ReferralDecision, "member_decision")
    )
    member_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    clinic_decision: Mapped[ReferralDecision | None] = mapped_column(
        enum_column(ReferralDecision, "clinic_decision")
    )
    clinic_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contacts_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship()
    clinic: Mapped[Clinic] = relationship()
    expert: Mapped[User | None] = relationship(foreign_keys=[expert_id])
    trial_confirmed_by: Mapped[User | None] = relationship(foreign_keys=[trial_confirmed_by_id])
    organisation: Mapped[Organisation | None] = relationship()
    steps: Mapped[list[FacilitationStep]] = relationship(
        back_populates="facilitation",
        order_by="FacilitationStep.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    messages: Mapped[list[ReferralMessage]] = relationship(
        back_populates="facilitation",
        order_by="ReferralMessage.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def contacts_released(self) -> bool:
        return self.contacts_released_at is not None

    @property
    def trial_confirmed(self) -> bool:
        return self.trial_confirmation is not None


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
    # Recorded by the clinic through its link (it has no account).
    by_clinic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitation: Mapped[Facilitation] = relationship(back_populates="steps")
    recorded_by: Mapped[User | None] = relationship()


class ReferralMessage(db.Model):
    """A message in a referral's thread: the member, the experts, the admins and the
    clinic (through its link) read and write there."""

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitation_id: Mapped[int] = mapped_column(
        ForeignKey("facilitation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    by_clinic: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitation: Mapped[Facilitation] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


class ReferralLink(db.Model):
    """The clinic contact's link to one referral: no account, expiring, only the token's
    SHA-256 stored. It opens that referral and nothing else."""

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitation_id: Mapped[int] = mapped_column(
        ForeignKey("facilitation.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_to: Mapped[str] = mapped_column(String(254))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    facilitation: Mapped[Facilitation] = relationship()
