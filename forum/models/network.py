"""The Lombardy-Limburg network's directory: organisations' profiles and the two controlled
vocabularies they are described by (issue 29, the action plan's second action).

A profile belongs to one ``Organisation`` (the same row its people sign in under), so an
organisation's members edit their own profile and the review counts one organisation once.
``region`` is the network's own division (Lombardy, Limburg, elsewhere), not
``Organisation.region``, which holds the Italian region an Italian province lies in.

The vocabularies are bilingual tables rather than enums: admins add a term without a
release, and matchmaking compares terms by id, whatever the language a page is read in.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import Organisation, User
from forum.models.columns import UTCDateTime, enum_column, same_as_created, utcnow


class NetworkRegion(StrEnum):
    LOMBARDY = "lombardy"
    LIMBURG = "limburg"
    OTHER = "other"


class _Term:
    """A term of a controlled vocabulary, named in both of the forum's languages."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable in URLs, CSV imports and exports ("regenerative-medicine").
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(120), unique=True)
    name_it: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def name(self, locale: str | None) -> str:
        """The term in ``locale`` ("it" or anything else for English)."""
        return self.name_it if locale == "it" else self.name_en


class Specialisation(_Term, db.Model):
    """A field an organisation works in (regenerative medicine, imaging ...); a matchmaking
    round's themes are specialisations."""

    __tablename__ = "network_specialisation"


class Capability(_Term, db.Model):
    """Something an organisation offers or seeks (clinical validation, prototyping, funding
    partners ...); an offer of one organisation meeting a need of another is a reason to
    introduce them."""

    __tablename__ = "network_capability"


def _link_table(name: str, term_table: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column(
            "profile_id", ForeignKey("network_profile.id", ondelete="CASCADE"), primary_key=True
        ),
        Column(
            "term_id",
            ForeignKey(f"{term_table}.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )


profile_specialisation = _link_table("network_profile_specialisation", "network_specialisation")
profile_offer = _link_table("network_profile_offer", "network_capability")
profile_need = _link_table("network_profile_need", "network_capability")


class NetworkProfile(db.Model):
    """An organisation's entry in the network's directory.

    ``listed``: the organisation agreed to be shown publicly; an unlisted profile is seen
    only by admins and the organisation's own people, and is never suggested to others.
    The contact person is shown to signed-in members of the network only
    (``permissions.can_see_network_contacts``).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), unique=True
    )
    region: Mapped[NetworkRegion] = mapped_column(
        enum_column(NetworkRegion, "network_region"), index=True
    )
    city: Mapped[str] = mapped_column(String(120), default="")
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the organisation does, in its own words (plain text, shown as paragraphs).
    description: Mapped[str] = mapped_column(Text, default="")
    # The offers and needs in words; the capabilities below are what matchmaking compares.
    offer_text: Mapped[str] = mapped_column(Text, default="")
    need_text: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=same_as_created)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(back_populates="network_profile")
    updated_by: Mapped[User | None] = relationship()
    specialisations: Mapped[list[Specialisation]] = relationship(
        secondary=profile_specialisation, order_by=Specialisation.position
    )
    offers: Mapped[list[Capability]] = relationship(
        secondary=profile_offer, order_by=Capability.position
    )
    needs: Mapped[list[Capability]] = relationship(
        secondary=profile_need, order_by=Capability.position
    )


class FeasibilityNote(db.Model):
    """A decision of the feasibility study on one theme: which parts of the two ecosystems to
    link, decided when and by whom."""

    __tablename__ = "network_feasibility_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    specialisation_id: Mapped[int] = mapped_column(
        ForeignKey("network_specialisation.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)
    # Who decided (a body or people, e.g. "Steering group, 12 March"): not always forum users.
    decided_by: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=same_as_created)

    specialisation: Mapped[Specialisation] = relationship()
    recorded_by: Mapped[User | None] = relationship()
