"""The six-month review: each figure against data built for it, the period, exports and privacy."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from forum import calendar
from forum.extensions import db
from forum.models import (
    ExpertArea,
    FaqEntry,
    GuideRelease,
    GuideRevision,
    GuideSection,
    OrganisationKind,
    Role,
    StanceKind,
    Topic,
    Visibility,
)
from forum.services import answers, board, board_stances, faq
from forum.services.accounts import creation
from forum.services.errors import RuleViolation
from forum.services.guide import editing, importing
from forum.services.review import export as review_export
from forum.services.review import figures as review
from forum.services.review import period as review_period
from forum.services.review.export import ExportFormat
from forum.services.review.period import Period
from forum.services.visits import VisitCounter
from tests.factories import agree_both_sides, approved_release, ask_question

PERIOD = Period(date(2026, 3, 1), date(2026, 8, 31))
INSIDE = datetime(2026, 5, 10, 9, 0, tzinfo=UTC)
BEFORE = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
# Midnight starting 1 September in Rome: just outside the period.
PERIOD_END_NEXT_DAY = datetime(2026, 8, 31, 22, 0, tzinfo=UTC)
# Fourteen hours ahead of UTC and twelve behind: at any moment their dates differ, so at
# least one of them is not the server's date.
FAR_APART_ZONES = ("Pacific/Kiritimati", "Etc/GMT+12")


def _at(row, when):
    row.created_at = when
    db.session.commit()
    return row


# --- the period -------------------------------------------------------------------


def test_the_default_period_is_the_last_six_months():
    assert review_period.parse_period(None, None, today=date(2026, 11, 22)) == Period(
        date(2026, 5, 22), date(2026, 11, 22)
    )
    assert review_period.parse_period(None, "2026-08-31", today=date(2026, 11, 22)).start == date(
        2026, 2, 28
    )


def test_the_default_period_ends_on_the_forums_today_not_the_servers(app, client, login, make_user):
    # Kiritimati is fourteen hours ahead of UTC: for most of the day its date is not the
    # server's, so a default period read from the server's clock would end a day early.
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Pacific/Kiritimati"
    login(make_user(Role.ADMIN))
    response = client.get("/review/export?format=json")
    kiritimati_today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert json.loads(response.get_data())["period"]["to"] == kiritimati_today.isoformat()


@pytest.mark.parametrize(
    "start, end, field",
    [
        ("2026-09-01", "2026-03-01", "from"),
        ("yesterday", "2026-03-01", "from"),
        ("2026-03-01", "2026-02-30", "to"),
    ],
)
def test_a_reversed_or_impossible_period_is_refused_with_the_field_named(start, end, field):
    with pytest.raises(RuleViolation) as refused:
        review_period.parse_period(start, end, today=date(2026, 11, 22))
    assert refused.value.field == field


# --- the figures --------------------------------------------------------------------


def test_users_are_counted_by_role_and_organisation_kind(make_user):
    inside = [make_user(), make_user(), make_user(Role.EXPERT)]
    for user in inside:
        _at(user, INSIDE)
    _at(make_user(), BEFORE)
    clinic = creation.get_or_create_organisation("Clinica Demo", OrganisationKind.CLINIC)
    inside[0].organisation = clinic
    db.session.commit()

    roles = {row[0]: row[1:] for row in review.users_table(PERIOD).rows}
    assert roles["Members"] == [2, 3] and roles["Experts"] == [1, 1]
    kinds = dict(review.organisations_table(PERIOD).rows)
    assert kinds["Clinic"] == 1 and kinds["SME"] == 0


def test_questions_are_counted_by_topic_and_visibility(make_user):
    asker = make_user()
    _at(ask_question(asker, topics=("ethics-committee", "regulatory-pathway")), INSIDE)
    _at(
        ask_question(asker, visibility=Visibility.CONFIDENTIAL, topics=("ethics-committee",)),
        INSIDE,
    )
    _at(ask_question(asker, topics=("ethics-committee",)), BEFORE)
    topics = dict(review.questions_by_topic_table(PERIOD).rows)
    assert topics["Ethics committee"] == 2 and topics["Regulatory pathway"] == 1
    visibility = dict(review.questions_by_visibility_table(PERIOD).rows)
    assert visibility == {"Public": 1, "Confidential": 1}


def test_share_answered_and_time_to_first_answer(make_user):
    asker, expert = make_user(), make_user(Role.EXPERT)
    waits_in_hours = [2, 4, 10, 30]
    for hours in waits_in_hours:
        question = _at(ask_question(asker), INSIDE)
        answer = answers.post_answer(
            question, expert, "Under MDR Art. 70 the Member State validates."
        )
        answer.created_at = INSIDE + timedelta(hours=hours)
        # A later second answer does not change the first-answer time.
        later = answers.post_answer(
            question, make_user(Role.EXPERT), "Also see MDR Art. 71 on assessment."
        )
        later.created_at = INSIDE + timedelta(hours=hours + 50)
        db.session.commit()
    _at(ask_question(asker), INSIDE)  # never answered
    figures = dict(review.answering_table(PERIOD).rows)
    assert figures["Questions asked"] == 5 and figures["Questions answered"] == 4
    assert figures["Share answered (%)"] == 80.0
    assert figures["Median hours to the first expert answer"] == 7.0
    assert figures["90th percentile hours to the first expert answer"] == 30.0


def test_a_published_board_answer_counts_as_the_first_expert_answer(make_user):
    asker = make_user()
    experts = [
        make_user(Role.EXPERT, area)
        for area in (ExpertArea.RESEARCH, ExpertArea.CLINICAL, ExpertArea.REGULATORY)
    ]
    chair = make_user(Role.EXPERT, ExpertArea.UNIVERSITY, chair=True)
    question = _at(ask_question(asker), INSIDE)
    board_answer = board.open_board_answer(
        question, experts[0], "The board's view on MDR Art. 70 here."
    )
    board.submit_for_review(board_answer, experts[0])
    for expert in experts:
        board_stances.record_stance(board_answer, expert, StanceKind.ENDORSE, revision_number=1)
    board.publish(board_answer, chair)
    board_answer.published_at = INSIDE + timedelta(hours=6)
    db.session.commit()
    figures = dict(review.answering_table(PERIOD).rows)
    assert figures["Questions answered"] == 1
    assert figures["Median hours to the first expert answer"] == 6.0
    assert dict(review.curation_table(PERIOD).rows)["Board answers published"] == 1
    board_answer.published_at = PERIOD_END_NEXT_DAY
    db.session.commit()
    assert dict(review.curation_table(PERIOD).rows)["Board answers published"] == 0


SMALL_GUIDE = """# A small guide

An introduction that cites MDR Art. 70.

## Choosing the pathway

Pick the route before anything else [MDR Art. 62].

## Safety reporting

Report serious adverse events.
"""


def _faq_entry(admin, asker, expert, number: int, when: datetime) -> FaqEntry:
    question = ask_question(asker, title=f"Which pathway applies to device number {number}?")
    answer = answers.post_answer(question, expert, "Notify the Ministry under MDR Art. 70.")
    topic = db.session.scalar(select(Topic).where(Topic.slug == "regulatory-pathway"))
    entry = faq.promote_answer(
        admin,
        answer,
        question_text=f"Pathway for device {number}?",
        answer_text="Notify the Ministry (MDR Art. 70).",
        topic=topic,
    )
    return _at(entry, when)


def _edit_and_release(admin, section_title: str, number: int, when: datetime) -> None:
    """A new revision of the section, then a release with it, both dated ``when``."""
    section = db.session.scalar(select(GuideSection).where(GuideSection.title == section_title))
    revision = editing.edit_section(
        section,
        admin,
        title=section.title,
        body=f"{section.body}\n\nAddendum {number}.",
        base_number=section.current_number,
    )
    revision.created_at = when
    frozen = approved_release(f"1.{number}", f"Addendum {number}.", admin)
    frozen.released_at = when
    db.session.commit()


def test_faq_entries_guide_revisions_and_releases_are_counted_in_the_period(make_user):
    admin, asker, expert = make_user(Role.ADMIN), make_user(), make_user(Role.EXPERT)
    for number, when in enumerate(
        (INSIDE, INSIDE + timedelta(days=30), BEFORE, PERIOD_END_NEXT_DAY)
    ):
        _faq_entry(admin, asker, expert, number, when)
    importing.import_guide(SMALL_GUIDE, admin)
    db.session.execute(update(GuideRevision).values(created_at=BEFORE))  # the imported text
    frozen = approved_release("1.0", "The first text.", admin)
    frozen.released_at = BEFORE
    db.session.commit()
    _edit_and_release(admin, "Safety reporting", 1, INSIDE)
    _edit_and_release(admin, "Choosing the pathway", 2, INSIDE + timedelta(days=40))
    _edit_and_release(admin, "Safety reporting", 3, PERIOD_END_NEXT_DAY)
    assert db.session.scalar(select(func.count()).select_from(GuideRevision)) > 3
    assert db.session.scalar(select(func.count()).select_from(GuideRelease)) == 4

    figures = dict(review.curation_table(PERIOD).rows)
    assert figures["FAQ entries added"] == 2
    assert figures["Guide revisions saved"] == 2
    assert figures["Guide releases"] == 2
    assert figures["Guide versions released"] == "1.1, 1.2"
    everything = dict(review.curation_table(Period(date(2026, 1, 1), date(2026, 12, 31))).rows)
    assert everything["FAQ entries added"] == 4 and everything["Guide releases"] == 4


def test_one_visitor_reading_two_sections_in_a_day_is_one_unique_visitor(app):
    counter = VisitCounter()
    today = counter.today()
    counter.record("faq", "203.0.113.77", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    counter.record("guide", "203.0.113.77", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    counter.flush()
    table = review.visits_by_month_table(Period(today, today))
    assert [row[1:] for row in table.rows] == [[2, 1]]
    assert table.columns[2] == "Unique visitors (sum of the days)"
    assert "cannot be linked from one day to the next" in table.note
    sections = {
        row[0]: row[1:] for row in review.visits_by_section_table(Period(today, today)).rows
    }
    assert sections["FAQ"] == [1, 1] and sections["Guide"] == [1, 1]


def test_an_empty_period_gives_tables_with_headers_and_zeros(app):
    figures = review.build_review(Period(date(2020, 1, 1), date(2020, 1, 31)))
    for table in figures.tables:
        assert table.columns
    answering = dict(figures.table("answering").rows)
    assert (
        answering["Questions asked"] == 0
        and answering["Median hours to the first expert answer"] == ""
    )
    for export_format in ExportFormat:
        assert review_export.export(figures, export_format)


# --- exports and privacy -----------------------------------------------------------------


def _all_export_text(figures) -> str:
    texts = [review_export.export(figures, ExportFormat.JSON).decode()]
    for export_format in (ExportFormat.XLSX, ExportFormat.CSV):
        with zipfile.ZipFile(io.BytesIO(review_export.export(figures, export_format))) as archive:
            texts.extend(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return "\n".join(texts)


def test_no_name_email_or_confidential_text_reaches_any_export(make_user):
    member = make_user(name="Zelda Secretname")
    expert = make_user(Role.EXPERT, name="Yannick Hiddenexpert")
    for user in (member, expert):
        _at(user, INSIDE)
    question = _at(
        ask_question(
            member,
            title="Our secret catheter prototype needs a pathway",
            visibility=Visibility.CONFIDENTIAL,
        ),
        INSIDE,
    )
    answers.post_answer(question, expert, "A confidential answer about the catheter.")
    text = _all_export_text(review.build_review(PERIOD))
    for secret in ("@example.org", "Zelda", "Secretname", "Yannick", "catheter", "secret"):
        assert secret not in text


def test_csv_and_xlsx_cells_that_look_like_formulas_are_neutralised():
    figures = review_period.Review(
        PERIOD,
        [
            review_period.Table(
                "evil",
                "Evil",
                ["name", "n"],
                [
                    ['=HYPERLINK("http://x")', 1],
                    ["+1", 2],
                    ["-2", 3],
                    ["@SUM(A1)", 4],
                    ["plain", 5],
                ],
            )
        ],
    )
    with zipfile.ZipFile(io.BytesIO(review_export.export(figures, ExportFormat.CSV))) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("evil.csv").decode())))
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "plain",
    ]
    # Sheets are named by their titles in the reader's language (issue 23).
    sheet = load_workbook(io.BytesIO(review_export.export(figures, ExportFormat.XLSX)))["Evil"]
    assert sheet["A2"].value.startswith("'=") and sheet["B2"].value == 1


def test_the_json_export_has_every_table(make_user):
    document = json.loads(review_export.export(review.build_review(PERIOD), ExportFormat.JSON))
    assert document["period"] == {"from": "2026-03-01", "to": "2026-08-31"}
    keys = [table["key"] for table in document["tables"]]
    assert {"users_by_role", "questions_by_topic", "answering", "knowledge"} <= set(keys)


def test_the_cli_default_period_ends_on_the_forums_today(app, tmp_path):
    output = tmp_path / "review.json"
    for zone in FAR_APART_ZONES:
        app.config["BABEL_DEFAULT_TIMEZONE"] = zone
        result = app.test_cli_runner().invoke(
            args=["review", "export", "--format", "json", "--output", str(output)]
        )
        assert result.exit_code == 0, result.output
        forum_today = datetime.now(ZoneInfo(zone)).date()
        assert json.loads(output.read_text())["period"]["to"] == forum_today.isoformat()


def test_the_cli_writes_each_format(app, tmp_path):
    runner = app.test_cli_runner()
    for export_format in ("xlsx", "csv", "json"):
        output = tmp_path / f"review.{export_format}"
        result = runner.invoke(
            args=[
                "review",
                "export",
                "--from",
                "2026-03-01",
                "--to",
                "2026-08-31",
                "--format",
                export_format,
                "--output",
                str(output),
            ]
        )
        assert result.exit_code == 0, result.output
        assert output.stat().st_size > 0
    refused = runner.invoke(
        args=[
            "review",
            "export",
            "--from",
            "2026-09-01",
            "--to",
            "2026-03-01",
            "--output",
            str(tmp_path / "x.xlsx"),
        ]
    )
    assert refused.exit_code != 0 and "swap them" in refused.output


# --- trials facilitated, the page and its downloads --------------------------------------


def test_trials_facilitated_counts_exactly_the_trials_started_in_the_period(app, make_user):
    from forum.models import FacilitationStatus as Status
    from forum.services import clinics, facilitation_figures, facilitations

    admin, expert, asker = make_user(Role.ADMIN), make_user(Role.EXPERT), make_user()
    clinic = clinics.create_clinic(admin, clinics.ClinicDraft(name="Clinica Test", city="Pavia"))
    plans = [  # (referred on, trial started on or None)
        (date(2026, 1, 5), date(2026, 3, 1)),  # first day of the period: counts
        (date(2026, 2, 1), date(2026, 6, 15)),  # counts
        (date(2026, 4, 1), date(2026, 8, 31)),  # last day: counts
        (date(2026, 1, 2), date(2026, 2, 28)),  # the day before: does not
        (date(2026, 4, 2), None),  # agreed, never started: does not
        (date(2026, 4, 3), date(2026, 5, 1)),  # an expert's word alone: shown apart
    ]
    for number, (referred_on, started_on) in enumerate(plans):
        question = _at(
            ask_question(asker, title=f"Which clinic could host study number {number}?"),
            datetime(2025, 12, 1, tzinfo=UTC),
        )
        facilitation = facilitations.refer(question, clinic, expert, "Good fit.", on=referred_on)
        facilitations.advance(facilitation, expert, Status.CONTACTED, referred_on, "Called.")
        agree_both_sides(facilitation, on=referred_on)  # the member and the clinic
        if started_on:
            # The member who asked records the start (confirmed), but on the last plan.
            by = expert if number == len(plans) - 1 else asker
            facilitations.advance(facilitation, by, Status.TRIAL_STARTED, started_on, "Started.")
    assert facilitation_figures.trials_facilitated(PERIOD.start, PERIOD.end) == 3
    figures = review.build_review(PERIOD)
    assert figures.table("trials_facilitated").rows[0][1] == 3
    assert figures.table("trials_facilitated").rows[1][1] == 1  # not in the headline
    by_status = dict(figures.table("facilitations_by_status").rows)
    assert (
        by_status["Trial started"] == 2 and by_status["Both sides agreed"] == 1
    )  # referred in the period
    assert by_status["Proposed"] == 0


def test_only_admins_open_the_review(client, login, make_user):
    assert "/login" in client.get("/review").headers["Location"]
    for user in (make_user(), make_user(Role.EXPERT)):
        login(user)
        assert client.get("/review").status_code == 403
        assert client.get("/review/export?format=json").status_code == 403
    login(make_user(Role.ADMIN))
    page = client.get("/review?from=2026-03-01&to=2026-08-31")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in text and "Questions by topic" in text


def test_a_bad_period_on_the_page_is_explained_beside_its_field(client, login, make_user):
    login(make_user(Role.ADMIN))
    response = client.get("/review?from=2026-09-01&to=2026-03-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="period-from-error"' in page and "swap them" in page
    assert 'value="2026-09-01"' in page  # what was typed stays
    assert client.get("/review?from=31/12/2026").status_code == 400
    assert client.get("/review/export?from=nonsense").status_code == 400
    assert client.get("/review/export?format=pdf").status_code == 400


def test_the_page_offers_each_download(client, login, make_user):
    login(make_user(Role.ADMIN))
    for export_format, media_type in (("xlsx", "spreadsheetml"), ("csv", "zip"), ("json", "json")):
        response = client.get(
            f"/review/export?from=2026-03-01&to=2026-08-31&format={export_format}"
        )
        assert response.status_code == 200 and media_type in response.mimetype
        assert "ctcc-review-2026-03-01-2026-08-31" in response.headers["Content-Disposition"]


def _survey_with_answers(make_user, texts_with_consent):
    from forum.models import SurveyItemKind
    from forum.services import survey, survey_answers
    from forum.services.survey import ItemDraft

    admin = make_user(Role.ADMIN)
    poll = survey.create_survey(admin, "How useful is the forum?")
    rating = survey.add_item(
        poll, admin, ItemDraft(SurveyItemKind.LIKERT, "The answers were useful.")
    )
    remark = survey.add_item(
        poll, admin, ItemDraft(SurveyItemKind.TEXT, "Anything else?", required=False)
    )
    survey.open_survey(poll, admin)
    for score, (text, consent) in zip(("4", "2", "4"), texts_with_consent):
        survey_answers.submit_response(
            poll, {rating.id: score, remark.id: text}, user=make_user(), quote_consent=consent
        )


@pytest.mark.parametrize(
    "text, scrubbed",
    [
        (
            "Write to anna.rossi+forum@clinica-demo.example, thanks.",
            "Write to [e-mail removed], thanks.",
        ),
        (
            "Call me on +39 02 1234 5678 or 333-123-4567.",
            "Call me on [phone number removed] or [phone number removed].",
        ),
        (
            "(02) 1234 5678 after 2026-05-31, about MDR 2017/745 and ISO 14155:2020.",
            "[phone number removed] after 2026-05-31, about MDR 2017/745 and ISO 14155:2020.",
        ),
        ("About 1500 patients a year, 12 sites, version 1.2.", None),  # nothing to remove
        # issue 20, finding 18a: slashes, extensions, spelled-out and full-width at signs
        (
            "Office 02/1234567, mobile 333-123-4567x or 333.123.4567 ext. 12.",
            "Office [phone number removed], mobile [phone number removed] or [phone number removed].",
        ),
        (
            "Switchboard +39 02 1234 5678 x123, then ask.",
            "Switchboard [phone number removed], then ask.",
        ),
        (
            "Mail name(at)x.it or name [at] x [dot] it or nome (chiocciola) x (punto) it.",
            "Mail [e-mail removed] or [e-mail removed] or [e-mail removed].",
        ),
        (
            "Full-width: anna＠clinica-demo.example and anna﹫clinica．example.",
            "Full-width: [e-mail removed] and [e-mail removed].",
        ),
        # ordinary numbers stay, also side by side
        (
            "From 31/05/2026 - 30/06/2026 (2026-05-31 2026-06-30), per MDR Art. 70(7) and ISO 14155:2020.",
            None,
        ),
        (
            "In 1999, 2000 and 2001, 12.5% of 30% of 1.234.567 patients; MDR 2017/745, MDCG 2021-6, "
            "D.Lgs. 137/2022 Art. 16, EN ISO 14971:2019.",
            None,
        ),
    ],
)
def test_contact_details_are_scrubbed_from_quotes(app, text, scrubbed):
    assert review.scrub_contact_details(text) == (scrubbed or text)


def test_quoted_survey_text_reaches_the_page_and_exports_without_contact_details(
    client, login, make_user
):
    _survey_with_answers(
        make_user,
        [
            ("Great board! Reach me at zelda.quoted@example.org or +39 333 123 4567.", True),
            ("Private.", False),
        ],
    )
    figures = review.build_review(review_period.parse_period(None, None, today=calendar.today()))
    assert [row[2] for row in figures.table("survey_quotes").rows] == [
        "Great board! Reach me at [e-mail removed] or [phone number removed]."
    ]
    text = _all_export_text(figures)
    assert "Great board! Reach me at [e-mail removed]" in text
    for secret in ("zelda.quoted", "@example.org", "333 123 4567"):
        assert secret not in text
    login(make_user(Role.ADMIN))
    page = client.get("/review").get_data(as_text=True)
    assert "Great board! Reach me at [e-mail removed] or [phone number removed]." in page
    assert "zelda.quoted" not in page and "123 4567" not in page


def test_the_page_draws_the_survey_visits_by_section_and_trials_as_charts_beside_tables(
    client, login, make_user
):
    _survey_with_answers(make_user, [("Quick answers.", True), ("Slow.", False), ("Fine.", True)])
    counter = VisitCounter()
    counter.record("faq", "203.0.113.77", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    counter.flush()
    figures = review.build_review(review_period.parse_period(None, None, today=calendar.today()))
    answers_table = figures.table("survey_answers")
    assert answers_table.rows == [
        ["How useful is the forum?", "The answers were useful.", value, count]
        for value, count in (
            ("1: Strongly disagree", 0),
            ("2: Disagree", 1),
            ("3: Neither agree nor disagree", 0),
            ("4: Agree", 2),
            ("5: Strongly agree", 0),
        )
    ]
    assert len(figures.table("trials_by_month").rows) == len(figures.period.months())

    login(make_user(Role.ADMIN))
    page = client.get("/review").get_data(as_text=True)
    titles = re.findall(r'<title id="chart-\d+-title">([^<]*)</title>', page)
    assert "How useful is the forum?: The answers were useful." in titles
    assert "Visits per section: Page views" in titles
    assert "Visits per section: Unique visitors (sum of the days)" in titles
    assert "Trials started per month (confirmed)" in titles
    assert "Referrals to clinics made in the period, by status" in titles
    # Each chart's figures stay in a table beside it.
    for key in (
        "survey_answers",
        "visits_by_section",
        "trials_by_month",
        "facilitations_by_status",
    ):
        section = page.split(f'aria-labelledby="table-{key}"', 1)[1].split("</section>", 1)[0]
        assert "<svg" in section and '<table class="data-table">' in section
    assert (
        '<th scope="row">How useful is the forum?</th><td>The answers were useful.</td>'
        "<td>4: Agree</td>" in page
    )


def test_survey_free_text_reaches_the_review_only_with_consent(app, make_user):
    from forum.models import SurveyItemKind
    from forum.services import survey, survey_answers
    from forum.services.survey import ItemDraft

    admin = make_user(Role.ADMIN)
    poll = survey.create_survey(admin, "How useful is the forum?")
    rating = survey.add_item(
        poll, admin, ItemDraft(SurveyItemKind.LIKERT, "The answers were useful.")
    )
    remark = survey.add_item(
        poll, admin, ItemDraft(SurveyItemKind.TEXT, "Anything else?", required=False)
    )
    survey.open_survey(poll, admin)
    survey_answers.submit_response(
        poll,
        {rating.id: "4", remark.id: "Quote me: the board was quick."},
        user=make_user(),
        quote_consent=True,
    )
    survey_answers.submit_response(
        poll,
        {rating.id: "2", remark.id: "Private: my device is late."},
        user=make_user(),
        quote_consent=False,
    )
    figures = review.build_review(review_period.parse_period(None, None, today=calendar.today()))
    summary = {row[1]: row for row in figures.table("survey").rows}
    assert summary["The answers were useful."][3] == 2
    assert summary["The answers were useful."][4] == "mean 3.0 of 5"
    text = _all_export_text(figures)
    assert "Quote me: the board was quick." in text
    assert "Private: my device is late." not in text
