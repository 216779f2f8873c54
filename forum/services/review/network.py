"""The review's "Lombardy–Limburg network" section (issue 29): the organisations mapped in
the directory per region and kind, the introductions by the state each had reached at the
period's end, the visits held in the period, and the joint project ideas and proposals
recorded in it.

Everything is read as at the period's end, so a review printed again later gives the same
figures: a profile counts once created by then, an introduction is in the state of its last
step recorded by then (an introduction with no step yet is proposed), and a step recorded
after the end waits for the next period. Five queries, however many rows.

An organisation whose profile is unlisted is not named (the review goes to the Region's
meeting; only its own people and the admins see that profile): its row says "an unlisted
organisation" and its region.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from forum import calendar
from forum.extensions import db
from forum.labels import (
    FUNDING_PROGRAMME_LABELS,
    INTRODUCTION_STATE_LABELS,
    NETWORK_REGION_LABELS,
    ORGANISATION_KIND_LABELS,
    VISIT_KIND_LABELS,
)
from forum.models import (
    FundingProgramme,
    Introduction,
    IntroductionState,
    IntroductionStep,
    NetworkProfile,
    NetworkRegion,
    Organisation,
    OrganisationKind,
    StudyVisit,
    VisitKind,
    VisitStatus,
    visit_organisation,
)
from forum.services.review.period import Period, Table, aware

SECTION = _l("Lombardy–Limburg network")
JOINT_STATES = (IntroductionState.PROJECT_IDEA, IntroductionState.PROPOSAL_SUBMITTED)


def _latest_states(end):
    """A subquery: each introduction's state as of its last step recorded before ``end``."""
    ranked = (
        select(
            IntroductionStep.introduction_id,
            IntroductionStep.state,
            func.row_number()
            .over(
                partition_by=IntroductionStep.introduction_id,
                order_by=(IntroductionStep.recorded_at.desc(), IntroductionStep.id.desc()),
            )
            .label("position"),
        )
        .where(IntroductionStep.recorded_at < end)
        .subquery()
    )
    return (
        select(ranked.c.introduction_id, ranked.c.state)
        .where(ranked.c.position == 1)
        .subquery("latest_state")
    )


def _state(value) -> IntroductionState:
    # No step by the period's end: the introduction is as it was made, proposed.
    return IntroductionState(value) if value is not None else IntroductionState.PROPOSED


def _profiles_by_kind_and_region(end) -> Counter:
    return Counter(
        {
            (OrganisationKind(kind), NetworkRegion(region)): count
            for kind, region, count in db.session.execute(
                select(Organisation.kind, NetworkProfile.region, func.count())
                .join(Organisation, Organisation.id == NetworkProfile.organisation_id)
                .where(NetworkProfile.created_at < end)
                .group_by(Organisation.kind, NetworkProfile.region)
            ).all()
        }
    )


def _introductions_by_state(end) -> Counter:
    latest = _latest_states(end)
    counts: Counter = Counter()
    for state, count in db.session.execute(
        select(latest.c.state, func.count(Introduction.id))
        .select_from(Introduction)
        .outerjoin(latest, latest.c.introduction_id == Introduction.id)
        .where(Introduction.created_at < end)
        .group_by(latest.c.state)
    ).all():
        counts[_state(state)] += count
    return counts


@dataclass(frozen=True)
class HeldVisit:
    title: str
    kind: VisitKind
    starts_on: object
    ends_on: object
    place: str
    organisations: int


def _visits_held(period: Period) -> list[HeldVisit]:
    rows = db.session.execute(
        select(
            StudyVisit.title,
            StudyVisit.kind,
            StudyVisit.starts_on,
            StudyVisit.ends_on,
            StudyVisit.place,
            func.count(visit_organisation.c.profile_id),
        )
        .outerjoin(visit_organisation, visit_organisation.c.visit_id == StudyVisit.id)
        .where(
            StudyVisit.status == VisitStatus.HELD,
            StudyVisit.starts_on >= period.start,
            StudyVisit.starts_on <= period.end,
        )
        .group_by(StudyVisit.id)
        .order_by(StudyVisit.starts_on, StudyVisit.id)
    ).all()
    return [HeldVisit(*row) for row in rows]


@dataclass(frozen=True)
class JointStep:
    recorded_at: object
    reached: IntroductionState
    state_at_end: IntroductionState
    first: str
    second: str
    project_title: str
    programme: FundingProgramme | None
    call_reference: str


def _organisation_named(name: str, listed: bool, region) -> str:
    region_label = NETWORK_REGION_LABELS[NetworkRegion(region)]
    if listed:
        return f"{name} ({region_label})"
    return str(_l("An unlisted organisation (%(region)s)", region=region_label))


def _joint_steps(period: Period) -> list[JointStep]:
    start, end = period.bounds()
    latest = _latest_states(end)
    first, second = aliased(NetworkProfile), aliased(NetworkProfile)
    first_organisation, second_organisation = aliased(Organisation), aliased(Organisation)
    rows = db.session.execute(
        select(
            IntroductionStep.recorded_at,
            IntroductionStep.state,
            latest.c.state,
            first_organisation.name,
            first.listed,
            first.region,
            second_organisation.name,
            second.listed,
            second.region,
            Introduction.project_title,
            Introduction.programme,
            Introduction.call_reference,
        )
        .join(Introduction, Introduction.id == IntroductionStep.introduction_id)
        .join(first, first.id == Introduction.first_profile_id)
        .join(first_organisation, first_organisation.id == first.organisation_id)
        .join(second, second.id == Introduction.second_profile_id)
        .join(second_organisation, second_organisation.id == second.organisation_id)
        .outerjoin(latest, latest.c.introduction_id == Introduction.id)
        .where(
            IntroductionStep.state.in_(JOINT_STATES),
            IntroductionStep.recorded_at >= start,
            IntroductionStep.recorded_at < end,
        )
        .order_by(IntroductionStep.recorded_at, IntroductionStep.id)
    ).all()
    return [
        JointStep(
            recorded_at=aware(recorded_at),
            reached=IntroductionState(reached),
            state_at_end=_state(at_end),
            first=_organisation_named(first_name, first_listed, first_region),
            second=_organisation_named(second_name, second_listed, second_region),
            project_title=project_title,
            programme=FundingProgramme(programme) if programme else None,
            call_reference=call_reference,
        )
        for (
            recorded_at,
            reached,
            at_end,
            first_name,
            first_listed,
            first_region,
            second_name,
            second_listed,
            second_region,
            project_title,
            programme,
            call_reference,
        ) in rows
    ]


def _figures_table(profiles: Counter, introductions: Counter, visits, steps) -> Table:
    reached = Counter(step.reached for step in steps)
    return Table(
        "network_figures",
        str(_l("The network in figures")),
        [str(_l("Figure")), str(_l("Value"))],
        [
            [str(_l("Organisations in the directory at the period's end")), profiles.total()],
            [str(_l("Introductions made by the period's end")), introductions.total()],
            [str(_l("Visits held in the period")), len(visits)],
            [
                str(_l("Joint project ideas recorded in the period")),
                reached[IntroductionState.PROJECT_IDEA],
            ],
            [
                str(_l("Joint proposals submitted in the period")),
                reached[IntroductionState.PROPOSAL_SUBMITTED],
            ],
        ],
        section=str(SECTION),
    )


def _profiles_table(profiles: Counter) -> Table:
    rows = []
    for kind, label in ORGANISATION_KIND_LABELS.items():
        counts = [profiles.get((kind, region), 0) for region in NetworkRegion]
        if any(counts):
            rows.append([str(label), *counts, sum(counts)])
    totals = [
        sum(count for (_, region), count in profiles.items() if region == each)
        for each in NetworkRegion
    ]
    rows.append([str(_l("All kinds")), *totals, sum(totals)])
    return Table(
        "network_organisations",
        str(_l("Organisations mapped, by region and kind")),
        [
            str(_l("Kind of organisation")),
            *(str(NETWORK_REGION_LABELS[region]) for region in NetworkRegion),
            str(_l("Total")),
        ],
        rows,
        note=str(
            _l(
                "The directory's profiles created by the period's end, listed or not, by the "
                "region each organisation gave."
            )
        ),
        section=str(SECTION),
    )


def _introductions_table(introductions: Counter) -> Table:
    return Table(
        "network_introductions",
        str(_l("Introductions by state at the period's end")),
        [str(_l("State")), str(_l("Introductions"))],
        [
            [str(label), introductions.get(state, 0)]
            for state, label in INTRODUCTION_STATE_LABELS.items()
        ],
        note=str(
            _l(
                "Every introduction made by the period's end, in the state of its last step "
                "recorded by then; one declined after a project idea counts as declined."
            )
        ),
        section=str(SECTION),
    )


def _visits_table(visits: list[HeldVisit]) -> Table:
    return Table(
        "network_visits",
        str(_l("Visits held in the period")),
        [
            str(_l("Visit")),
            str(_l("Kind")),
            str(_l("From")),
            str(_l("To")),
            str(_l("Place")),
            str(_l("Participating organisations")),
        ],
        [
            [
                visit.title,
                str(VISIT_KIND_LABELS[VisitKind(visit.kind)]),
                visit.starts_on.isoformat(),
                visit.ends_on.isoformat() if visit.ends_on else "",
                visit.place,
                visit.organisations,
            ]
            for visit in visits
        ],
        note=str(_l("Visits marked as held whose first day falls in the period.")),
        section=str(SECTION),
    )


def _joint_projects_table(steps: list[JointStep]) -> Table:
    return Table(
        "network_joint_projects",
        str(_l("Joint project ideas and proposals")),
        [
            str(_l("Recorded on")),
            str(_l("Step")),
            str(_l("Organisations")),
            str(_l("Project")),
            str(_l("Programme")),
            str(_l("Call")),
            str(_l("State at the period's end")),
        ],
        [
            [
                calendar.day_of(step.recorded_at).isoformat(),
                str(INTRODUCTION_STATE_LABELS[step.reached]),
                f"{step.first} – {step.second}",
                step.project_title,
                str(FUNDING_PROGRAMME_LABELS[step.programme]) if step.programme else "",
                step.call_reference,
                str(INTRODUCTION_STATE_LABELS[step.state_at_end]),
            ]
            for step in steps
        ],
        note=str(
            _l(
                "Each step of an introduction to a joint project idea or to a submitted "
                "proposal recorded in the period, with the programme and call recorded "
                "on the introduction."
            )
        ),
        section=str(SECTION),
    )


def network_tables(period: Period) -> list[Table]:
    """The network's section of the review, in the order the page and exports show it."""
    _, end = period.bounds()
    profiles = _profiles_by_kind_and_region(end)
    introductions = _introductions_by_state(end)
    visits = _visits_held(period)
    steps = _joint_steps(period)
    return [
        _figures_table(profiles, introductions, visits, steps),
        _profiles_table(profiles),
        _introductions_table(introductions),
        _visits_table(visits),
        _joint_projects_table(steps),
    ]
