"""The demo centre: loads through the services, is idempotent and believable."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.demo.former_member import PUBLIC_TITLE
from forum.demo.moderation import DEMO_MODERATION_QUESTIONS
from forum.demo.questions import DEMO_QUESTIONS
from forum.extensions import db
from forum.models import (
    Answer,
    EmailFrequency,
    ExpertArea,
    FaqEntry,
    Notification,
    OutboxMessage,
    Question,
    QuestionStatus,
    Role,
    User,
    Visibility,
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_loads_a_believable_centre_and_prints_the_accounts(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin@ctcc.example" in result.output and "giulia-demo-2026" in result.output
    # The demo questions, the two of the member who deleted their account, and the adverts
    # the moderators handled.
    assert _count(Question) == len(DEMO_QUESTIONS) + 2 + DEMO_MODERATION_QUESTIONS
    assert len(DEMO_QUESTIONS) >= 20
    areas = set(db.session.scalars(select(User.area).where(User.role == Role.EXPERT)))
    assert areas == set(ExpertArea)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.is_chair)) >= 1
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Question)
            .where(Question.visibility == Visibility.CONFIDENTIAL)
        )
        >= 3
    )
    statuses = set(db.session.scalars(select(Question.status)))
    assert statuses == set(QuestionStatus)
    assert _count(FaqEntry) >= 5
    shortest = db.session.scalar(select(func.min(func.length(Answer.body))))
    assert shortest > 600  # substantive answers, not one-liners


def test_seed_demo_twice_adds_nothing_more(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    counts = [_count(model) for model in (User, Question, Answer, FaqEntry)]
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert [_count(model) for model in (User, Question, Answer, FaqEntry)] == counts
    assert "0 accounts and 0 questions" in second.output


def test_demo_accounts_can_log_in_and_every_demo_page_renders(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    assert (
        client.post(
            "/login",
            data={"email": "anna.colombo@brianza-medtech.example", "password": "anna-demo-2026"},
        ).status_code
        == 302
    )
    for question_id in db.session.scalars(select(Question.id)):
        assert client.get(f"/questions/{question_id}").status_code in (200, 404)
    assert client.get("/faq").status_code == 200


# --- the demo's dates tell a possible story -------------------------------------------------

# D.Lgs. 137/2022 Art. 16 and MDR Art. 70: validation within 10 days of the application,
# or after a completion cycle (10 + 20 days for the sponsor, 5 for the Ministry, each of
# the Ministry's periods extendable by 5); authorisation within 45 days of validation,
# 65 with experts; the 30-day route starts at the earliest 30 days after validation.
LONGEST_VALIDATION = 10 + 5 + 10 + 20 + 5 + 5
LONGEST_AUTHORISATION = 45 + 20
THIRTY_DAY_WAIT = 30


def _demo_question(title_start: str) -> dict:
    from forum.demo.questions import DEMO_QUESTIONS

    matches = [item for item in DEMO_QUESTIONS if item["title"].startswith(title_start)]
    assert len(matches) == 1, title_start
    return matches[0]


def test_every_demo_referral_steps_forward_in_time_after_its_question():
    from forum.demo.clinics import DEMO_REFERRALS

    for referral in DEMO_REFERRALS:
        days = [step[1] for step in referral["steps"]]
        assert days == sorted(days, reverse=True) and len(set(days)) == len(days), referral
        assert _demo_question(referral["question"])["days_ago"] > days[0], referral["question"]


def test_no_demo_trial_starts_before_the_approvals_its_route_needs():
    """Every referral that reached "trial started": ethics opinion, application, validation
    and (on the authorisation route) authorisation come in the law's order and within its
    periods, all after the question was asked, and the start comes after the wait."""
    from forum.demo.clinics import DEMO_REFERRALS
    from forum.models import FacilitationStatus

    started = [
        item
        for item in DEMO_REFERRALS
        if any(step[0] == FacilitationStatus.TRIAL_STARTED for step in item["steps"])
    ]
    assert started, "the demo should show at least one trial that started"
    for referral in started:
        question = _demo_question(referral["question"])
        start = next(
            step[1] for step in referral["steps"] if step[0] == FacilitationStatus.TRIAL_STARTED
        )
        milestones = referral.get("regulatory")
        assert milestones, f"{referral['question']!r} started without its regulatory dates"
        route = milestones["route"]
        # Class III is always on the authorisation route (D.Lgs. 137/2022 Art. 16).
        assert route == "authorisation" or question["device_class"] != "III"
        assert question["days_ago"] > milestones["ethics_opinion"] >= milestones["submitted"]
        waited = milestones["submitted"] - milestones["validated"]
        assert 0 < waited <= LONGEST_VALIDATION, referral["question"]
        if route == "authorisation":
            decided = milestones["validated"] - milestones["authorised"]
            assert 0 < decided <= LONGEST_AUTHORISATION, referral["question"]
            assert start < milestones["authorised"], referral["question"]
        else:
            assert route == "30-day"
            assert start <= milestones["validated"] - THIRTY_DAY_WAIT, referral["question"]


# MDR Art. 77(5): the clinical investigation report within one year of the end.
REPORT_WITHIN = 365


def test_every_demo_outcome_follows_the_end_and_the_report_comes_within_a_year():
    """A report is submitted within a year of the trial's completion, and a CE mark comes
    after the completion and after the report, in every demo referral that has them."""
    from forum.demo.clinics import DEMO_REFERRALS
    from forum.models import FacilitationStatus as S

    outcomes = 0
    for referral in DEMO_REFERRALS:
        days = {status: days_ago for status, days_ago, _who, _note in referral["steps"]}
        if S.REPORT_SUBMITTED in days:
            assert 0 < days[S.COMPLETED] - days[S.REPORT_SUBMITTED] <= REPORT_WITHIN, referral
            outcomes += 1
        if S.CE_MARKED in days:
            assert days[S.CE_MARKED] < days[S.COMPLETED], referral
            assert days[S.CE_MARKED] < days.get(S.REPORT_SUBMITTED, days[S.COMPLETED]), referral
            outcomes += 1
    assert outcomes >= 2


def test_the_demo_follows_one_referral_all_the_way_to_a_ce_mark(app, client):
    """The demo's oldest thread: a member's class IIa device, referred, agreed by both
    sides, started (confirmed by the member), enrolled, completed, reported and CE-marked,
    all before the review's current and previous periods. Its question is confidential:
    the member who asked and the board see it and its referral, another member neither."""
    from forum import calendar
    from forum.models import (
        DeviceClass,
        Facilitation,
        TrialConfirmation,
    )
    from forum.models import (
        FacilitationStatus as S,
    )
    from forum.services.review import period as review_period
    from forum.services.review import summary as review_summary

    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    referral = db.session.scalar(select(Facilitation).where(Facilitation.status == S.CE_MARKED))
    assert [step.status for step in referral.steps] == [
        S.PROPOSED,
        S.CONTACTED,
        S.AGREED,
        S.TRIAL_STARTED,
        S.ENROLLED,
        S.COMPLETED,
        S.REPORT_SUBMITTED,
        S.CE_MARKED,
    ]
    assert referral.contacts_released_at is not None
    assert referral.trial_confirmation == TrialConfirmation.MEMBER
    question = referral.question
    assert question.device_class in (DeviceClass.CLASS_IIA, DeviceClass.CLASS_IIB)
    assert question.visibility == Visibility.CONFIDENTIAL
    today = calendar.today()
    asked = calendar.day_of(question.created_at)
    assert 600 <= (today - asked).days <= 915  # 20 to 30 months before the seed
    before = review_summary.previous_period(review_period.parse_period(None, None, today))
    assert max(step.occurred_on for step in referral.steps) < before.start

    pages = (f"/questions/{question.id}", f"/facilitations/{referral.id}")
    for email, password, status in (
        ("matteo.bruno@cardioflow.example", "matteo-demo-2026", 200),
        ("paolo.conti@policlinico.example", "paolo-demo-2026", 200),
        ("anna.colombo@brianza-medtech.example", "anna-demo-2026", 404),
    ):
        client.post("/login", data={"email": email, "password": password})
        for path in pages:
            response = client.get(path)
            assert response.status_code == status, (email, path)
            if status == 200:
                assert "CE mark obtained" in response.get_data(as_text=True), (email, path)
        client.post("/logout")
    assert client.get(pages[0]).status_code == 404

    # Seeding again adds no second thread nor a second referral.
    runner.invoke(args=["seed-demo"])
    assert (
        db.session.scalar(
            select(func.count()).select_from(Facilitation).where(Facilitation.status == S.CE_MARKED)
        )
        == 1
    )
    assert (
        db.session.scalar(
            select(func.count()).select_from(Question).where(Question.title == question.title)
        )
        == 1
    )


def test_the_loaded_demo_records_no_trial_start_before_its_question(app):
    """The same story in the database the demo loads: each "trial started" step is dated
    after the question and after the wait its route needs."""
    from datetime import timedelta

    from forum import calendar
    from forum.demo.clinics import DEMO_REFERRALS
    from forum.models import Clinic, Facilitation, FacilitationStatus, FacilitationStep

    app.test_cli_runner().invoke(args=["seed-demo"])
    today = calendar.today()
    rows = db.session.execute(
        select(FacilitationStep.occurred_on, Question.title, Question.created_at, Clinic.name)
        .join(Facilitation, Facilitation.id == FacilitationStep.facilitation_id)
        .join(Question, Question.id == Facilitation.question_id)
        .join(Clinic, Clinic.id == Facilitation.clinic_id)
        .where(FacilitationStep.status == FacilitationStatus.TRIAL_STARTED)
    ).all()
    assert rows
    for started_on, title, asked_at, clinic in rows:
        referral = next(
            item
            for item in DEMO_REFERRALS
            if title.startswith(item["question"]) and item["clinic"] == clinic
        )
        milestones = referral["regulatory"]
        assert started_on > asked_at.date()
        if milestones["route"] == "authorisation":
            assert started_on > today - timedelta(days=milestones["authorised"])
        else:
            assert started_on >= today - timedelta(days=milestones["validated"] - THIRTY_DAY_WAIT)


def test_the_demo_writes_the_centres_four_pages_in_both_languages(app, client):
    from forum.models import CentrePage, CentrePageRevision
    from forum.services import centre_pages

    app.test_cli_runner().invoke(args=["seed-demo"])
    for page in CentrePage:
        revision = centre_pages.current(page)
        assert revision.body_en and revision.body_it, page
        for headers, expected in (
            ({"Accept-Language": "en-GB"}, revision.title_en),
            ({"Accept-Language": "it-IT"}, revision.title_it),
        ):
            shown = client.get(f"/{page.value}", headers=headers).get_data(as_text=True)
            assert f"<h1>{expected}</h1>" in shown.replace("&#39;", "'"), (page, headers)
    # The terms in two revisions (English, then Italian); the contact page in two (its
    # English gained a paragraph after the Italian: the demo's outdated translation).
    assert _count(CentrePageRevision) == 6
    assert centre_pages.current(CentrePage.CONTACT).italian_outdated_since is not None
    # Every demo account accepted the notice, so logging in leads straight on.
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.privacy_version_accepted.is_(None))
        )
        == 0
    )
    client.post(
        "/login",
        data={"email": "anna.colombo@brianza-medtech.example", "password": "anna-demo-2026"},
    )
    assert client.get("/questions").status_code == 200
    app.test_cli_runner().invoke(args=["seed-demo"])
    assert _count(CentrePageRevision) == 6


def test_the_demo_shows_each_email_choice_and_a_former_member(app, client):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])

    def person(email: str) -> User:
        return db.session.scalar(select(User).where(User.email == email))

    def notes(user: User, *condition) -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, *condition)
        )

    def digests_to(user: User) -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.recipient == user.email, OutboxMessage.subject.contains("digest"))
        )

    elena, sara = person("elena.russo@irbl.example"), person("sara.galli@valtellina-md.example")
    assert elena.email_frequency == EmailFrequency.DAILY
    assert sara.email_frequency == EmailFrequency.WEEKLY
    assert person("davide.ricci@neurosense.example").email_frequency == EmailFrequency.NONE
    assert (
        person("anna.colombo@brianza-medtech.example").email_frequency == EmailFrequency.IMMEDIATE
    )
    # A digest already sent, and news waiting for the next one.
    assert digests_to(elena) == 1
    assert notes(elena, Notification.digested_at.is_not(None)) > 0
    assert notes(elena, Notification.awaits_digest.is_(True)) > 0
    assert notes(sara, Notification.awaits_digest.is_(True)) > 0
    # The former member's public question stays, under the neutral name.
    question_id = db.session.scalar(select(Question.id).where(Question.title == PUBLIC_TITLE))
    page = client.get(f"/questions/{question_id}").get_data(as_text=True)
    assert "Former member" in page and "Luca Ferrari" not in page
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.email.contains("luca.ferrari"))
        )
        == 0
    )
    # A second run changes nothing of it.
    runner.invoke(args=["seed-demo"])
    assert digests_to(elena) == 1
    assert (
        db.session.scalar(
            select(func.count()).select_from(Question).where(Question.title == PUBLIC_TITLE)
        )
        == 1
    )


def test_the_demo_has_two_funded_projects_with_sessions_and_the_reviews_targets(app, client):
    from forum.models import CounsellingSession, FundedProject

    app.test_cli_runner().invoke(args=["seed-demo"])
    projects = list(db.session.scalars(select(FundedProject).order_by(FundedProject.id)))
    assert len(projects) == 2 and all(len(project.beneficiaries) == 2 for project in projects)
    assert _count(CounsellingSession) == 3
    linked = db.session.scalar(
        select(func.count()).select_from(Question).where(Question.project_id.is_not(None))
    )
    assert linked == 5
    # Davide's start-up is a beneficiary of the first project; Anna's SME of none.
    client.post(
        "/login", data={"email": "davide.ricci@neurosense.example", "password": "davide-demo-2026"}
    )
    page = client.get(f"/projects/{projects[0].id}").get_data(as_text=True)
    assert "IRBL revises the information sheet" in page and "not considered" not in page
    assert client.get(f"/projects/{projects[1].id}").status_code == 404
    client.post("/logout")
    client.post("/login", data={"email": "admin@ctcc.example", "password": "giulia-demo-2026"})
    review_page = client.get("/review").get_data(as_text=True)
    assert "Target: 4,500" in review_page and "Funded projects counselled: 2" in review_page


def test_the_demo_attaches_a_protocol_synopsis_that_only_its_readers_open(app, client):
    """Anna's confidential handpiece question carries a real PDF, stored as uploads are: a
    visitor gets 404 for it, Anna and the board's experts download it."""
    from forum.models import Attachment

    app.test_cli_runner().invoke(args=["seed-demo"])
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.name == "protocol-synopsis.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.question.title.startswith("Which pathway for a first clinical study")
    url = f"/attachments/{attachment.id}/{attachment.name}"
    assert client.get(url).status_code == 404
    for email, password in (
        ("anna.colombo@brianza-medtech.example", "anna-demo-2026"),
        ("chiara.marino@ctcc.example", "chiara-demo-2026"),
    ):
        client.post("/login", data={"email": email, "password": password})
        response = client.get(url)
        assert response.status_code == 200, email
        assert response.data.startswith(b"%PDF-") and len(response.data) == attachment.size
        page = client.get(f"/questions/{attachment.question.id}").get_data(as_text=True)
        assert f'href="{url}"' in page, email  # listed under the question
        client.post("/logout")
