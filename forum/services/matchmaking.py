"""Matchmaking: which organisations of the other region an organisation should meet, and why.

Two profiles are compared by the terms of the directory's vocabularies (by id, so in any
language): the specialisations they share, what the first offers that the second seeks and
what the second offers that the first seeks. The reasons stay structured data
(``Reasons``) until a page or an export puts them in words in its reader's language
(``reasons_in_words``).

Everything is computed in Python over profiles loaded in a fixed number of queries (one for
the profiles and their organisations, one per vocabulary link): the directory is hundreds of
organisations, not millions, so comparing every pair costs milliseconds and keeps the rule
readable here rather than spread over SQL. Were it to reach tens of thousands, the
candidates would first be narrowed in SQL to those sharing at least one term.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forum.content_language import reader_language
from forum.extensions import db
from forum.models import Capability, NetworkProfile, NetworkRegion, Specialisation

# Why these weights: an offer meeting a need is a concrete reason to meet (one side has what
# the other is looking for), so it weighs twice a shared specialisation, which says only
# that both work in the same field (common ground, but they may as well be competitors).
# Each direction counts: a pair where both sides bring something ranks above a one-way one.
SHARED_SPECIALISATION_WEIGHT = 1
OFFER_MEETS_NEED_WEIGHT = 2

# Whose candidates each region gets: the network links Lombardy and Limburg, so their
# organisations are shown each other's; one from elsewhere is shown both regions' (it came
# to the network to meet them), and two from elsewhere are not the network's business.
PARTNER_REGIONS: dict[NetworkRegion, tuple[NetworkRegion, ...]] = {
    NetworkRegion.LOMBARDY: (NetworkRegion.LIMBURG,),
    NetworkRegion.LIMBURG: (NetworkRegion.LOMBARDY,),
    NetworkRegion.OTHER: (NetworkRegion.LOMBARDY, NetworkRegion.LIMBURG),
}


@dataclass(frozen=True)
class Reasons:
    """Why two profiles match, ``first`` and ``second`` as the pair names them."""

    shared_specialisations: tuple[Specialisation, ...] = ()
    first_meets_second: tuple[Capability, ...] = ()  # the first offers, the second seeks
    second_meets_first: tuple[Capability, ...] = ()  # the second offers, the first seeks

    @property
    def score(self) -> int:
        return SHARED_SPECIALISATION_WEIGHT * len(
            self.shared_specialisations
        ) + OFFER_MEETS_NEED_WEIGHT * (len(self.first_meets_second) + len(self.second_meets_first))


@dataclass(frozen=True)
class Pair:
    """Two profiles with the reasons they match; for an organisation's candidates ``first``
    is that organisation, for a round's pairs the lower profile id."""

    first: NetworkProfile
    second: NetworkProfile
    reasons: Reasons

    @property
    def score(self) -> int:
        return self.reasons.score

    def ids(self) -> tuple[int, int]:
        """The pair's ids in the order an introduction stores them (the lower first)."""
        return ordered_ids(self.first.id, self.second.id)


def ordered_ids(one: int, other: int) -> tuple[int, int]:
    return (one, other) if one < other else (other, one)


def is_cross_regional(one: NetworkProfile, other: NetworkProfile) -> bool:
    """True when a round may introduce these two, whichever is named first: Lombardy with
    Limburg, or one from elsewhere with either; never two of one region or from elsewhere,
    never a profile with itself."""
    return one.id != other.id and (
        other.region in PARTNER_REGIONS[one.region] or one.region in PARTNER_REGIONS[other.region]
    )


def _in_vocabulary_order(terms: Iterable) -> tuple:
    return tuple(sorted(terms, key=lambda term: (term.position, term.id)))


def _meeting(offers: Sequence[Capability], needs: Sequence[Capability]) -> tuple:
    needed = {need.id for need in needs}
    return _in_vocabulary_order(offer for offer in offers if offer.id in needed)


def compare(first: NetworkProfile, second: NetworkProfile) -> Reasons:
    """What the two profiles have in common, as terms of the vocabularies."""
    theirs = {specialisation.id for specialisation in second.specialisations}
    return Reasons(
        shared_specialisations=_in_vocabulary_order(
            specialisation
            for specialisation in first.specialisations
            if specialisation.id in theirs
        ),
        first_meets_second=_meeting(first.offers, second.needs),
        second_meets_first=_meeting(second.offers, first.needs),
    )


def _ranking_key(pair: Pair) -> tuple:
    # Ties are broken by the organisations' names, then ids: the same directory always
    # ranks the same way, on both databases.
    return (
        -pair.score,
        pair.first.organisation.name.casefold(),
        pair.second.organisation.name.casefold(),
        pair.first.id,
        pair.second.id,
    )


def rank(pairs: Iterable[Pair]) -> list[Pair]:
    """The pairs that match at all, best first."""
    return sorted((pair for pair in pairs if pair.score > 0), key=_ranking_key)


def load_profiles(*conditions) -> list[NetworkProfile]:
    """The profiles matching ``conditions``, with their organisation and terms, in four
    queries whatever their number."""
    statement = (
        select(NetworkProfile)
        .options(
            joinedload(NetworkProfile.organisation),
            selectinload(NetworkProfile.specialisations),
            selectinload(NetworkProfile.offers),
            selectinload(NetworkProfile.needs),
        )
        .where(*conditions)
        .order_by(NetworkProfile.id)
    )
    return list(db.session.scalars(statement).unique())


def candidates_for(
    profile: NetworkProfile, limit: int = 20, *, include_unlisted: bool = False
) -> list[Pair]:
    """The organisations of the other region(s) ``profile`` should meet, best first, at
    most ``limit``; each ``Pair`` has ``profile`` first and the candidate second.

    Never ``profile`` itself nor one of its own region; a profile from elsewhere gets
    candidates from Lombardy and Limburg, never from elsewhere. Only listed profiles are
    candidates unless ``include_unlisted`` (the admins' view,
    ``network_access.sees_unlisted_candidates``). Profiles sharing nothing are left out.
    """
    conditions = [
        NetworkProfile.region.in_(PARTNER_REGIONS[profile.region]),
        NetworkProfile.id != profile.id,
    ]
    if not include_unlisted:
        conditions.append(NetworkProfile.listed.is_(True))
    pairs = (Pair(profile, other, compare(profile, other)) for other in load_profiles(*conditions))
    return rank(pairs)[:limit]


def load_profile(profile_id: int) -> NetworkProfile | None:
    """One profile with its organisation and terms, or None."""
    found = load_profiles(NetworkProfile.id == profile_id)
    return found[0] if found else None


# --- the reasons in words --------------------------------------------------------------------


def _names(terms: Sequence, locale: str) -> str:
    return format_list([term.name(locale) for term in terms], locale=locale)


def reasons_in_words(pair: Pair, locale: str | None = None) -> list[str]:
    """The pair's reasons as sentences in ``locale`` (the page's by default): "Both work in
    Medical imaging and Diagnostics", "X offers Clinical validation site, which Y seeks"."""
    locale = locale or reader_language()
    reasons = pair.reasons
    first, second = pair.first.organisation.name, pair.second.organisation.name
    sentences = []
    if reasons.shared_specialisations:
        sentences.append(
            _("Both work in %(fields)s.", fields=_names(reasons.shared_specialisations, locale))
        )
    for giver, taker, capabilities in (
        (first, second, reasons.first_meets_second),
        (second, first, reasons.second_meets_first),
    ):
        if capabilities:
            sentences.append(
                _(
                    "%(giver)s offers %(capabilities)s, which %(taker)s seeks.",
                    giver=giver,
                    taker=taker,
                    capabilities=_names(capabilities, locale),
                )
            )
    return sentences
