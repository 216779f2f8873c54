"""Matchmaking rounds (issue 29): an admin opens a round on some themes, reviews the pairs of
organisations matchmaking suggests within them, and accepts some (each becomes an
``Introduction``, whose steps ``network_introductions`` records) or sets them aside.

A round suggests only listed profiles: accepting a pair introduces each organisation to the
other, and an unlisted one has not agreed to be shown (``NetworkProfile.listed``).
Every action is audited in its own transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import (
    AuditAction,
    DismissedPair,
    Introduction,
    IntroductionState,
    IntroductionStep,
    MatchmakingRound,
    NetworkProfile,
    RoundStatus,
    Specialisation,
    User,
    profile_specialisation,
)
from forum.models.columns import utcnow
from forum.network_access import can_manage_network
from forum.services import audit, matchmaking
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.matchmaking import Pair
from forum.services.typed_text import checked_text

MAX_TITLE_LENGTH = 200
MAX_REFERENCE_LENGTH = 200  # a project's title, a call's reference
MAX_NOTE_LENGTH = 5_000

ALREADY_INTRODUCED = _l("These two organisations are already introduced in this round.")


def require_manager(actor: User) -> None:
    if not can_manage_network(actor):
        raise PermissionDenied(_l("Only the centre's admins run matchmaking rounds."))


# --- rounds ------------------------------------------------------------------------------------


def open_round(admin: User, title: str, theme_ids: Sequence[int]) -> MatchmakingRound:
    """Open a round on the given themes (specialisations); audited.

    Raises PermissionDenied for non-admins; RuleViolation (with the field) for a missing or
    too long title, one another round has, no theme, or an unknown theme.
    """
    require_manager(admin)
    title = checked_text(title, MAX_TITLE_LENGTH, "title", _l("Give the round a title."))
    wanted = set(theme_ids)
    if not wanted:
        raise RuleViolation(_l("Choose at least one theme."), field="themes")
    themes = list(db.session.scalars(select(Specialisation).where(Specialisation.id.in_(wanted))))
    if len(themes) != len(wanted):
        raise RuleViolation(_l("Choose the themes from the list."), field="themes")
    same_title = select(MatchmakingRound.id).where(
        func.lower(MatchmakingRound.title) == title.lower()
    )
    if db.session.scalar(same_title) is not None:
        raise RuleViolation(_l("Another round already has this title."), field="title")
    matchmaking_round = MatchmakingRound(title=title, themes=themes, created_by=admin)
    db.session.add(matchmaking_round)
    try:
        db.session.flush()
    except IntegrityError:  # the same title, typed by two admins at once
        db.session.rollback()
        raise RuleViolation(_l("Another round already has this title."), field="title") from None
    audit.record(admin, AuditAction.MATCHMAKING_ROUND_OPENED, matchmaking_round, detail=title)
    db.session.commit()
    return matchmaking_round


def close_round(matchmaking_round: MatchmakingRound, admin: User) -> None:
    """Close a round: no pair is accepted or set aside in it any more (its introductions
    still move on); audited. Raises RuleViolation when it is closed already."""
    require_manager(admin)
    if matchmaking_round.status == RoundStatus.CLOSED:
        raise RuleViolation(_l("This round is closed already."))
    matchmaking_round.status = RoundStatus.CLOSED
    matchmaking_round.closed_at = utcnow()
    audit.record(admin, AuditAction.MATCHMAKING_ROUND_CLOSED, matchmaking_round)
    db.session.commit()


def reopen_round(matchmaking_round: MatchmakingRound, admin: User) -> None:
    """Open a closed round again; audited. Raises RuleViolation when it is open."""
    require_manager(admin)
    if matchmaking_round.status == RoundStatus.OPEN:
        raise RuleViolation(_l("This round is open already."))
    matchmaking_round.status = RoundStatus.OPEN
    matchmaking_round.closed_at = None
    audit.record(admin, AuditAction.MATCHMAKING_ROUND_REOPENED, matchmaking_round)
    db.session.commit()


def theme_choices() -> list[Specialisation]:
    """The specialisations a round may be opened on, in the vocabulary's order."""
    return list(
        db.session.scalars(
            select(Specialisation).order_by(Specialisation.position, Specialisation.id)
        )
    )


def _require_open(matchmaking_round: MatchmakingRound) -> None:
    if matchmaking_round.status != RoundStatus.OPEN:
        raise RuleViolation(_l("This round is closed: reopen it to accept or set aside pairs."))


# --- the round's suggested pairs ----------------------------------------------------------------


def theme_profiles(matchmaking_round: MatchmakingRound) -> list[NetworkProfile]:
    """The listed profiles with at least one of the round's themes, with their terms."""
    theme_ids = [theme.id for theme in matchmaking_round.themes]
    with_a_theme = select(profile_specialisation.c.profile_id).where(
        profile_specialisation.c.term_id.in_(theme_ids)
    )
    return matchmaking.load_profiles(
        NetworkProfile.listed.is_(True), NetworkProfile.id.in_(with_a_theme)
    )


def _decided_pairs(round_id: int) -> set[tuple[int, int]]:
    """The pairs already accepted or set aside in the round (lower id first)."""
    introduced = db.session.execute(
        select(Introduction.first_profile_id, Introduction.second_profile_id).where(
            Introduction.round_id == round_id
        )
    )
    dismissed = db.session.execute(
        select(DismissedPair.first_profile_id, DismissedPair.second_profile_id).where(
            DismissedPair.round_id == round_id
        )
    )
    return {tuple(row) for row in introduced} | {tuple(row) for row in dismissed}


def _fits_round(pair: Pair, theme_ids: set[int]) -> bool:
    """Both share one of the round's themes, or one offers what the other seeks (both are
    organisations of the round's themes already)."""
    reasons = pair.reasons
    shares_a_theme = any(term.id in theme_ids for term in reasons.shared_specialisations)
    return shares_a_theme or bool(reasons.first_meets_second or reasons.second_meets_first)


def suggested_pairs(matchmaking_round: MatchmakingRound) -> list[Pair]:
    """The round's cross-regional pairs, best first, lower profile id first in each, without
    those already accepted or set aside in it.

    Computed over the round's theme organisations in a fixed number of queries; comparing
    every pair of a few hundred profiles in Python takes milliseconds.
    """
    profiles = theme_profiles(matchmaking_round)
    theme_ids = {theme.id for theme in matchmaking_round.themes}
    decided = _decided_pairs(matchmaking_round.id)
    pairs = []
    for index, first in enumerate(profiles):  # ordered by id: the lower id comes first
        for second in profiles[index + 1 :]:
            if not matchmaking.is_cross_regional(first, second):
                continue
            if (first.id, second.id) in decided:
                continue
            pair = Pair(first, second, matchmaking.compare(first, second))
            if _fits_round(pair, theme_ids):
                pairs.append(pair)
    return matchmaking.rank(pairs)


def _pair_profiles(first_id: int, second_id: int) -> tuple[NetworkProfile, NetworkProfile]:
    first_id, second_id = matchmaking.ordered_ids(first_id, second_id)
    first = db.session.get(NetworkProfile, first_id)
    second = db.session.get(NetworkProfile, second_id)
    if first is None or second is None or not matchmaking.is_cross_regional(first, second):
        raise RuleViolation(_l("Choose a pair of organisations from two regions."))
    return first, second


def accept_pair(
    matchmaking_round: MatchmakingRound, admin: User, first_id: int, second_id: int, note: str = ""
) -> Introduction:
    """Accept a suggested pair: an introduction in state "proposed" (the lower profile id
    first) with its first step; a pair set aside earlier is no longer. Audited.

    Raises PermissionDenied for non-admins; RuleViolation for a closed round, a pair not of
    two regions, or one already introduced in the round (also when two admins, or a double
    click, accept it at once: the database's unique constraint decides).
    """
    require_manager(admin)
    _require_open(matchmaking_round)
    first, second = _pair_profiles(first_id, second_id)
    note = checked_text(note, MAX_NOTE_LENGTH, "note", one_line=False)
    already = select(Introduction.id).where(
        Introduction.round_id == matchmaking_round.id,
        Introduction.first_profile_id == first.id,
        Introduction.second_profile_id == second.id,
    )
    if db.session.scalar(already) is not None:
        raise RuleViolation(ALREADY_INTRODUCED)
    introduction = Introduction(
        round=matchmaking_round, first=first, second=second, created_by=admin
    )
    introduction.steps.append(
        IntroductionStep(state=IntroductionState.PROPOSED, note=note, recorded_by=admin)
    )
    db.session.add(introduction)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation(ALREADY_INTRODUCED) from None
    dismissal = db.session.get(DismissedPair, (matchmaking_round.id, first.id, second.id))
    if dismissal is not None:
        db.session.delete(dismissal)
    audit.record(
        admin,
        AuditAction.MATCHMAKING_PAIR_ACCEPTED,
        introduction,
        detail=f"{first.organisation.name} / {second.organisation.name}",
    )
    db.session.commit()
    return introduction


def dismiss_pair(
    matchmaking_round: MatchmakingRound, admin: User, first_id: int, second_id: int
) -> None:
    """Set a suggested pair aside: not suggested again in this round. Setting it aside twice
    changes nothing. Audited.

    Raises PermissionDenied for non-admins; RuleViolation for a closed round, a pair not of
    two regions, or one already introduced in the round.
    """
    require_manager(admin)
    _require_open(matchmaking_round)
    first, second = _pair_profiles(first_id, second_id)
    key = (matchmaking_round.id, first.id, second.id)
    introduced = select(Introduction.id).where(
        Introduction.round_id == matchmaking_round.id,
        Introduction.first_profile_id == first.id,
        Introduction.second_profile_id == second.id,
    )
    if db.session.scalar(introduced) is not None:
        raise RuleViolation(ALREADY_INTRODUCED)
    if db.session.get(DismissedPair, key) is not None:
        return
    db.session.add(
        DismissedPair(
            round_id=matchmaking_round.id,
            first_profile_id=first.id,
            second_profile_id=second.id,
            dismissed_by_id=admin.id,
        )
    )
    try:
        db.session.flush()
    except IntegrityError:  # set aside by another admin a moment ago: the same outcome
        db.session.rollback()
        return
    audit.record(
        admin,
        AuditAction.MATCHMAKING_PAIR_SET_ASIDE,
        matchmaking_round,
        detail=f"{first.organisation.name} / {second.organisation.name}",
    )
    db.session.commit()


# --- what the pages read ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundListing:
    matchmaking_round: MatchmakingRound
    by_state: dict[IntroductionState, int] = field(default_factory=dict)

    @property
    def introductions(self) -> int:
        return sum(self.by_state.values())


def list_rounds() -> list[RoundListing]:
    """Every round, newest first, with its themes and its introductions counted by state
    (three queries whatever the number of rounds)."""
    rounds = db.session.scalars(
        select(MatchmakingRound)
        .options(selectinload(MatchmakingRound.themes))
        .order_by(MatchmakingRound.created_at.desc(), MatchmakingRound.id.desc())
    ).all()
    counts: dict[int, dict[IntroductionState, int]] = {}
    for round_id, state, number in db.session.execute(
        select(Introduction.round_id, Introduction.state, func.count()).group_by(
            Introduction.round_id, Introduction.state
        )
    ):
        counts.setdefault(round_id, {})[IntroductionState(state)] = number
    return [RoundListing(found, counts.get(found.id, {})) for found in rounds]


def _introduction_options():
    return (
        joinedload(Introduction.first).joinedload(NetworkProfile.organisation),
        joinedload(Introduction.second).joinedload(NetworkProfile.organisation),
    )


def get_round(round_id: int) -> MatchmakingRound | None:
    """A round with its themes, and its introductions with both organisations, or None."""
    return db.session.scalar(
        select(MatchmakingRound)
        .options(
            selectinload(MatchmakingRound.themes),
            selectinload(MatchmakingRound.introductions).options(
                *_introduction_options(), selectinload(Introduction.steps)
            ),
        )
        .where(MatchmakingRound.id == round_id)
    )


@dataclass(frozen=True)
class RoundPage:
    matchmaking_round: MatchmakingRound
    suggestions: list[Pair]  # the best ones, at most the limit asked for
    suggested: int  # how many pairs are suggested in all
    # Each introduction's pair with its reasons, as the profiles' terms read today.
    introductions: list[tuple[Introduction, Pair]]


def _introduced_pairs(matchmaking_round: MatchmakingRound) -> list[tuple[Introduction, Pair]]:
    ids = {i.first_profile_id for i in matchmaking_round.introductions} | {
        i.second_profile_id for i in matchmaking_round.introductions
    }
    profiles = {
        profile.id: profile for profile in matchmaking.load_profiles(NetworkProfile.id.in_(ids))
    }
    pairs = []
    for introduction in matchmaking_round.introductions:
        first = profiles[introduction.first_profile_id]
        second = profiles[introduction.second_profile_id]
        pairs.append((introduction, Pair(first, second, matchmaking.compare(first, second))))
    return pairs


def load_round_page(round_id: int, limit: int | None = None) -> RoundPage | None:
    """The round, its best ``limit`` suggested pairs (all with None) and its introductions
    with their reasons, in a fixed number of queries; None for an unknown round."""
    matchmaking_round = get_round(round_id)
    if matchmaking_round is None:
        return None
    suggestions = suggested_pairs(matchmaking_round)
    return RoundPage(
        matchmaking_round,
        suggestions[:limit],
        len(suggestions),
        _introduced_pairs(matchmaking_round),
    )
