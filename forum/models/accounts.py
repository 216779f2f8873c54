"""People and the organisations they belong to."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.columns import UTCDateTime, enum_column, utcnow


class Role(StrEnum):
    MEMBER = "member"
    EXPERT = "expert"
    ADMIN = "admin"


class OrganisationKind(StrEnum):
    SME = "sme"
    START_UP = "start-up"
    RESEARCH = "research"
    UNIVERSITY = "university"
    CLINIC = "clinic"
    HOSPITAL = "hospital"
    # The Lombardy-Limburg network's directory maps these too (issue 29).
    CLUSTER = "cluster"
    PUBLIC_BODY = "public-body"


class ExpertArea(StrEnum):
    """The worlds the board's experts come from; quorum counts distinct areas."""

    RESEARCH = "research"
    UNIVERSITY = "university"
    CLINICAL = "clinical"
    SME = "sme"
    REGULATORY = "regulatory"


class EmailFrequency(StrEnum):
    """How a person's notifications reach their mailbox (the in-app list always has them)."""

    IMMEDIATE = "immediate"  # one e-mail per notification, as it happens
    DAILY = "daily"  # one digest a day (flask send-digests)
    WEEKLY = "weekly"  # one digest a week
    NONE = "none"  # no e-mail: the forum's list only


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class Organisation(db.Model):
    """A company, institute or hospital people belong to.

    ``kind``, ``province``, ``region`` and ``country`` are plain columns so the review
    can group the organisations served by them in SQL. In Italy ``province`` is the
    two-letter code (MI, MB, BG ...) and ``region`` the region it lies in, both set by
    ``services/organisations.py`` from one table; elsewhere they are as the person wrote them.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind, "organisation_kind")
    )
    # ISO 3166-1 alpha-2.
    country: Mapped[str] = mapped_column(String(2), default="IT", server_default="IT")
    province: Mapped[str | None] = mapped_column(String(80))
    region: Mapped[str | None] = mapped_column(String(80))
    # The partita IVA or codice fiscale in Italy (checked), a VAT or tax number elsewhere.
    tax_code: Mapped[str | None] = mapped_column(String(30))
    website: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="organisation")
    # The organisation's entry in the Lombardy-Limburg directory (forum/models/network.py).
    network_profile: Mapped[NetworkProfile | None] = relationship(  # noqa: F821
        back_populates="organisation", uselist=False
    )


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Read and written through ``display_name`` below, which names a deleted
    # account "Former member" in the reader's language.
    stored_display_name: Mapped[str] = mapped_column("display_name", String(120))
    # A new address asked for on the account page, replacing ``email`` once the link
    # sent to it is opened (services/accounts/profile.py); a newer request replaces it, so only
    # the latest link works.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), default=Role.MEMBER)
    area: Mapped[ExpertArea | None] = mapped_column(enum_column(ExpertArea, "expert_area"))
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login cookie: replacing it signs the user out everywhere
    # (after a password change, say) without a server-side session store.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the person deleted their account: the row stays, anonymised, so
    # the questions and answers others rely on keep an author.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The privacy notice's version the person last accepted, and when (at registration,
    # then at the first login after each new version): the centre's record of it.
    privacy_version_accepted: Mapped[int | None] = mapped_column(Integer)
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Immediate for everyone until they choose a digest on their account page:
    # invitations and requests for a stance are time-bound (docs/architecture.md).
    email_frequency: Mapped[EmailFrequency] = mapped_column(
        enum_column(EmailFrequency, "email_frequency"),
        default=EmailFrequency.IMMEDIATE,
        server_default=EmailFrequency.IMMEDIATE.value,
    )

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")
    expert_profile: Mapped[ExpertProfile | None] = relationship(  # noqa: F821
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )

    # A hybrid, like Question.title: every byline, list and e-mail that names a
    # person names a deleted account the same neutral way, with no link to them,
    # while SQL (sorting, the admins' search) reads the stored column.
    @hybrid_property
    def display_name(self) -> str:
        if self.deleted_at is not None:
            return gettext("Former member")
        return self.stored_display_name

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self.stored_display_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls):
        return cls.stored_display_name

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_expert(self) -> bool:
        return self.role == Role.EXPERT

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
