"""The review the Region reads (issue 23, item 4): the action plan's three figures with the
previous period and the targets, the summary tables, the workbook and the report PDF."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from forum.extensions import db
from forum.models import (
    ExpertArea,
    FacilitationStatus,
    Organisation,
    OrganisationKind,
    Role,
    Visibility,
)
from forum.services import answers, clinics, facilitations, projects, referral_introductions
from forum.services.projects import ProjectDraft, SessionDraft
from forum.services.review import export as review_export
from forum.services.review import figures as review
from forum.services.review import report as review_report
from forum.services.review import summary as review_summary
from forum.services.review.export import ExportFormat
from forum.services.review.period import Period
from tests.factories import agree_both_sides, ask_question

PERIOD = Period(date(2026, 3, 1), date(2026, 8, 31))
PREVIOUS = Period(date(2025, 8, 29), date(2026, 2, 28))  # as many days, ending the day before
INSIDE = datetime(2026, 5, 10, 9, 0, tzinfo=UTC)
EARLIER = datetime(2025, 11, 10, 9, 0, tzinfo=UTC)  # in the previous period


def _at(row, when):
    row.created_at = when
    db.session.commit()
    return row


def _answered(author, expert, title, asked, answered, **options):
    question = _at(ask_question(author, title=title, **options), asked)
    return question, _at(
        answers.post_answer(question, expert, "The answer, with its reasons."), answered
    )


@pytest.fixture
def cast(make_user):
    alfa = Organisation(name="Alfa Medical", kind=OrganisationKind.SME)
    beta = Organisation(name="Beta Sensors", kind=OrganisationKind.START_UP)
    db.session.add_all([alfa, beta])
    db.session.commit()
    asker, partner = make_user(name="Anna Alfa"), make_user(name="Bea Beta")
    asker.organisation, partner.organisation = alfa, beta
    db.session.commit()
    return {
        "alfa": alfa,
        "beta": beta,
        "asker": asker,
        "partner": partner,
        "admin": make_user(Role.ADMIN),
        "expert": make_user(Role.EXPERT, ExpertArea.CLINICAL, name="Elena Clinical"),
    }


def test_the_previous_period_has_as_many_days_and_ends_the_day_before():
    assert review_summary.previous_period(PERIOD) == PREVIOUS
    one_day = Period(date(2026, 3, 1), date(2026, 3, 1))
    assert review_summary.previous_period(one_day) == Period(date(2026, 2, 28), date(2026, 2, 28))


def test_a_project_with_two_beneficiaries_three_questions_and_a_session_is_counselled(
    cast, client, login
):
    project = projects.register(
        cast["admin"],
        ProjectDraft(
            title="Smart insole for diabetic foot",
            programme="POR FESR 2014-2020",
            axis="Axis I",
            call="HUB",
            starts_on=date(2025, 3, 1),
            ends_on=None,
            clinical_aims="",
            beneficiary_ids=[cast["alfa"].id, cast["beta"].id],
        ),
    )
    for number in range(3):
        question = _at(
            ask_question(
                cast["asker"] if number else cast["partner"],
                title=f"Insole question number {number} for the board",
            ),
            INSIDE,
        )
        question.project_id = project.id
    db.session.commit()
    session = projects.record_session(
        project,
        cast["expert"],
        SessionDraft(date(2026, 4, 2), [cast["expert"].id], "Private.", "Protocol by May."),
    )
    assert session.held_on in (PERIOD.start, PERIOD.end) or PERIOD.start <= session.held_on

    figures = review.build_review(PERIOD)
    counselled = figures.table("projects_counselled")
    assert counselled.title == "Funded projects counselled: 1"
    assert counselled.rows == [
        ["Smart insole for diabetic foot", "POR FESR 2014-2020 · Axis I · HUB", 2, 1, 3, 0]
    ]
    served = dict(figures.table("organisations_served_by_kind").rows)
    assert (
        served["SME"] == 1 and served["Start-up"] == 1 and served["All organisations served"] == 2
    )
    workload = {row[0]: row for row in figures.table("expert_workload").rows}
    assert workload["Clinical practice"][1] == 1 and workload["Clinical practice"][4] == 1
    # Nothing counselled in the previous period.
    assert review.build_review(PREVIOUS).table("projects_counselled").rows == []

    login(cast["admin"])
    page = client.get("/review?from=2026-03-01&to=2026-08-31").get_data(as_text=True)
    section = page.split('aria-labelledby="table-projects_counselled"', 1)[1].split(
        "</section>", 1
    )[0]
    assert "Smart insole for diabetic foot" in section


def test_the_three_figures_come_with_the_previous_period_and_the_targets(cast):
    asker, expert = cast["asker"], cast["expert"]
    _answered(asker, expert, "Answered in the period, asked before it", EARLIER, INSIDE)
    _answered(asker, expert, "Asked and answered in the period too", INSIDE, INSIDE)
    _answered(asker, expert, "Asked and answered in the previous period", EARLIER, EARLIER)
    review_report.save_report(
        cast["admin"],
        PERIOD.start,
        PERIOD.end,
        review_report.ReportDraft(
            target_visits=5000,
            target_questions_answered=4,
            target_trials=3,
            summary="",
            highlights="",
            next_steps="",
        ),
    )
    rows = {row[0]: row for row in review.build_review(PERIOD).table("summary").rows}
    assert rows["Questions answered"][1:] == [2, 1, 4, 50.0]
    assert rows["Visits"][1:4] == [0, 0, 5000]
    assert rows["Clinical trials facilitated"][1:4] == [0, 0, 3]


def _published_by_the_board(question, when):
    from forum.services.accounts import creation
    from tests.factories import published_board_answer

    board = [
        creation.create_user(
            email=f"board{n}.q{question.id}@example.org",
            display_name=f"Board {n} of question {question.id}",
            password="a-long-password-1",
            role=Role.EXPERT,
            area=area,
            is_chair=n == 0,
        )
        for n, area in enumerate(
            (ExpertArea.UNIVERSITY, ExpertArea.RESEARCH, ExpertArea.REGULATORY)
        )
    ]
    published = published_board_answer(question, board, "The board's answer.")
    published.published_at = when
    db.session.commit()
    return published


def test_the_boards_share_and_the_median_time_to_a_first_answer(cast):
    asker, expert = cast["asker"], cast["expert"]
    _answered(
        asker, expert, "One answered in two hours by an expert", INSIDE, INSIDE.replace(hour=11)
    )
    question = _at(ask_question(asker, title="One answered in four hours by the board"), INSIDE)
    _published_by_the_board(question, INSIDE.replace(hour=13))
    figures = dict(review.build_review(PERIOD).table("answers_in_period").rows)
    assert figures["Questions answered (first answer in the period)"] == 2
    assert figures["Of which with a published board answer"] == 1
    assert figures["The board's share of the questions answered (%)"] == 50.0
    assert figures["Median hours from the question to its first answer"] == 3.0


def test_a_question_counts_in_the_period_of_its_first_answer_only(cast, count_queries):
    asker, expert = cast["asker"], cast["expert"]
    after = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    # Answered before the period and again in it: the previous period's.
    question, _ = _answered(asker, expert, "First answered earlier", EARLIER, EARLIER)
    _at(answers.post_answer(question, expert, "A second answer, in the period."), INSIDE)
    # Published by the board before the period, then an expert's answer in it.
    question = _at(ask_question(asker, title="The board answered earlier"), EARLIER)
    _published_by_the_board(question, EARLIER.replace(hour=12))
    _at(answers.post_answer(question, expert, "An expert's answer, in the period."), INSIDE)
    # Answered only after the period's end.
    _answered(asker, expert, "Answered after the period", INSIDE, after)
    # An expert first, then the board, both in the period: counted once, with the board.
    question, _ = _answered(asker, expert, "Expert then board", INSIDE, INSIDE.replace(hour=10))
    _published_by_the_board(question, INSIDE.replace(hour=15))
    # The board's answer published after the period's end does not count as the board's.
    question, _ = _answered(asker, expert, "Board after the end", INSIDE, INSIDE.replace(hour=12))
    _published_by_the_board(question, after)

    with count_queries() as executed:
        figures = review_summary.answering(PERIOD)
    assert len(executed) == 1
    assert (figures.answered, figures.by_board) == (2, 1)
    assert sorted(figures.waits_in_hours) == [1.0, 3.0]
    previous = review_summary.answering(PREVIOUS)
    assert (previous.answered, previous.by_board) == (2, 1)


def test_trials_are_counted_by_device_class_and_stage(cast):
    clinic = clinics.create_clinic(
        cast["admin"], clinics.ClinicDraft(name="Clinica T", city="Pavia")
    )
    question = _at(
        ask_question(cast["asker"], title="Which clinic for our first study?"),
        datetime(2026, 1, 5, tzinfo=UTC),
    )
    referral = facilitations.refer(question, clinic, cast["expert"], "Fits.", on=date(2026, 1, 6))
    agree_both_sides(referral, on=date(2026, 2, 1))
    facilitations.advance(
        referral, cast["expert"], FacilitationStatus.TRIAL_STARTED, date(2026, 4, 1), "Step."
    )
    # An expert's word alone is not counted: the member confirms the start.
    assert sum(row[1] for row in review.build_review(PERIOD).table("trials_by_stage").rows) == 0
    referral_introductions.confirm_trial_start(referral, question.author)
    figures = review.build_review(PERIOD)
    assert dict(figures.table("trials_by_device_class").rows)["Class IIb"] == 1
    assert dict(figures.table("trials_by_stage").rows)["Prototype"] == 1
    assert sum(row[1] for row in figures.table("trials_by_stage").rows) == 1
    assert {row[0]: row[1] for row in figures.table("summary").rows}[
        "Clinical trials facilitated"
    ] == 1


def test_the_workbook_opens_on_a_summary_sheet_with_styled_headers_and_numbers(cast):
    _answered(
        cast["asker"], cast["expert"], "Answered in the period for the workbook", INSIDE, INSIDE
    )
    review_report.save_report(
        cast["admin"], PERIOD.start, PERIOD.end, review_report.ReportDraft(10, 20, 2, "", "", "")
    )
    workbook = load_workbook(
        io.BytesIO(review_export.export(review.build_review(PERIOD), ExportFormat.XLSX))
    )
    assert workbook.sheetnames[0] == "Summary"
    assert (
        "Projects counselled" in workbook.sheetnames
        and "Trials by device class" in workbook.sheetnames
    )
    summary = workbook["Summary"]
    assert summary["A1"].value == "Six-month review"
    assert summary["B2"].value.date() == PERIOD.start and summary["B3"].value.date() == PERIOD.end
    assert summary["A5"].value == "Figure" and summary["A5"].font.bold
    assert summary.freeze_panes == "A6"
    rows = {row[0]: row for row in summary.iter_rows(min_row=6, max_row=8, values_only=True)}
    assert rows["Questions answered"][1:4] == (1, 0, 20)
    assert isinstance(rows["Visits"][1], int)
    sheet = workbook["Experts' workload"]
    assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width >= len("Clinical practice")


def test_the_workbook_has_sheet_names_in_the_readers_language(app, cast):
    from flask_babel import force_locale

    with force_locale("it"):
        workbook = load_workbook(
            io.BytesIO(review_export.export(review.build_review(PERIOD), ExportFormat.XLSX))
        )
    assert workbook.sheetnames[0] == "Sintesi"
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    assert len(set(workbook.sheetnames)) == len(workbook.sheetnames)


def test_the_report_pdf_has_the_three_figures_previous_period_and_targets_on_page_1(
    cast, client, login
):
    _answered(
        cast["asker"], cast["expert"], "Answered in the period for the report", INSIDE, INSIDE
    )
    login(cast["admin"])
    response = client.post(
        "/review/report?from=2026-03-01&to=2026-08-31",
        data={
            "target_visits": "4321",
            "target_questions_answered": "77",
            "target_trials": "6",
            "summary": "A steady half year.",
            "highlights": "The HUB projects.",
            "next_steps": "More clinics.",
        },
    )
    assert response.status_code == 302
    response = client.get("/review/report.pdf?from=2026-03-01&to=2026-08-31&lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    first = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    flat = " ".join(first.split())
    for text in (
        "Visits",
        "Questions answered",
        "Clinical trials facilitated",
        "Previous period (2025-08-29 to 2026-02-28)",
        "4,321",
        "77",
        "6",
        "A steady half year.",
    ):
        assert text in flat, text


def test_the_report_pdf_is_printed_in_italian_on_request(cast, client, login):
    login(cast["admin"])
    response = client.get("/review/report.pdf?from=2026-03-01&to=2026-08-31&lang=it")
    first = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "Riesame semestrale" in first
    assert client.get("/review/report.pdf?lang=xx").status_code == 400


def test_a_bad_target_is_explained_beside_its_field_and_nothing_is_saved(cast, client, login):
    login(cast["admin"])
    response = client.post(
        "/review/report?from=2026-03-01&to=2026-08-31",
        data={"target_visits": "-5", "target_questions_answered": "many", "summary": "Kept text."},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A target is a whole number from 0 to" in page and "Kept text." in page
    assert review_report.report_for(PERIOD.start, PERIOD.end).saved is None


def test_targets_carry_over_to_a_later_period_until_saved_for_it(cast):
    review_report.save_report(
        cast["admin"],
        PREVIOUS.start,
        PREVIOUS.end,
        review_report.ReportDraft(100, 10, 1, "", "", ""),
    )
    carried = review_report.report_for(PERIOD.start, PERIOD.end)
    assert carried.targets == {"visits": 100, "questions_answered": 10, "trials": 1}
    assert carried.saved is None and carried.carried_from is not None
    assert review_report.report_for(date(2025, 1, 1), date(2025, 6, 30)).targets["visits"] is None


def test_confidential_questions_leak_nothing_into_the_review_or_its_exports(cast):
    _answered(
        cast["asker"],
        cast["expert"],
        "Our secret catheter prototype needs a pathway",
        INSIDE,
        INSIDE,
        visibility=Visibility.CONFIDENTIAL,
    )
    figures = review.build_review(PERIOD)
    texts = [review_export.export(figures, ExportFormat.JSON).decode()]
    assert all(
        "catheter" not in text and "Alfa Medical" not in text and "Anna" not in text
        for text in texts
    )


def test_the_page_shows_the_figures_first_with_how_visits_are_counted_and_titled_charts(
    cast, client, login, count_queries
):
    login(cast["admin"])
    with count_queries() as empty:
        page = client.get("/review?from=2026-03-01&to=2026-08-31").get_data(as_text=True)
    assert page.index("headline-figures") < page.index('aria-labelledby="table-visits_by_month"')
    assert "each day&#39;s distinct visitors" in page or "each day's distinct visitors" in page
    for key in (
        "summary",
        "organisations_served_by_kind",
        "expert_workload",
        "trials_by_device_class",
        "trials_by_stage",
    ):
        section = page.split(f'aria-labelledby="table-{key}"', 1)[1].split("</section>", 1)[0]
        assert '<figcaption class="chart-title">' in section and "<svg" in section
        assert '<table class="data-table">' in section
    for number in range(4):
        _answered(
            cast["asker"], cast["expert"], f"Answered question number {number} here", INSIDE, INSIDE
        )
    with count_queries() as full:
        client.get("/review?from=2026-03-01&to=2026-08-31")
    assert len(full) == len(empty)


def test_organisations_served_are_also_counted_by_province_region_and_country(cast):
    cast["alfa"].province, cast["alfa"].region, cast["alfa"].country = "MI", "Lombardia", "IT"
    cast["beta"].province, cast["beta"].region, cast["beta"].country = None, None, "NL"
    db.session.commit()
    for author in (cast["asker"], cast["asker"], cast["partner"]):
        _at(
            ask_question(author, title=f"A question from {author.display_name} for the board"),
            INSIDE,
        )

    figures = review.build_review(PERIOD)
    assert figures.table("organisations_served_by_province").rows == [
        ["MI", 1],
        ["Not recorded", 1],
        ["All organisations served", 2],
    ]
    assert figures.table("organisations_served_by_region").rows == [
        ["Lombardia", 1],
        ["Not recorded", 1],
        ["All organisations served", 2],
    ]
    assert sorted(figures.table("organisations_served_by_country").rows[:2]) == [
        ["Italy", 1],
        ["Netherlands", 1],
    ]
