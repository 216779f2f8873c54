"""Whom the centre served in the period: the distinct organisations served, and the
funded projects counselled.

An organisation counts once, however many questions, referrals or counselling sessions
it had; organisations are counted, never named, and grouped by kind, province, region
and country (``SERVED_GROUPINGS``), each grouping a table, chart and sheet of its own.
The projects counselled are the one table of the review that names: by their title and
call, since the Region funds them and asks about each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union

from forum import countries
from forum.extensions import db
from forum.labels import ORGANISATION_KIND_LABELS
from forum.models import (
    CounsellingSession,
    Facilitation,
    FacilitationStatus,
    FacilitationStep,
    FundedProject,
    Organisation,
    Question,
    User,
    project_beneficiary,
)
from forum.services.review.period import Period, Table


def served_organisation_ids(period: Period):
    """The organisations the centre served in the period, as a subquery of ids: a member
    of theirs asked a question, a referral was made for them, or a project of theirs had
    a counselling session."""
    start, end = period.bounds()
    return union(
        select(User.organisation_id.label("organisation_id"))
        .join(Question, Question.author_id == User.id)
        .where(
            Question.created_at >= start,
            Question.created_at < end,
            User.organisation_id.is_not(None),
        ),
        select(Facilitation.organisation_id)
        .join(FacilitationStep, FacilitationStep.facilitation_id == Facilitation.id)
        .where(
            FacilitationStep.status == FacilitationStatus.PROPOSED,
            FacilitationStep.occurred_on >= period.start,
            FacilitationStep.occurred_on <= period.end,
            Facilitation.organisation_id.is_not(None),
        ),
        select(project_beneficiary.c.organisation_id)
        .join(CounsellingSession, CounsellingSession.project_id == project_beneficiary.c.project_id)
        .where(
            CounsellingSession.held_on >= period.start, CounsellingSession.held_on <= period.end
        ),
    ).subquery()


@dataclass(frozen=True)
class ServedGrouping:
    """One way of grouping the organisations served: a table of its own.

    ``labels`` lists a fixed set of values in order (the kinds); without it the rows are the
    values found, most served first, each shown through ``describe``.
    """

    key: str
    title: object
    heading: object
    column: object
    labels: dict | None = None  # value -> label, in the order the rows are listed
    describe: Callable[[str], str] = str


def _country(code: str) -> str:
    return countries.country_name(code, str(get_locale() or "en"))


SERVED_GROUPINGS = [
    ServedGrouping(
        "organisations_served_by_kind",
        _l("Distinct organisations served, by kind"),
        _l("Organisation kind"),
        Organisation.kind,
        ORGANISATION_KIND_LABELS,
    ),
    ServedGrouping(
        "organisations_served_by_province",
        _l("Distinct organisations served, by province"),
        _l("Province"),
        Organisation.province,
    ),
    ServedGrouping(
        "organisations_served_by_region",
        _l("Distinct organisations served, by region"),
        _l("Region"),
        Organisation.region,
    ),
    ServedGrouping(
        "organisations_served_by_country",
        _l("Distinct organisations served, by country"),
        _l("Country"),
        Organisation.country,
        describe=_country,
    ),
]


def _grouping_rows(grouping: ServedGrouping, counts: dict) -> list[list]:
    if grouping.labels is not None:
        return [[str(label), counts.get(value, 0)] for value, label in grouping.labels.items()]
    # Organisations registered before their place was asked for have none: said, not dropped.
    found = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return [
        [grouping.describe(value) if value is not None else str(_l("Not recorded")), count]
        for value, count in found
    ]


def organisations_served_table(period: Period, grouping: ServedGrouping) -> Table:
    """Each organisation once, however many questions, referrals or sessions it had."""
    served = served_organisation_ids(period)
    counts = dict(
        db.session.execute(
            select(grouping.column, func.count(func.distinct(Organisation.id)))
            .where(Organisation.id.in_(select(served.c.organisation_id)))
            .group_by(grouping.column)
        ).all()
    )
    rows = _grouping_rows(grouping, counts)
    rows.append([str(_l("All organisations served")), sum(counts.values())])
    return Table(
        grouping.key,
        str(grouping.title),
        [str(grouping.heading), str(_l("Organisations"))],
        rows,
        note=str(
            _l(
                "An organisation counts once if, in the period, one of its "
                "members asked a question, a referral to a clinic was made for "
                "it, or a funded project of which it is a beneficiary had a "
                "counselling session."
            )
        ),
    )


def organisations_served_tables(period: Period) -> list[Table]:
    return [organisations_served_table(period, grouping) for grouping in SERVED_GROUPINGS]


def projects_counselled_table(period: Period) -> Table:
    """The funded projects the board worked with in the period: a counselling session held,
    a linked question asked or a linked referral made. Five queries, whatever the count."""
    start, end = period.bounds()
    sessions = dict(
        db.session.execute(
            select(CounsellingSession.project_id, func.count())
            .where(
                CounsellingSession.held_on >= period.start, CounsellingSession.held_on <= period.end
            )
            .group_by(CounsellingSession.project_id)
        ).all()
    )
    questions = dict(
        db.session.execute(
            select(Question.project_id, func.count())
            .where(
                Question.project_id.is_not(None),
                Question.created_at >= start,
                Question.created_at < end,
            )
            .group_by(Question.project_id)
        ).all()
    )
    referrals = dict(
        db.session.execute(
            select(Facilitation.project_id, func.count())
            .where(
                Facilitation.project_id.is_not(None),
                Facilitation.id.in_(
                    select(FacilitationStep.facilitation_id).where(
                        FacilitationStep.status == FacilitationStatus.PROPOSED,
                        FacilitationStep.occurred_on >= period.start,
                        FacilitationStep.occurred_on <= period.end,
                    )
                ),
            )
            .group_by(Facilitation.project_id)
        ).all()
    )
    counselled = set(sessions) | set(questions) | set(referrals)
    beneficiaries = dict(
        db.session.execute(
            select(project_beneficiary.c.project_id, func.count())
            .where(project_beneficiary.c.project_id.in_(counselled))
            .group_by(project_beneficiary.c.project_id)
        ).all()
    )
    projects = list(
        db.session.scalars(
            select(FundedProject)
            .where(FundedProject.id.in_(counselled))
            .order_by(FundedProject.title)
        )
    )
    rows = [
        [
            project.title,
            " · ".join(part for part in (project.programme, project.axis, project.call) if part),
            beneficiaries.get(project.id, 0),
            sessions.get(project.id, 0),
            questions.get(project.id, 0),
            referrals.get(project.id, 0),
        ]
        for project in projects
    ]
    return Table(
        "projects_counselled",
        str(_l("Funded projects counselled: %(count)d", count=len(rows))),
        [
            str(_l("Project")),
            str(_l("Programme, axis and call")),
            str(_l("Beneficiary organisations")),
            str(_l("Counselling sessions")),
            str(_l("Questions asked")),
            str(_l("Referrals to clinics")),
        ],
        rows,
        note=str(
            _l(
                "A project counts when, in the period, the board held a counselling "
                "session with it, or a question or a referral to a clinic was linked "
                "to it."
            )
        ),
    )
