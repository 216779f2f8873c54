"""The review's Lombardy–Limburg network section: organisations mapped per region and kind,
introductions by their state at the period's end, visits held, joint project ideas and
proposals; read as at the period's end, in every export, in both languages."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader

from forum import calendar
from forum.extensions import db
from forum.models import (
    FundingProgramme,
    Introduction,
    IntroductionState,
    IntroductionStep,
    MatchmakingRound,
    NetworkRegion,
    OrganisationKind,
    StudyVisit,
    VisitKind,
    VisitStatus,
)
from forum.services.review import export as review_export
from forum.services.review import figures as review
from forum.services.review import network as review_network
from forum.services.review.export import ExportFormat
from forum.services.review.period import Period
from tests.factories import make_network_profile

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
# The period's bounds in the forum's time zone (Europe/Rome, the tests' setting).
ROME = ZoneInfo("Europe/Rome")
START = datetime(2026, 1, 1, tzinfo=ROME)
END = datetime(2026, 7, 1, tzinfo=ROME)
BEFORE = START - timedelta(seconds=1)  # the last moment before the period
INSIDE = START + timedelta(days=40)
AFTER = END  # the first moment after the period (its end is exclusive)


@pytest.fixture
def world(people):
    """Organisations of both regions, a round, and introductions whose steps straddle the
    period's edges."""
    at = START - timedelta(days=90)
    lab = make_network_profile(
        "Lombard MedTech Lab",
        NetworkRegion.LOMBARDY,
        kind=OrganisationKind.RESEARCH,
        created_at=at,
    )
    campus = make_network_profile(
        "Maas Health Campus", NetworkRegion.LIMBURG, kind=OrganisationKind.CLUSTER, created_at=at
    )
    ortho = make_network_profile("OrthoTech Limburg B.V.", NetworkRegion.LIMBURG, created_at=INSIDE)
    stealth = make_network_profile(
        "Stealth Implants S.r.l.", NetworkRegion.LOMBARDY, listed=False, created_at=INSIDE
    )
    late = make_network_profile("Late Joiner S.r.l.", NetworkRegion.LOMBARDY, created_at=AFTER)
    round_ = MatchmakingRound(title="Spring round 2026")
    db.session.add(round_)
    db.session.commit()

    def introduce(first, second, steps, created_at=START - timedelta(days=30), **values):
        first, second = sorted((first, second), key=lambda profile: profile.id)
        introduction = Introduction(
            round_id=round_.id,
            first_profile_id=first.id,
            second_profile_id=second.id,
            created_at=created_at,
            **values,
        )
        db.session.add(introduction)
        db.session.flush()
        for state, moment in steps:
            db.session.add(
                IntroductionStep(introduction_id=introduction.id, state=state, recorded_at=moment)
            )
        db.session.commit()
        return introduction

    S = IntroductionState
    introductions = {
        # Agreed inside the period, after a proposal just before it.
        "agreed": introduce(
            lab, campus, [(S.PROPOSED, BEFORE - timedelta(days=3)), (S.AGREED, INSIDE)]
        ),
        # A project idea just before the period: not one of the period's ideas.
        "early_idea": introduce(
            lab, ortho, [(S.PROJECT_IDEA, BEFORE)], project_title="Knee scaffold"
        ),
        # An idea in the period, declined later in the period.
        "declined": introduce(
            stealth,
            campus,
            [
                (S.MET, INSIDE),
                (S.PROJECT_IDEA, INSIDE + timedelta(days=1)),
                (S.DECLINED, INSIDE + timedelta(days=20)),
            ],
            project_title="Smart implant coating",
        ),
        # Met in the period; its proposal just after the end waits for the next period.
        "late_proposal": introduce(
            ortho,
            stealth,
            [(S.MET, INSIDE), (S.PROPOSAL_SUBMITTED, AFTER)],
            project_title="Late one",
        ),
        # A proposal submitted in the period, with its programme and call.
        "proposal": introduce(
            campus,
            ortho,
            [(S.PROJECT_IDEA, INSIDE), (S.PROPOSAL_SUBMITTED, INSIDE + timedelta(days=30))],
            project_title="=Rehab at home",
            programme=FundingProgramme.HORIZON_EUROPE,
            call_reference="HORIZON-HLTH-2027-DISEASE-01",
        ),
        # Made in the period, no step yet: proposed.
        "fresh": introduce(lab, stealth, [], created_at=INSIDE),
        # Made after the period: not counted.
        "future": introduce(campus, late, [], created_at=AFTER),
    }

    def visit(title, status, starts_on, participants):
        row = StudyVisit(
            kind=VisitKind.STUDY_VISIT,
            status=status,
            title=title,
            starts_on=starts_on,
            place="Maastricht",
            participants=participants,
        )
        db.session.add(row)
        db.session.commit()
        return row

    visit("Delegation to Maastricht", VisitStatus.HELD, date(2026, 3, 10), [lab, campus, stealth])
    visit("Held before the period", VisitStatus.HELD, date(2025, 12, 31), [lab])
    visit("Held on the last day", VisitStatus.HELD, date(2026, 6, 30), [])
    visit("Planned in the period", VisitStatus.PLANNED, date(2026, 4, 1), [campus])
    visit("Cancelled in the period", VisitStatus.CANCELLED, date(2026, 4, 2), [campus])
    return introductions


def test_the_edges_are_the_periods_own_bounds(app):
    assert PERIOD.bounds() == (START, END)


def _tables(period=PERIOD) -> dict:
    return {table.key: table for table in review_network.network_tables(period)}


def test_organisations_are_counted_by_kind_and_region_as_at_the_periods_end(world):
    table = _tables()["network_organisations"]
    assert table.columns[1:] == ["Lombardy", "Limburg", "Elsewhere", "Total"]
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Research organisation"] == [1, 0, 0, 1]
    assert rows["Cluster"] == [0, 1, 0, 1]
    # OrthoTech (Limburg) and the unlisted Lombard SME, not the one created after the end.
    assert rows["SME"] == [1, 1, 0, 2]
    assert rows["All kinds"] == [2, 2, 0, 4]


def test_introductions_are_in_the_state_of_their_last_step_by_the_periods_end(world):
    counts = dict(_tables()["network_introductions"].rows)
    assert counts == {
        "Introduction proposed": 1,  # made in the period, no step yet
        "Both agreed to meet": 1,
        "Met": 1,  # its proposal came just after the end
        "Project idea": 1,  # the idea of just before the start
        "Joint proposal submitted": 1,
        "Declined or stopped": 1,  # declined after its project idea
    }


def test_joint_ideas_and_proposals_are_the_steps_recorded_in_the_period(world):
    rows = _tables()["network_joint_projects"].rows
    assert [(row[1], row[3]) for row in rows] == [
        ("Project idea", "=Rehab at home"),
        ("Project idea", "Smart implant coating"),
        ("Joint proposal submitted", "=Rehab at home"),
    ]
    declined = rows[1]
    # Its state at the end says what became of it; the unlisted side is not named.
    assert declined[6] == "Declined or stopped"
    assert "Stealth" not in declined[2]
    assert "An unlisted organisation (Lombardy)" in declined[2]
    assert "Maas Health Campus (Limburg)" in declined[2]
    proposal = rows[2]
    assert proposal[4:6] == ["Horizon Europe", "HORIZON-HLTH-2027-DISEASE-01"]
    assert proposal[0] == calendar.day_of(INSIDE + timedelta(days=30)).isoformat()
    figures = dict(_tables()["network_figures"].rows)
    assert figures["Joint project ideas recorded in the period"] == 2
    assert figures["Joint proposals submitted in the period"] == 1
    assert figures["Introductions made by the period's end"] == 6
    assert figures["Organisations in the directory at the period's end"] == 4


def test_the_visits_held_are_those_held_that_started_in_the_period(world):
    rows = _tables()["network_visits"].rows
    assert [(row[0], row[5]) for row in rows] == [
        ("Delegation to Maastricht", 3),
        ("Held on the last day", 0),
    ]
    assert dict(_tables()["network_figures"].rows)["Visits held in the period"] == 2


def test_a_period_before_anything_is_empty_but_complete(world):
    tables = _tables(Period(date(2024, 1, 1), date(2024, 6, 30)))
    assert tables["network_joint_projects"].rows == []
    assert tables["network_visits"].rows == []
    assert all(count == 0 for _, count in tables["network_introductions"].rows)
    assert tables["network_organisations"].rows == [["All kinds", 0, 0, 0, 0]]


def test_the_section_runs_a_fixed_number_of_queries(people, count_queries):
    def queries() -> int:
        with count_queries() as statements:
            review_network.network_tables(PERIOD)
        return len(statements)

    few = queries()
    lab = make_network_profile("Lab", NetworkRegion.LOMBARDY, created_at=INSIDE)
    round_ = MatchmakingRound(title="Round")
    db.session.add(round_)
    db.session.flush()
    for number in range(4):
        other = make_network_profile(f"Partner {number}", NetworkRegion.LIMBURG, created_at=INSIDE)
        introduction = Introduction(
            round_id=round_.id,
            first_profile_id=lab.id,
            second_profile_id=other.id,
            created_at=INSIDE,
            project_title=f"Idea {number}",
        )
        db.session.add(introduction)
        db.session.flush()
        db.session.add(
            IntroductionStep(
                introduction_id=introduction.id,
                state=IntroductionState.PROJECT_IDEA,
                recorded_at=INSIDE,
            )
        )
        db.session.add(
            StudyVisit(
                kind=VisitKind.STUDY_VISIT,
                status=VisitStatus.HELD,
                title=f"Visit {number}",
                starts_on=date(2026, 2, 1 + number),
                place="Milan",
                participants=[lab, other],
            )
        )
    db.session.commit()
    assert queries() == few == 4


def test_every_export_carries_the_section_with_formulas_neutralised(world):
    built = review.build_review(PERIOD)
    assert [table.key for table in built.tables][-5:] == [
        "network_figures",
        "network_organisations",
        "network_introductions",
        "network_visits",
        "network_joint_projects",
    ]
    archive = zipfile.ZipFile(io.BytesIO(review_export.export(built, ExportFormat.CSV)))
    rows = list(csv.reader(io.StringIO(archive.read("network_joint_projects.csv").decode())))
    assert rows[1][3] == "'=Rehab at home"
    workbook = load_workbook(io.BytesIO(review_export.export(built, ExportFormat.XLSX)))
    sheet = workbook["Network joint projects"]
    assert sheet["D2"].value == "'=Rehab at home"
    document = json.loads(review_export.export(built, ExportFormat.JSON))
    keys = [table["key"] for table in document["tables"]]
    assert "network_visits" in keys


def test_the_workbook_in_italian_names_the_kinds_in_italian(app, world):
    with force_locale("it"):
        workbook = load_workbook(
            io.BytesIO(review_export.export(review.build_review(PERIOD), ExportFormat.XLSX))
        )
        sheet_name = str(review_export.SHEET_NAMES["network_organisations"])
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    assert len(set(workbook.sheetnames)) == len(workbook.sheetnames)
    kinds = [row[0] for row in workbook[sheet_name].iter_rows(min_row=2, values_only=True)]
    assert "Organismo di ricerca" in kinds and "PMI" in kinds
    with force_locale("en"):
        workbook = load_workbook(
            io.BytesIO(review_export.export(review.build_review(PERIOD), ExportFormat.XLSX))
        )
    kinds = [
        row[0] for row in workbook["Network organisations"].iter_rows(min_row=2, values_only=True)
    ]
    assert "Research organisation" in kinds and "SME" in kinds


def test_the_review_page_and_the_pdf_show_the_section(world, client, login, people):
    login(people.admin)
    page = client.get("/review?from=2026-01-01&to=2026-06-30").get_data(as_text=True)
    assert '<h2 class="review-section"' in page
    assert "Lombardy–Limburg network" in page
    assert page.index("Lombardy–Limburg network") < page.index("Joint project ideas and proposals")
    response = client.get("/review/report.pdf?from=2026-01-01&to=2026-06-30&lang=en")
    assert response.status_code == 200
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages
    )
    assert "Lombardy–Limburg network" in text and "Delegation to Maastricht" in text
