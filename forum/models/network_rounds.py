"""Matchmaking rounds of the Lombardy-Limburg network and the introductions they record
(issue 29).

An admin opens a round on some themes (specialisations), reviews the pairs of organisations
from different regions that matchmaking suggests, accepts some (each becomes an
``Introduction``) and sets others aside (``DismissedPair``, so they are not suggested again
in that round). An introduction then moves through its states, each move kept as an
``IntroductionStep`` with its note, up to a joint proposal submitted to a programme's call.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, enum_column, same_as_created, utcnow
from forum.models.network import NetworkProfile, Specialisation


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class IntroductionState(StrEnum):
    """Where an introduction stands; the first five in the order they are normally reached."""

    PROPOSED = "proposed"
    AGREED = "agreed"  # both organisations agreed to be introduced
    MET = "met"
    PROJECT_IDEA = "project-idea"
    PROPOSAL_SUBMITTED = "proposal-submitted"  # a joint proposal, with its programme and call
    DECLINED = "declined"  # one side declined, or the pair did not go further


class FundingProgramme(StrEnum):
    """The EU programmes the action plan aims joint projects at."""

    I3 = "i3"  # Interregional Innovation Investments
    HORIZON_EUROPE = "horizon-europe"
    EU4HEALTH = "eu4health"
    OTHER = "other"


round_theme = Table(
    "matchmaking_round_theme",
    db.metadata,
    Column("round_id", ForeignKey("matchmaking_round.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "specialisation_id",
        ForeignKey("network_specialisation.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class MatchmakingRound(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[RoundStatus] = mapped_column(
        enum_column(RoundStatus, "round_status"), default=RoundStatus.OPEN
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()
    themes: Mapped[list[Specialisation]] = relationship(
        secondary=round_theme, order_by=Specialisation.position
    )
    introductions: Mapped[list[Introduction]] = relationship(
        back_populates="round",
        order_by="Introduction.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Introduction(db.Model):
    """Two organisations of different regions introduced to each other in a round.

    The pair is stored once, the lower profile id first (``first_profile_id``), so the same
    two organisations cannot be accepted twice in a round whichever side was listed first.
    """

    __tablename__ = "network_introduction"
    __table_args__ = (
        CheckConstraint("first_profile_id < second_profile_id", name="pair_in_order"),
        UniqueConstraint(
            "round_id", "first_profile_id", "second_profile_id", name="uq_network_introduction_pair"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_round.id", ondelete="CASCADE"), index=True
    )
    first_profile_id: Mapped[int] = mapped_column(
        ForeignKey("network_profile.id", ondelete="CASCADE"), index=True
    )
    second_profile_id: Mapped[int] = mapped_column(
        ForeignKey("network_profile.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[IntroductionState] = mapped_column(
        enum_column(IntroductionState, "introduction_state"), default=IntroductionState.PROPOSED
    )
    # The project idea's working title, once there is one.
    project_title: Mapped[str] = mapped_column(String(200), default="")
    # A joint proposal's programme and call (e.g. "HORIZON-HLTH-2027-..."), when submitted.
    programme: Mapped[FundingProgramme | None] = mapped_column(
        enum_column(FundingProgramme, "funding_programme")
    )
    call_reference: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=same_as_created)

    round: Mapped[MatchmakingRound] = relationship(back_populates="introductions")
    first: Mapped[NetworkProfile] = relationship(foreign_keys=[first_profile_id])
    second: Mapped[NetworkProfile] = relationship(foreign_keys=[second_profile_id])
    created_by: Mapped[User | None] = relationship()
    steps: Mapped[list[IntroductionStep]] = relationship(
        back_populates="introduction",
        order_by="IntroductionStep.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class IntroductionStep(db.Model):
    """One move of an introduction to a state, with the admin's note of what happened."""

    __tablename__ = "network_introduction_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("network_introduction.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[IntroductionState] = mapped_column(
        enum_column(IntroductionState, "introduction_step_state")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    introduction: Mapped[Introduction] = relationship(back_populates="steps")
    recorded_by: Mapped[User | None] = relationship()


class DismissedPair(db.Model):
    """A suggested pair an admin set aside in a round: not suggested again in it."""

    __tablename__ = "matchmaking_dismissed_pair"
    __table_args__ = (
        CheckConstraint("first_profile_id < second_profile_id", name="pair_in_order"),
    )

    round_id: Mapped[int] = mapped_column(
        ForeignKey("matchmaking_round.id", ondelete="CASCADE"), primary_key=True
    )
    first_profile_id: Mapped[int] = mapped_column(
        ForeignKey("network_profile.id", ondelete="CASCADE"), primary_key=True
    )
    second_profile_id: Mapped[int] = mapped_column(
        ForeignKey("network_profile.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    dismissed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
