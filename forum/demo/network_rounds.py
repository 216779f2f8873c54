"""The demo's matchmaking round: the two themes most of the demo's listed organisations in
Lombardy and Limburg share, a few pairs accepted, one introduction taken to a project idea
and one to a joint proposal submitted (a made-up call of Horizon Europe: no real call, no
real deadline).

Written through the services, as an admin would. Idempotent: a round of the same title is
left as it is.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    FundingProgramme,
    IntroductionState,
    MatchmakingRound,
    NetworkProfile,
    NetworkRegion,
    Role,
    User,
)
from forum.services import matchmaking, network_introductions, network_rounds
from forum.services.network_introductions import StepDraft

MIN_PROFILES = 4
PAIRS_ACCEPTED = 3
# Plainly not a real call: the "DEMO" part is in no programme's numbering.
DEMO_CALL = "HORIZON-HLTH-2027-DEMO-07"

# The steps of the two introductions taken further, with the notes an admin would write.
TO_PROJECT_IDEA = (
    StepDraft(IntroductionState.AGREED, "Both said yes by e-mail; a video call is set."),
    StepDraft(IntroductionState.MET, "Met online for an hour: their work fits well."),
    StepDraft(
        IntroductionState.PROJECT_IDEA,
        "They sketched a joint validation study and will look for a call.",
        project_title="Joint clinical validation across two regions",
    ),
)
TO_PROPOSAL = (
    StepDraft(IntroductionState.AGREED, "Both agreed at the network's info day."),
    StepDraft(IntroductionState.MET, "Visit to the lab, with the clinical partner."),
    StepDraft(
        IntroductionState.PROJECT_IDEA,
        "A shared work plan is drafted.",
        project_title="Cross-border imaging data for earlier diagnosis",
    ),
    StepDraft(
        IntroductionState.PROPOSAL_SUBMITTED,
        "Submitted as a consortium of four; the evaluation is awaited.",
        project_title="Cross-border imaging data for earlier diagnosis",
        programme=FundingProgramme.HORIZON_EUROPE,
        call_reference=DEMO_CALL,
    ),
)


def _two_themes(profiles: list[NetworkProfile]):
    """The two specialisations found in both regions by the most organisations."""
    counts: Counter = Counter()
    regions: dict[int, set[NetworkRegion]] = {}
    terms = {}
    for profile in profiles:
        for term in profile.specialisations:
            counts[term.id] += 1
            regions.setdefault(term.id, set()).add(profile.region)
            terms[term.id] = term
    in_both = [
        term_id
        for term_id, _number in sorted(
            counts.items(), key=lambda item: (-item[1], terms[item[0]].position)
        )
        if len(regions[term_id]) == 2
    ]
    return [terms[term_id] for term_id in in_both[:2]]


def seed_network_rounds(admin: User | None = None) -> MatchmakingRound | None:
    """Open the demo's round on the demo's listed profiles; nothing when there are fewer
    than four in Lombardy and Limburg, or no theme both regions work in."""
    admin = admin or db.session.scalar(
        select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    )
    profiles = matchmaking.load_profiles(
        NetworkProfile.listed.is_(True),
        NetworkProfile.region.in_((NetworkRegion.LOMBARDY, NetworkRegion.LIMBURG)),
    )
    if admin is None or len(profiles) < MIN_PROFILES:
        return None
    themes = _two_themes(profiles)
    if not themes:
        return None
    title = "Lombardy-Limburg matchmaking: " + " and ".join(theme.name_en for theme in themes)
    existing = db.session.scalar(select(MatchmakingRound).where(MatchmakingRound.title == title))
    if existing is not None:
        return existing
    opened = network_rounds.open_round(admin, title, [theme.id for theme in themes])
    accepted = []
    for pair in network_rounds.suggested_pairs(opened)[:PAIRS_ACCEPTED]:
        accepted.append(
            network_rounds.accept_pair(
                opened, admin, pair.first.id, pair.second.id, "Suggested by the round; both fit."
            )
        )
    for introduction, steps in zip(accepted, (TO_PROJECT_IDEA, TO_PROPOSAL), strict=False):
        for step in steps:
            network_introductions.record_step(introduction, admin, step)
    return opened
