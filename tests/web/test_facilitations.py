"""Referrals of questions to clinics: who refers, the steps, who sees them, what the review counts."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import current_app
from sqlalchemy import func, select, update

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    Clinic,
    Facilitation,
    FacilitationStatus,
    FacilitationStep,
    OrganisationKind,
    Question,
    ReferralMessage,
    Role,
    User,
    Visibility,
)
from forum.services import (
    clinics,
    facilitation_figures,
    facilitations,
    referral_introductions,
    referral_reading,
)
from forum.services.accounts import creation
from forum.services.clinics import ClinicDraft
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.review import period as review_period
from forum.services.review import summary as review_summary
from tests.factories import agree_both_sides, ask_question

S = FacilitationStatus


@dataclass
class People:
    admin: User
    expert: User
    other_expert: User
    author: User
    other_member: User


@pytest.fixture
def people(make_user) -> People:
    author = make_user(name="Anna Colombo")
    author.organisation = creation.get_or_create_organisation(
        "Brianza MedTech", OrganisationKind.SME
    )
    db.session.commit()
    return People(
        admin=make_user(Role.ADMIN),
        expert=make_user(Role.EXPERT, name="Dr Paolo Conti"),
        other_expert=make_user(Role.EXPERT),
        author=author,
        other_member=make_user(name="Davide Ricci"),
    )


@pytest.fixture
def clinic(people) -> Clinic:
    return clinics.create_clinic(
        people.admin,
        ClinicDraft(
            name="Centro Cardiologico Ambrosiano",
            city="Milano",
            specialties="Cardiology",
            contact_email="trials@example.org",
        ),
    )


@pytest.fixture
def question(people) -> Question:
    return _asked_days_ago(people.author, 400, title="Which site for our class III catheter study?")


def _asked_days_ago(author: User, days: int, **kwargs) -> Question:
    """A question backdated, so referrals can be dated in the past: asked at noon of the
    forum's local day ``days`` before today, so that ``_ago(days)`` is its day whatever
    the hour the test runs (near midnight, across a daylight-saving change)."""
    question = ask_question(author, **kwargs)
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    question.created_at = datetime.combine(_ago(days), time(12), tzinfo=zone)
    db.session.commit()
    return question


def _today() -> date:
    return calendar.today()


def _ago(days: int) -> date:
    return _today() - timedelta(days=days)


def _refer(people, question, clinic, days_ago: int = 30) -> Facilitation:
    return facilitations.refer(
        question, clinic, people.expert, "Their unit fits the study.", on=_ago(days_ago)
    )


def _walk(facilitation, people, *moves):
    """Move the referral by the expert's steps; "agreed" by both sides' acceptance (an
    expert cannot record it), dated as asked."""
    for status, days_ago in moves:
        if status == S.AGREED:
            agree_both_sides(facilitation, on=_ago(days_ago))
        else:
            facilitations.advance(
                facilitation, people.expert, status, _ago(days_ago), f"Now {status}."
            )
    return facilitation


# --- referring -----------------------------------------------------------------------


def test_an_expert_refers_a_question_and_the_referral_starts_proposed(people, question, clinic):
    facilitation = _refer(people, question, clinic, days_ago=3)
    assert facilitation.status == S.PROPOSED and facilitation.trial_started_on is None
    assert facilitation.expert_id == people.expert.id and facilitation.clinic_id == clinic.id
    assert facilitation.organisation_id == people.author.organisation_id is not None
    (step,) = facilitation.steps
    assert (step.status, step.occurred_on, step.recorded_by_id) == (
        S.PROPOSED,
        _ago(3),
        people.expert.id,
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.subject_type == "Facilitation"))
    assert entry.action == AuditAction.FACILITATION_PROPOSED
    assert (entry.actor_id, entry.subject_id, entry.question_id) == (
        people.expert.id,
        facilitation.id,
        question.id,
    )


def test_an_expert_refers_from_the_page(client, login, people, question, clinic):
    login(people.expert)
    page = client.get(f"/questions/{question.id}/refer").get_data(as_text=True)
    assert "Centro Cardiologico Ambrosiano (Milano)" in page and _today().isoformat() in page
    response = client.post(
        f"/questions/{question.id}/refer",
        data={
            "clinic": str(clinic.id),
            "occurred_on": _ago(1).isoformat(),
            "note": "Their catheterisation lab ran two first-in-human studies.",
        },
    )
    assert response.status_code == 302
    facilitation = db.session.scalar(select(Facilitation))
    assert response.headers["Location"].endswith(f"/facilitations/{facilitation.id}")
    assert facilitation.steps[0].occurred_on == _ago(1)


def test_only_experts_and_admins_refer(client, login, people, question, clinic):
    login(people.admin)
    assert client.get(f"/questions/{question.id}/refer").status_code == 200
    for who in (people.author, people.other_member):
        login(who)
        assert client.get(f"/questions/{question.id}/refer").status_code == 403
        response = client.post(
            f"/questions/{question.id}/refer",
            data={"clinic": str(clinic.id), "occurred_on": _today().isoformat(), "note": "Try."},
        )
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            facilitations.refer(question, clinic, who, "Try.")
    assert db.session.scalar(select(func.count()).select_from(Facilitation)) == 0


def test_visitors_are_sent_to_log_in(client, question, clinic):
    for url in (f"/questions/{question.id}/refer", "/facilitations", "/facilitations/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_unknown_or_hidden_question_cannot_be_referred(client, login, people, clinic):
    secret = ask_question(
        people.author,
        title="A confidential question about our catheter",
        visibility=Visibility.CONFIDENTIAL,
    )
    login(people.expert)
    assert client.get("/questions/999/refer").status_code == 404
    assert client.get("/questions/99999999999999999999999/refer").status_code == 404
    assert client.get(f"/questions/{secret.id}/refer").status_code == 200  # experts see it
    login(people.other_member)
    assert client.get(f"/questions/{secret.id}/refer").status_code == 404


def test_a_referral_form_with_errors_comes_back_with_messages_and_input(
    client, login, people, question, clinic
):
    login(people.expert)
    url = f"/questions/{question.id}/refer"
    response = client.post(
        url,
        data={"clinic": str(clinic.id), "occurred_on": _ago(-1).isoformat(), "note": "Kept note."},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The date cannot be in the future." in page and 'id="occurred_on-error"' in page
    assert "Kept note." in page
    response = client.post(
        url, data={"clinic": str(clinic.id), "occurred_on": _today().isoformat(), "note": "  "}
    )
    assert response.status_code == 422
    assert 'id="note-error"' in response.get_data(as_text=True)
    response = client.post(url, data={"clinic": "", "occurred_on": "yesterday", "note": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose a clinic." in page
    assert 'id="occurred_on-error"' in page
    response = client.post(url, data={"clinic": "abc", "occurred_on": "2020-02-30", "note": "x"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Facilitation)) == 0


def test_a_referral_cannot_precede_the_question(people, clinic):
    question = _asked_days_ago(people.author, 10)
    with pytest.raises(RuleViolation) as refused:
        facilitations.refer(question, clinic, people.expert, "Early.", on=_ago(11))
    assert refused.value.field == "occurred_on"
    assert "before the question was asked" in str(refused.value.message)


def test_an_inactive_clinic_is_not_offered_nor_accepted(client, login, people, question, clinic):
    other = clinics.create_clinic(
        people.admin, ClinicDraft(name="Clinica Chiusa", city="Lecco", hosts_device_studies=False)
    )
    clinics.deactivate(clinic, people.admin)
    with pytest.raises(RuleViolation) as refused:
        _refer(people, question, clinic)
    assert refused.value.field == "clinic"
    login(people.expert)
    page = client.get(f"/questions/{question.id}/refer").get_data(as_text=True)
    assert "Centro Cardiologico Ambrosiano" not in page and "Clinica Chiusa" in page
    response = client.post(
        f"/questions/{question.id}/refer",
        data={"clinic": str(clinic.id), "occurred_on": _today().isoformat(), "note": "x"},
    )
    assert response.status_code == 422
    assert other.id  # still offered, among the clinics not hosting device studies


def test_clinics_hosting_device_studies_are_offered_first(people):
    for name, hosts in (
        ("A Clinic Without Studies", False),
        ("B Clinic With Studies", True),
        ("C Clinic With Studies", True),
    ):
        clinics.create_clinic(
            people.admin, ClinicDraft(name=name, city="Milano", hosts_device_studies=hosts)
        )
    assert [clinic.name for clinic in clinics.referral_choices()] == [
        "B Clinic With Studies",
        "C Clinic With Studies",
        "A Clinic Without Studies",
    ]


def test_the_same_clinic_twice_is_refused_while_the_first_is_under_way(people, question, clinic):
    first = _refer(people, question, clinic)
    with pytest.raises(RuleViolation) as refused:
        _refer(people, question, clinic)
    assert refused.value.field == "clinic"
    _walk(first, people, (S.DECLINED, 20))
    assert _refer(people, question, clinic, days_ago=10).status == S.PROPOSED


# --- the steps -----------------------------------------------------------------------


def test_a_referral_moves_through_every_step_to_trial_started(people, question, clinic):
    facilitation = _refer(people, question, clinic, days_ago=60)
    _walk(facilitation, people, (S.CONTACTED, 50), (S.AGREED, 40))
    assert facilitation.trial_started_on is None
    facilitations.advance(facilitation, people.admin, S.TRIAL_STARTED, _ago(30), "First patient.")
    facilitation = db.session.get(Facilitation, facilitation.id)
    assert facilitation.status == S.TRIAL_STARTED and facilitation.trial_started_on == _ago(30)
    assert [(step.status, step.occurred_on) for step in facilitation.steps] == [
        (S.PROPOSED, _ago(60)),
        (S.CONTACTED, _ago(50)),
        (S.AGREED, _ago(40)),
        (S.TRIAL_STARTED, _ago(30)),
    ]
    assert facilitation.steps[-1].recorded_by_id == people.admin.id
    details = list(
        db.session.scalars(
            select(AuditEntry.detail)
            .where(AuditEntry.action == AuditAction.FACILITATION_ADVANCED)
            .order_by(AuditEntry.id)
        )
    )
    # "Agreed" came from both sides' answers, audited as such, not as an expert's step.
    assert details == ["proposed → contacted", "agreed → trial-started"]
    assert facilitations.next_statuses(facilitation) == (S.ENROLLED, S.ABANDONED)


@pytest.mark.parametrize("path", [[], [S.CONTACTED], [S.CONTACTED, S.AGREED]])
def test_a_referral_can_be_declined_from_any_step_before_the_trial(people, question, clinic, path):
    facilitation = _refer(people, question, clinic, days_ago=10)
    _walk(facilitation, people, *[(status, 9) for status in path])
    facilitations.advance(facilitation, people.expert, S.DECLINED, _ago(5), "No capacity.")
    assert facilitation.status == S.DECLINED and facilitation.trial_started_on is None


@pytest.mark.parametrize(
    "path, move, words",
    [
        ([], S.AGREED, "waits for both sides"),
        ([], S.TRIAL_STARTED, "waits for both sides"),
        ([], S.PROPOSED, "waits for both sides"),
        ([S.CONTACTED], S.TRIAL_STARTED, "waits for both sides"),
        ([S.CONTACTED], S.AGREED, "when both the member and the clinic accept"),
        ([S.CONTACTED, S.AGREED], S.CONTACTED, "moves to “trial started”"),
        ([S.CONTACTED, S.AGREED, S.TRIAL_STARTED], S.DECLINED, "first subject enrolled"),
        ([S.DECLINED], S.CONTACTED, "was declined"),
    ],
)
def test_moves_out_of_order_are_refused_with_a_message(people, question, clinic, path, move, words):
    facilitation = _refer(people, question, clinic, days_ago=10)
    _walk(facilitation, people, *[(status, 9) for status in path])
    before = facilitation.status
    with pytest.raises(RuleViolation) as refused:
        facilitations.advance(facilitation, people.expert, move, _ago(1), "Skip ahead.")
    assert refused.value.field == "status" and words in str(refused.value.message)
    db.session.rollback()
    assert db.session.get(Facilitation, facilitation.id).status == before
    assert len(db.session.get(Facilitation, facilitation.id).steps) == len(path) + 1


def test_step_dates_cannot_be_in_the_future_nor_before_the_previous_step(people, question, clinic):
    facilitation = _refer(people, question, clinic, days_ago=10)
    _walk(facilitation, people, (S.CONTACTED, 5), (S.AGREED, 5))
    for day, words in (
        (_ago(-1), "cannot be in the future"),
        (_ago(6), "cannot be before the previous step"),
    ):
        with pytest.raises(RuleViolation) as refused:
            facilitations.advance(facilitation, people.expert, S.TRIAL_STARTED, day, "Started.")
        assert refused.value.field == "occurred_on" and words in str(refused.value.message)
    # The same day as the previous step, and today, are fine.
    facilitations.advance(facilitation, people.expert, S.TRIAL_STARTED, _ago(5), "Started.")
    facilitations.advance(facilitation, people.expert, S.ENROLLED, _today(), "Enrolled.")
    with pytest.raises(RuleViolation):
        facilitations.refer(
            ask_question(people.author, title="A fresh question to refer"),
            facilitation.clinic,
            people.expert,
            "Later.",
            on=_ago(-1),
        )


def test_a_step_recorded_by_someone_else_a_moment_before_wins(people, question, clinic):
    facilitation = _refer(people, question, clinic, days_ago=10)
    # Another worker moves it; this session's object still says "proposed".
    db.session.execute(
        update(Facilitation)
        .where(Facilitation.id == facilitation.id)
        .values(status=S.CONTACTED)
        .execution_options(synchronize_session=False)
    )
    assert facilitation.status == S.PROPOSED
    with pytest.raises(RuleViolation) as refused:
        facilitations.advance(facilitation, people.expert, S.CONTACTED, _ago(1), "Called.")
    assert "Someone has just recorded another step" in str(refused.value.message)
    assert db.session.scalar(select(func.count()).select_from(FacilitationStep)) == 1


def test_the_member_records_no_board_step_and_others_none_at_all(
    client, login, people, question, clinic
):
    """The member who asked records the start and what follows (tests/web/test_referral_
    introductions.py), never "contacted" nor, before the agreement, "declined"."""
    facilitation = _refer(people, question, clinic)
    with pytest.raises(RuleViolation):
        facilitations.advance(facilitation, people.author, S.CONTACTED, _today(), "Called.")
    db.session.rollback()
    login(people.author)
    response = client.post(
        f"/facilitations/{facilitation.id}/advance",
        data={"status": "contacted", "occurred_on": _today().isoformat(), "note": "Called."},
    )
    assert response.status_code == 422
    assert "Only the board" in response.get_data(as_text=True)
    with pytest.raises(PermissionDenied):
        facilitations.advance(facilitation, people.other_member, S.CONTACTED, _today(), "x")
    login(people.other_member)
    response = client.post(
        f"/facilitations/{facilitation.id}/advance",
        data={"status": "contacted", "occurred_on": _today().isoformat(), "note": "Called."},
    )
    assert response.status_code == 404
    assert db.session.get(Facilitation, facilitation.id).status == S.PROPOSED


def test_an_expert_records_a_step_from_the_page_and_errors_come_back(
    client, login, people, question, clinic
):
    facilitation = _refer(people, question, clinic, days_ago=10)
    url = f"/facilitations/{facilitation.id}"
    login(people.other_expert)
    page = client.get(url).get_data(as_text=True)
    assert "Record the next step" in page and 'value="contacted"' in page
    assert 'value="agreed"' not in page  # only the allowed moves are offered
    response = client.post(
        url + "/advance",
        data={"status": "agreed", "occurred_on": _today().isoformat(), "note": "Skipped a step."},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "waits for both sides" in page and "Skipped a step." in page
    response = client.post(
        url + "/advance",
        data={"status": "contacted", "occurred_on": _ago(11).isoformat(), "note": "Too early."},
    )
    assert response.status_code == 422
    assert "cannot be before the previous step" in response.get_data(as_text=True)
    for bad in ({"status": "unknown"}, {"status": ""}, {"occurred_on": "not a date"}):
        data = {"status": "contacted", "occurred_on": _today().isoformat(), "note": "x", **bad}
        assert client.post(url + "/advance", data=data).status_code == 422
    response = client.post(
        url + "/advance",
        data={
            "status": "contacted",
            "occurred_on": _today().isoformat(),
            "note": "Called the unit.",
        },
    )
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Called the unit." in page and "Clinic contacted" in page
    _walk(db.session.get(Facilitation, facilitation.id), people, (S.DECLINED, 0))
    response = client.post(
        url + "/advance",
        data={"status": "agreed", "occurred_on": _today().isoformat(), "note": "After all."},
    )
    assert response.status_code == 422 and "was declined" in response.get_data(as_text=True)
    assert client.post("/facilitations/999/advance", data={}).status_code == 404


# --- who sees what ---------------------------------------------------------------------


def test_the_author_sees_the_referrals_of_their_questions_and_not_others(
    client, login, people, question, clinic
):
    mine = _refer(people, question, clinic)
    theirs = _refer(
        people,
        _asked_days_ago(people.other_member, 100, title="Davide's public question on EEG"),
        clinic,
    )
    assert referral_reading.referrals_for_member(people.author) == [mine]
    login(people.author)
    page = client.get("/facilitations").get_data(as_text=True)
    assert "My referrals" in page and question.title in page
    assert "Davide&#39;s public question on EEG" not in page
    page = client.get(f"/facilitations/{mine.id}").get_data(as_text=True)
    assert "Their unit fits the study." in page and "Centro Cardiologico Ambrosiano" in page
    assert "trials@example.org" not in page  # the contact stays with experts and admins
    assert client.get(f"/facilitations/{theirs.id}").status_code == 404
    assert client.get("/facilitations/999").status_code == 404
    assert client.get("/facilitations/99999999999999999999999").status_code == 404


def test_a_confidential_questions_referral_never_shows_to_another_member(
    client, login, people, clinic
):
    secret = _asked_days_ago(
        people.author,
        50,
        title="Confidential: our catheter's first site",
        visibility=Visibility.CONFIDENTIAL,
    )
    facilitation = _refer(people, secret, clinic)
    login(people.other_member)
    assert client.get(f"/facilitations/{facilitation.id}").status_code == 404
    assert client.get(f"/questions/{secret.id}").status_code == 404
    for url in ("/facilitations", f"/clinics/{clinic.id}", "/clinics"):
        page = client.get(url).get_data(as_text=True)
        assert "our catheter&#39;s first site" not in page and "Their unit fits" not in page
    assert referral_reading.referrals_for_question(people.other_member, secret) == []
    assert referral_reading.load_facilitation(people.other_member, facilitation.id) is None
    # The author, experts and admins see it.
    for who in (people.author, people.expert, people.admin):
        login(who)
        assert client.get(f"/facilitations/{facilitation.id}").status_code == 200
        assert "our catheter&#39;s first site" in client.get("/facilitations").get_data(
            as_text=True
        )


def test_experts_and_admins_see_every_referral_and_filter_by_status(
    client, login, people, question, clinic
):
    proposed = _refer(people, question, clinic)
    other_question = _asked_days_ago(people.other_member, 90, title="Another member's question")
    declined = _walk(_refer(people, other_question, clinic), people, (S.DECLINED, 1))
    for who in (people.other_expert, people.admin):
        login(who)
        page = client.get("/facilitations").get_data(as_text=True)
        assert "Referrals to clinics" in page and "2 referrals" in page
        page = client.get("/facilitations?status=declined").get_data(as_text=True)
        assert "1 referral" in page and f"/facilitations/{declined.id}" in page
        assert f'/facilitations/{proposed.id}"' not in page
        response = client.get("/facilitations?status=bogus")
        assert response.status_code == 400 and "Not a valid choice" in response.get_data(
            as_text=True
        )
    assert referral_reading.all_referrals(people.expert, S.PROPOSED).items == [proposed]
    with pytest.raises(PermissionDenied):
        referral_reading.all_referrals(people.author)


def test_the_question_page_shows_referrals_to_those_allowed(
    client, login, people, question, clinic
):
    _refer(people, question, clinic)
    url = f"/questions/{question.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Referrals to clinics" not in page
    login(people.other_member)
    assert "Referrals to clinics" not in client.get(url).get_data(as_text=True)
    login(people.author)
    page = client.get(url).get_data(as_text=True)
    assert "Referrals to clinics" in page and "Centro Cardiologico Ambrosiano" in page
    assert "Refer to a clinic" not in page
    login(people.admin)  # admins refer too
    page = client.get(url).get_data(as_text=True)
    assert "Centro Cardiologico Ambrosiano" in page and "Refer to a clinic" in page
    login(people.expert)
    page = client.get(url).get_data(as_text=True)
    assert "Centro Cardiologico Ambrosiano" in page and "Refer to a clinic" in page
    # An expert sees the link on a question without referrals too.
    fresh = ask_question(people.other_member, title="A question nobody referred yet")
    assert "Refer to a clinic" in client.get(f"/questions/{fresh.id}").get_data(as_text=True)


# --- queries -------------------------------------------------------------------------


def test_the_question_page_costs_the_same_queries_with_more_referrals(
    client, login, people, clinic, count_queries
):
    made = itertools.count()

    def with_referrals(count: int) -> int:
        question = _asked_days_ago(people.author, 30, title=f"A question with {count} referrals")
        for _ in range(count):
            other = clinics.create_clinic(
                people.admin, ClinicDraft(name=f"Clinic {next(made)}", city="Milano")
            )
            _walk(_refer(people, question, other), people, (S.CONTACTED, 2))
        return question.id

    warm_up, one, many = with_referrals(1), with_referrals(1), with_referrals(6)
    login(people.author)

    def queries(question_id: int) -> int:
        with count_queries() as statements:
            assert client.get(f"/questions/{question_id}").status_code == 200
        return len(statements)

    # A first request warms the reader's session; the two counted pages are both first
    # renders (a page seen before is served from the page cache in one query).
    queries(warm_up)
    assert queries(one) == queries(many)


@pytest.mark.parametrize("who", ["expert", "author"])
def test_the_referral_list_runs_a_fixed_number_of_queries(
    client, login, people, clinic, count_queries, who
):
    login(getattr(people, who))

    def add(count: int) -> None:
        for number in range(count):
            question = _asked_days_ago(people.author, 30, title=f"Question {number} of {count}")
            experts = (people.expert, people.other_expert)
            facilitation = facilitations.refer(
                question, clinic, experts[number % 2], "Fits.", on=_ago(20)
            )
            _walk(facilitation, people, (S.CONTACTED, 10))

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/facilitations").status_code == 200
        return len(statements)

    add(1)
    few = queries()
    add(8)
    assert queries() == few


def test_the_referral_page_runs_a_fixed_number_of_queries(
    client, login, people, question, clinic, count_queries
):
    short = _refer(people, question, clinic, days_ago=10)
    other = clinics.create_clinic(people.admin, ClinicDraft(name="Second Clinic", city="Pavia"))
    long = _walk(
        _refer(people, question, other, days_ago=10),
        people,
        (S.CONTACTED, 8),
        (S.AGREED, 6),
        (S.TRIAL_STARTED, 4),
    )
    login(people.admin)

    def queries(facilitation_id: int) -> int:
        with count_queries() as statements:
            assert client.get(f"/facilitations/{facilitation_id}").status_code == 200
        return len(statements)

    assert queries(short.id) == queries(long.id)


# --- the review's figures -----------------------------------------------------------------


def _trial(
    people, question, clinic_name: str, started: date, confirmed: bool = True
) -> Facilitation:
    """A referral whose trial started on ``started``: recorded by the member who asked
    (confirmed), or by the expert alone (unconfirmed)."""
    clinic = clinics.create_clinic(people.admin, ClinicDraft(name=clinic_name, city="Milano"))
    referred = started - timedelta(days=30)
    facilitation = facilitations.refer(question, clinic, people.expert, "Fits.", on=referred)
    facilitations.advance(
        facilitation, people.expert, S.CONTACTED, referred + timedelta(days=5), "Called."
    )
    agree_both_sides(facilitation, on=referred + timedelta(days=10))
    facilitations.advance(
        facilitation,
        question.author if confirmed else people.expert,
        S.TRIAL_STARTED,
        started,
        "Started.",
    )
    return facilitation


def test_trials_facilitated_counts_exactly_the_trials_started_in_the_range(people, question):
    start, end = _ago(180), _ago(10)
    _trial(people, question, "Inside, first day", start)
    _trial(people, question, "Inside, middle", _ago(90))
    _trial(people, question, "Inside, last day", end)
    _trial(people, question, "Outside, a day late", end + timedelta(days=1))
    _trial(people, question, "Outside, a day early", start - timedelta(days=1))
    agreed = clinics.create_clinic(people.admin, ClinicDraft(name="Agreed only", city="Milano"))
    _walk(_refer(people, question, agreed, days_ago=100), people, (S.CONTACTED, 90), (S.AGREED, 80))
    declined = clinics.create_clinic(people.admin, ClinicDraft(name="Declined", city="Milano"))
    _walk(_refer(people, question, declined, days_ago=100), people, (S.DECLINED, 50))
    # An expert's word alone is shown apart, and counts once a side confirms it.
    unconfirmed = _trial(people, question, "Inside, the expert's word", _ago(60), confirmed=False)
    assert facilitation_figures.trials_started_unconfirmed(start, end) == 1
    assert facilitation_figures.trials_facilitated(start, end) == 3
    # Later steps and outcomes keep a trial counted.
    later = db.session.scalar(
        select(Facilitation).join(Clinic).where(Clinic.name == "Inside, middle")
    )
    facilitations.advance(later, people.expert, S.ENROLLED, _ago(80), "First subject.")
    facilitations.advance(later, people.expert, S.ABANDONED, _ago(70), "Sponsor out of funds.")
    assert facilitation_figures.trials_facilitated(start, end) == 3
    referral_introductions.confirm_trial_start(unconfirmed, question.author)
    assert facilitation_figures.trials_started_unconfirmed(start, end) == 0
    assert facilitation_figures.trials_facilitated(start, end) == 4
    facilitations.advance(unconfirmed, people.expert, S.ENROLLED, _ago(50), "First subject.")
    assert facilitation_figures.trials_facilitated(_ago(60), _ago(60)) == 1
    assert facilitation_figures.trials_facilitated(_ago(90), _ago(90)) == 1
    assert facilitation_figures.trials_facilitated(_today(), _today()) == 0


def test_facilitations_by_status_counts_referrals_made_in_the_range_by_status_now(people, question):
    start, end = _ago(100), _ago(20)
    _trial(people, question, "Referred 90 days ago, started 60", _ago(60))
    # Referred in the range, started after it: trial started here, not in trials_facilitated.
    _trial(people, question, "Referred 35 days ago, started 5", _ago(5))
    for name, moves, days_ago in (
        ("Proposed 50 days ago", (), 50),
        ("Declined", ((S.DECLINED, 40),), 50),
        ("Before the range", (), 101),
        ("After the range", (), 19),
    ):
        clinic = clinics.create_clinic(people.admin, ClinicDraft(name=name, city="Milano"))
        _walk(_refer(people, question, clinic, days_ago=days_ago), people, *moves)
    counts = facilitation_figures.facilitations_by_status(start, end)
    assert list(counts) == list(FacilitationStatus)
    assert counts == {
        **{status: 0 for status in FacilitationStatus},
        S.PROPOSED: 1,
        S.TRIAL_STARTED: 2,
        S.DECLINED: 1,
    }
    assert facilitation_figures.trials_facilitated(start, end) == 1
    assert facilitation_figures.facilitations_by_status(_today(), _today()) == {
        status: 0 for status in FacilitationStatus
    }


# --- the demo ----------------------------------------------------------------------------


def test_the_demo_refers_questions_at_every_status_and_seeding_twice_adds_nothing(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    def counts() -> list[int]:
        return [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Clinic, Facilitation, FacilitationStep)
        ]

    first = counts()
    assert 8 <= first[0] <= 10
    # Every status is met, as a referral's status now or as a step on its way: the CE mark
    # too, on the demo's oldest thread (issue 23), two years back.
    statuses = set(db.session.scalars(select(Facilitation.status)))
    statuses |= set(db.session.scalars(select(FacilitationStep.status)))
    assert statuses == set(FacilitationStatus)
    started = list(
        db.session.scalars(select(Facilitation).where(Facilitation.trial_started_on.is_not(None)))
    )
    assert (
        len(started) >= 3
        and len({(f.trial_started_on.year, f.trial_started_on.month) for f in started}) >= 3
    )
    # The confirmed and the verified count; the expert's word alone is shown apart. The
    # review's default period counts the confirmed starts in it; the CE-marked trial
    # started long before, so neither that period nor the one before it counts it.
    confirmed = [f for f in started if f.trial_confirmation is not None]
    assert {f.trial_confirmation.value for f in confirmed} == {"member", "admin"}
    period = review_period.parse_period(None, None, _today())
    before = review_summary.previous_period(period)
    in_period = [f for f in confirmed if f.trial_started_on >= period.start]
    assert 2 <= len(in_period) < len(confirmed)
    assert facilitation_figures.trials_facilitated(period.start, period.end) == len(in_period)
    assert facilitation_figures.trials_facilitated(before.start, before.end) == 0
    assert facilitation_figures.trials_started_unconfirmed(period.start, period.end) == 1
    assert db.session.scalar(select(func.count()).select_from(ReferralMessage)) >= 2
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Facilitation)
            .where(
                Facilitation.clinic_decision == "accepted", Facilitation.member_decision.is_(None)
            )
        )
        == 1
    )
    assert all(
        clinic.contact_email.endswith("@example.org") and "(demo)" in clinic.name
        for clinic in db.session.scalars(select(Clinic))
    )
    # The referrals of the last six months, and the CE-marked one wholly before the
    # previous period: it adds to no figure of the review's two periods.
    ce_marked = db.session.scalar(select(Facilitation).where(Facilitation.status == S.CE_MARKED))
    steps = list(db.session.scalars(select(FacilitationStep)))
    assert all(
        period.start <= step.occurred_on <= _today()
        for step in steps
        if step.facilitation_id != ce_marked.id
    )
    assert all(step.occurred_on < before.start for step in ce_marked.steps)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts() == first
    assert client.get("/clinics").status_code == 200
    for facilitation_id in db.session.scalars(select(Facilitation.id)):
        assert client.get(f"/facilitations/{facilitation_id}").status_code == 302  # log in first
    client.post(
        "/login", data={"email": "marco.bellini@ateneo.example", "password": "marco-demo-2026"}
    )
    for facilitation_id in db.session.scalars(select(Facilitation.id)):
        assert client.get(f"/facilitations/{facilitation_id}").status_code == 200
    assert client.get("/facilitations").status_code == 200
