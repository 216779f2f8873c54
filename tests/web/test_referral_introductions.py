"""Referrals confirmed by both sides: the clinic's link, the double opt-in, the thread, the
trial start's confirmation, the later steps, and what the review counts."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditEntry,
    Facilitation,
    FacilitationStatus,
    Notification,
    NotificationKind,
    OrganisationKind,
    OutboxMessage,
    ReferralDecision,
    ReferralLink,
    Role,
    TrialConfirmation,
    User,
    Visibility,
)
from forum.models.columns import utcnow
from forum.services import (
    clinics,
    facilitation_figures,
    facilitations,
    referral_introductions,
    referral_links,
)
from forum.services.accounts import api_tokens, creation
from forum.services.clinics import ClinicDraft
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.review import figures as review
from forum.services.review import period as review_period
from tests.factories import ask_question, clinic_link

S = FacilitationStatus
CLINIC_EMAIL = "trials@cardio.example.org"
MEMBER_EMAIL_PART = "member"


@pytest.fixture
def side(make_user):
    """The member who asked (with an organisation), an expert, an admin, another member,
    a clinic with a contact, and a referral of the member's question to it."""
    member = make_user(name="Anna Colombo")
    member.organisation = creation.get_or_create_organisation(
        "Brianza MedTech", OrganisationKind.SME
    )
    db.session.commit()
    expert = make_user(Role.EXPERT, name="Dr Paolo Conti")
    admin = make_user(Role.ADMIN)
    other = make_user(name="Davide Ricci")
    clinic = clinics.create_clinic(
        admin,
        ClinicDraft(
            name="Centro Cardiologico Ambrosiano",
            city="Milano",
            specialties="Cardiology",
            populations="adults after a stroke",
            contact_name="Dr.ssa Laura Sala",
            contact_email=CLINIC_EMAIL,
            contact_phone="+39 02 000 001",
        ),
    )
    question = ask_question(member, title="Which site for our class III catheter study?")
    referral = facilitations.refer(question, clinic, expert, "Their unit fits the study.")

    class Side:
        pass

    found = Side()
    found.member, found.expert, found.admin, found.other = member, expert, admin, other
    found.clinic, found.question, found.referral = clinic, question, referral
    return found


def _clinic_url(side) -> str:
    """The link in the clinic's newest e-mail, as a path."""
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == CLINIC_EMAIL)
        .order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(
        r"https?://[^/\s]+(/facilitations/\d+/clinic/[A-Za-z0-9_-]+)", message.body
    ).group(1)


def _contacts_of_clinic(page: str) -> bool:
    return CLINIC_EMAIL in page or "+39 02 000 001" in page


def _contacts_of_member(side, page: str) -> bool:
    return side.member.email in page or "Anna Colombo" in page or "Brianza MedTech" in page


# --- the clinic's link ------------------------------------------------------------------


def test_referring_emails_the_clinic_a_link_of_which_only_the_hash_is_kept(side, client):
    url = _clinic_url(side)
    token = url.rsplit("/", 1)[1]
    link = db.session.scalar(select(ReferralLink))
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.sent_to == CLINIC_EMAIL and link.facilitation_id == side.referral.id
    assert link.expires_at - utcnow() > timedelta(days=29)
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == CLINIC_EMAIL)
    )
    # Italian, then English; and nothing of the member's identity before both agree.
    assert "Apri la segnalazione" in message.body and "Open the referral" in message.body
    assert side.member.email not in message.body and "Anna Colombo" not in message.body
    # The admins' outbox view hides the token: an admin cannot answer for the clinic.
    assert token not in referral_links.hide_link_tokens(message.body)
    assert "/clinic/[hidden]" in referral_links.hide_link_tokens(message.body)
    page = client.get(url)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "Centro Cardiologico Ambrosiano" in page.get_data(as_text=True)


def test_a_tampered_link_or_another_referrals_id_opens_nothing(side, client):
    url = _clinic_url(side)
    other_question = ask_question(side.other, title="Davide's question on EEG electrodes")
    other_referral = facilitations.refer(other_question, side.clinic, side.expert, "Fits.")
    swapped = url.replace(
        f"/facilitations/{side.referral.id}/", f"/facilitations/{other_referral.id}/"
    )
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    for bad in (
        swapped,
        tampered,
        url + "x",
        f"/facilitations/{side.referral.id}/clinic/" + "a" * 200,
    ):
        response = client.get(bad)
        assert response.status_code == 404, bad
        assert "Davide" not in response.get_data(as_text=True)
        assert client.post(bad + "/introduction", data={"decision": "accepted"}).status_code == 404
    assert db.session.get(Facilitation, other_referral.id).clinic_decision is None


def test_an_expired_link_and_a_replaced_one_each_get_their_page(side, client, login):
    url = _clinic_url(side)
    link = db.session.scalar(select(ReferralLink))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert client.post(url + "/introduction", data={"decision": "accepted"}).status_code == 410
    link.expires_at = utcnow() + timedelta(days=1)
    db.session.commit()
    login(side.expert)
    assert client.post(f"/facilitations/{side.referral.id}/send-link").status_code == 302
    client.post("/logout")
    response = client.get(url)
    assert response.status_code == 410 and "replaced" in response.get_data(as_text=True)
    newer = _clinic_url(side)
    assert newer != url and client.get(newer).status_code == 200
    assert (
        db.session.scalar(select(AuditEntry).where(AuditEntry.action == "referral-link-sent"))
        is not None
    )
    assert db.session.get(Facilitation, side.referral.id).clinic_decision is None


def test_the_clinic_answers_once_however_often_the_link_is_used(side, client):
    url = _clinic_url(side)
    response = client.post(
        url + "/introduction", data={"decision": "accepted", "note": "Glad to help."}
    )
    assert response.status_code == 303
    referral = db.session.get(Facilitation, side.referral.id)
    assert referral.clinic_decision == ReferralDecision.ACCEPTED
    response = client.post(url + "/introduction", data={"decision": "declined"})
    assert response.status_code == 409
    assert "answered the introduction already" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (
        db.session.get(Facilitation, side.referral.id).clinic_decision == ReferralDecision.ACCEPTED
    )
    # A bad answer comes back beside its field, the note kept.
    fresh = facilitations.refer(
        ask_question(side.member, title="Second question"), side.clinic, side.expert, "Also fits."
    )
    response = client.post(_clinic_url(side) + "/introduction", data={"note": "Kept text."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose whether you accept or decline." in page and "Kept text." in page
    assert db.session.get(Facilitation, fresh.id).clinic_decision is None


def test_the_clinic_declining_declines_the_referral_and_tells_the_member(side, client):
    client.post(
        _clinic_url(side) + "/introduction",
        data={"decision": "declined", "note": "No capacity this year."},
    )
    referral = db.session.get(Facilitation, side.referral.id)
    assert referral.status == S.DECLINED and referral.steps[-1].by_clinic
    assert referral.contacts_released_at is None
    assert (
        db.session.scalar(
            select(Notification).where(
                Notification.user_id == side.member.id,
                Notification.kind == NotificationKind.REFERRAL_UPDATE,
            )
        )
        is not None
    )
    mails = [
        m.body
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == side.member.email)
        )
    ]
    assert any("The clinic declined the introduction." in body for body in mails)


# --- the double opt-in --------------------------------------------------------------------


def _everything_the_member_sees(side, client, login) -> str:
    login(side.member)
    pages = [
        client.get(path).get_data(as_text=True)
        for path in (
            f"/facilitations/{side.referral.id}",
            "/facilitations",
            f"/questions/{side.question.id}",
            f"/clinics/{side.clinic.id}",
            "/notifications",
        )
    ]
    pages.append(client.get("/account/export").get_data(as_text=True))
    token = api_tokens.create(side.member, "check").secret
    db.session.commit()
    api = client.__class__(client.application)
    for path in (
        f"/api/v1/clinics/{side.clinic.id}",
        "/api/v1/clinics",
        f"/api/v1/referrals/{side.referral.id}",
    ):
        response = api.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        pages.append(response.get_data(as_text=True))
    pages += [
        m.body
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == side.member.email)
        )
    ]
    return "\n".join(pages)


def test_neither_side_sees_the_others_contact_until_both_agree(side, client, login):
    url = _clinic_url(side)
    assert not _contacts_of_clinic(_everything_the_member_sees(side, client, login))
    client.post("/logout")
    assert not _contacts_of_member(side, client.get(url).get_data(as_text=True))

    # The member accepts first: still nothing on either side.
    login(side.member)
    response = client.post(
        f"/facilitations/{side.referral.id}/introduction", data={"decision": "accepted"}
    )
    assert response.status_code == 302
    assert not _contacts_of_clinic(_everything_the_member_sees(side, client, login))
    client.post("/logout")
    assert not _contacts_of_member(side, client.get(_clinic_url(side)).get_data(as_text=True))
    # A second answer by the member is refused.
    with pytest.raises((RuleViolation, PermissionDenied)):
        referral_introductions.answer_introduction(
            db.session.get(Facilitation, side.referral.id), side.member, ReferralDecision.DECLINED
        )
    db.session.rollback()

    # The clinic accepts: the referral is agreed and each side sees the other's contact.
    assert (
        client.post(_clinic_url(side) + "/introduction", data={"decision": "accepted"}).status_code
        == 303
    )
    referral = db.session.get(Facilitation, side.referral.id)
    assert referral.status == S.AGREED and referral.contacts_released_at is not None
    clinic_page = client.get(_clinic_url(side)).get_data(as_text=True)
    assert _contacts_of_member(side, clinic_page) and side.member.email in clinic_page
    seen = _everything_the_member_sees(side, client, login)
    assert CLINIC_EMAIL in seen and "+39 02 000 001" in seen
    exported = json.loads(client.get("/account/export").get_data(as_text=True))
    assert exported["referrals"][0]["clinic_contact"]["email"] == CLINIC_EMAIL
    # The API's referral gives both contacts now, and gave none before (below).
    secret = api_tokens.create(side.member, "referral").secret
    db.session.commit()
    api = client.__class__(client.application)
    found = api.get(
        f"/api/v1/referrals/{side.referral.id}", headers={"Authorization": f"Bearer {secret}"}
    ).get_json()
    assert found["contacts"]["clinic"]["email"] == CLINIC_EMAIL
    assert found["contacts"]["member"]["email"] == side.member.email
    # The directory's contact stays for experts and admins: the API never gives it to a member.
    token = api_tokens.create(side.member, "after").secret
    db.session.commit()
    api = client.__class__(client.application)
    response = api.get(
        f"/api/v1/clinics/{side.clinic.id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["contact"] is None
    # Another member sees nothing of it.
    login(side.other)
    assert client.get(f"/facilitations/{side.referral.id}").status_code == 404
    assert (
        db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "referral-contacts-released")
        )
        is not None
    )


def test_a_confidential_questions_text_never_reaches_the_clinic(side, client):
    secret = ask_question(
        side.member,
        title="Unreleased implantable sensor: which site?",
        body="Our unreleased sensor goes under the skin.",
        visibility=Visibility.CONFIDENTIAL,
    )
    facilitations.refer(secret, side.clinic, side.expert, "They host implant studies.")
    page = client.get(_clinic_url(side)).get_data(as_text=True)
    assert "Unreleased implantable sensor" not in page and "under the skin" not in page
    assert "Confidential" in page
    mail = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == CLINIC_EMAIL)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert "Unreleased" not in mail.body and "sensor" not in mail.body


# --- the thread ---------------------------------------------------------------------------


def test_the_clinic_asks_a_question_the_member_and_experts_read_and_answer(side, client, login):
    url = _clinic_url(side)
    assert client.post(url + "/messages", data={"body": ""}).status_code == 422
    assert (
        client.post(url + "/messages", data={"body": "Is the catheter 6 or 7 French?"}).status_code
        == 303
    )
    login(side.member)
    page = client.get(f"/facilitations/{side.referral.id}").get_data(as_text=True)
    assert "Is the catheter 6 or 7 French?" in page and "(the clinic)" in page
    assert (
        client.post(
            f"/facilitations/{side.referral.id}/messages",
            data={"body": "Six French; the brochure follows."},
        ).status_code
        == 302
    )
    login(side.expert)
    page = client.get(f"/facilitations/{side.referral.id}").get_data(as_text=True)
    assert "Six French" in page and "Anna Colombo (the company)" in page
    client.post("/logout")
    page = client.get(_clinic_url(side)).get_data(as_text=True)
    # The clinic reads the answer, but not who wrote it, until both agree.
    assert "Six French" in page and "Anna Colombo" not in page and "The company" in page
    assert (
        db.session.scalar(
            select(Notification).where(
                Notification.user_id == side.member.id,
                Notification.kind == NotificationKind.REFERRAL_UPDATE,
            )
        )
        is not None
    )
    login(side.other)
    assert (
        client.post(
            f"/facilitations/{side.referral.id}/messages", data={"body": "Me too"}
        ).status_code
        == 404
    )


# --- the trial's start --------------------------------------------------------------------


def _agreed(side):
    referral_introductions.answer_introduction(
        side.referral, side.member, ReferralDecision.ACCEPTED
    )
    referral_introductions.answer_introduction(
        side.referral, clinic_link(side.referral), ReferralDecision.ACCEPTED
    )
    return db.session.get(Facilitation, side.referral.id)


def _period():
    today = calendar.today()
    return review_period.Period(today - timedelta(days=30), today)


def _trials_rows(period):
    return review.trials_table(period).rows


def test_the_members_start_counts_and_an_experts_waits_for_confirmation(side, client, login):
    referral = _agreed(side)
    today = calendar.today()
    facilitations.advance(referral, side.expert, S.TRIAL_STARTED, today, "Started, they say.")
    assert referral.trial_confirmation is None
    assert facilitation_figures.trials_facilitated(today, today) == 0
    assert _trials_rows(_period())[0][1] == 0 and _trials_rows(_period())[1][1] == 1
    login(side.member)
    page = client.get(f"/facilitations/{referral.id}").get_data(as_text=True)
    assert "Unconfirmed" in page and "Confirm the start" in page
    assert client.post(f"/facilitations/{referral.id}/confirm-start").status_code == 302
    db.session.expire_all()
    referral = db.session.get(Facilitation, side.referral.id)
    assert referral.trial_confirmation == TrialConfirmation.MEMBER
    assert facilitation_figures.trials_facilitated(today, today) == 1
    assert _trials_rows(_period())[0][1] == 1 and _trials_rows(_period())[1][1] == 0
    assert client.post(f"/facilitations/{referral.id}/confirm-start").status_code == 403


def test_the_clinic_records_the_start_and_it_counts_at_once(side, client):
    _agreed(side)
    url = _clinic_url(side)
    response = client.post(
        url + "/advance",
        data={
            "status": "trial-started",
            "occurred_on": calendar.today().isoformat(),
            "note": "First patient treated.",
        },
    )
    assert response.status_code == 303
    referral = db.session.get(Facilitation, side.referral.id)
    assert referral.trial_confirmation == TrialConfirmation.CLINIC
    assert referral.steps[-1].by_clinic and referral.steps[-1].recorded_by_id is None
    # The clinic cannot record what only the board records.
    response = client.post(
        url + "/advance",
        data={"status": "contacted", "occurred_on": calendar.today().isoformat(), "note": "x"},
    )
    assert response.status_code == 422


def test_an_admin_verifies_a_start_only_with_a_note(side, client, login):
    referral = _agreed(side)
    facilitations.advance(referral, side.expert, S.TRIAL_STARTED, calendar.today(), "Started.")
    login(side.expert)
    assert (
        client.post(
            f"/facilitations/{referral.id}/verify-start", data={"note": "Seen."}
        ).status_code
        == 403
    )
    login(side.admin)
    response = client.post(f"/facilitations/{referral.id}/verify-start", data={"note": " "})
    assert response.status_code == 422
    assert "Say how the start was verified" in response.get_data(as_text=True)
    assert (
        client.post(
            f"/facilitations/{referral.id}/verify-start",
            data={"note": "The clinic's letter and the CET opinion seen."},
        ).status_code
        == 302
    )
    db.session.expire_all()
    referral = db.session.get(Facilitation, side.referral.id)
    assert referral.trial_confirmation == TrialConfirmation.ADMIN
    assert "CET opinion" in referral.trial_verification_note
    assert facilitation_figures.trials_facilitated(calendar.today(), calendar.today()) == 1


def test_later_steps_and_an_abandonment_with_its_reason(side):
    referral = _agreed(side)
    today = calendar.today()
    facilitations.advance(referral, side.member, S.TRIAL_STARTED, today, "Started.")
    facilitations.advance(referral, clinic_link(referral), S.ENROLLED, today, "First subject.")
    facilitations.advance(referral, side.member, S.COMPLETED, today, "Follow-up done.")
    facilitations.advance(referral, side.expert, S.REPORT_SUBMITTED, today, "Report filed.")
    assert facilitations.next_statuses(referral) == (S.CE_MARKED, S.ABANDONED)
    with pytest.raises(RuleViolation) as refused:
        facilitations.advance(referral, side.member, S.ABANDONED, today, " ")
    assert refused.value.field == "note" and "why" in str(refused.value.message)
    db.session.rollback()
    referral = db.session.get(Facilitation, side.referral.id)
    facilitations.advance(referral, side.member, S.ABANDONED, today, "Redesign needed.")
    assert referral.status == S.ABANDONED and facilitations.next_statuses(referral) == ()
    # Still one trial facilitated: it started, confirmed, whatever came after.
    assert facilitation_figures.trials_facilitated(today, today) == 1


# --- admins refer, and the form suggests clinics ----------------------------------------------


def test_the_referral_form_suggests_clinics_matching_the_questions_words(side, client, login):
    clinics.create_clinic(
        side.admin,
        ClinicDraft(
            name="Clinica Neuro Lecco",
            city="Lecco",
            specialties="Neurology",
            populations="adults after a stroke; children with epilepsy",
        ),
    )
    question = ask_question(
        side.member,
        title="Rehabilitation robot for adults after a stroke",
        body="Could it help children with epilepsy too?",
    )
    suggestions = clinics.suggest_for_question(question)
    # The clinic matching two entries first; the cardiology clinic only by its population.
    assert [(found.clinic.name, found.matched) for found in suggestions] == [
        ("Clinica Neuro Lecco", ("adults after a stroke", "children with epilepsy")),
        ("Centro Cardiologico Ambrosiano", ("adults after a stroke",)),
    ]
    login(side.admin)
    page = client.get(f"/questions/{question.id}/refer").get_data(as_text=True)
    assert "Suggested clinics" in page and "adults after a stroke" in page
    response = client.post(
        f"/questions/{question.id}/refer",
        data={
            "clinic": str(suggestions[0].clinic.id),
            "occurred_on": calendar.today().isoformat(),
            "note": "An admin's referral.",
        },
    )
    assert response.status_code == 302


# --- the migration -------------------------------------------------------------------------

BEFORE_THE_INTRODUCTIONS = "c4e8a1d7b2f6"


def test_the_migration_downgrades_past_the_later_steps_and_upgrades_again(side, app):
    """Down: a referral past its start is back at "trial started" (its later steps gone),
    the referral notifications deleted; up again: the new statuses and kinds are allowed."""
    referral = _agreed(side)
    today = calendar.today()
    facilitations.advance(referral, side.member, S.TRIAL_STARTED, today, "Started.")
    facilitations.advance(referral, side.member, S.ENROLLED, today, "First subject.")
    referral_id, member_id = referral.id, side.member.id
    db.session.remove()  # no transaction may hold a lock the downgrade's DDL waits for
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    downgrade(revision=BEFORE_THE_INTRODUCTIONS)
    try:
        assert (
            db.session.execute(
                text("SELECT status FROM facilitation WHERE id = :id"), {"id": referral_id}
            ).scalar()
            == "trial-started"
        )
        assert (
            db.session.execute(
                text("SELECT COUNT(*) FROM facilitation_step WHERE status = 'enrolled'")
            ).scalar()
            == 0
        )
        assert (
            db.session.execute(
                text("SELECT COUNT(*) FROM notification WHERE kind = 'referral-update'")
            ).scalar()
            == 0
        )
        db.session.remove()
    finally:
        db.session.remove()
        upgrade()
    referral = db.session.get(Facilitation, referral_id)
    assert referral.status == S.TRIAL_STARTED and referral.trial_confirmation is None
    facilitations.advance(
        referral, db.session.get(User, member_id), S.ENROLLED, today, "First subject again."
    )
    assert db.session.get(Facilitation, referral_id).status == S.ENROLLED


def test_the_clinics_page_and_the_members_run_a_fixed_number_of_queries(
    side, client, login, count_queries
):
    """However long the thread and the steps, the same statements (the link's last use is
    written at most once a minute, so it is written before counting)."""
    url = _clinic_url(side)
    client.get(url)
    # One message from each, so the short page loads the thread's authors too.
    referral_introductions.post_message(side.referral, side.member, "First.")
    referral_introductions.post_message(side.referral, clinic_link(side.referral), "Reply.")

    def queries(path: str) -> int:
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    short_clinic = queries(url)
    login(side.member)
    short_member = queries(f"/facilitations/{side.referral.id}")
    referral = _agreed(side)
    facilitations.advance(referral, side.member, S.TRIAL_STARTED, calendar.today(), "Started.")
    for number in range(5):
        referral_introductions.post_message(referral, side.expert, f"Message {number}.")
        referral_introductions.post_message(referral, clinic_link(referral), f"Reply {number}.")
    assert queries(f"/facilitations/{side.referral.id}") == short_member
    client.post("/logout")
    link = db.session.scalar(
        select(ReferralLink).where(ReferralLink.sent_to == CLINIC_EMAIL).order_by(ReferralLink.id)
    )
    link.revoked_at = None  # the page read through the first link, still in use
    db.session.commit()
    assert queries(url) == short_clinic


def test_a_member_cannot_answer_an_introduction_the_clinic_already_declined(side, client):
    client.post(_clinic_url(side) + "/introduction", data={"decision": "declined"})
    referral = db.session.get(Facilitation, side.referral.id)
    with pytest.raises(RuleViolation) as refused:
        referral_introductions.answer_introduction(referral, side.member, ReferralDecision.ACCEPTED)
    assert "no longer open" in str(refused.value.message)
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        referral_introductions.answer_introduction(referral, side.other, ReferralDecision.ACCEPTED)
