"""The referral journey of issue 23, end to end in a real browser, in English and Italian.

An expert refers a member's question to a clinic (on the page, the suggested clinic
chosen); the clinic accepts through the link e-mailed to it (no account); the member
accepts too and records the trial's start; each side sees the other's contact only
after both agreed; the review counts one confirmed trial, and an expert's unconfirmed
"trial started" on another referral is shown apart, not in the headline figure.

Screenshots of the clinic's page, the member's page and the review are saved in each
language (``FORUM_SCREENSHOTS`` or the test's own directory).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from forum import calendar
from forum.extensions import db
from forum.models import Facilitation, FacilitationStatus, OutboxMessage, TrialConfirmation
from forum.services import clinics, facilitations
from forum.services.clinics import ClinicDraft
from tests.browser.chromium import local_context, log_in, log_out
from tests.factories import agree_both_sides, ask_question
from tests.fixtures.people import PASSWORD

CLINIC_EMAIL = "sperimentazioni@neuro-lecco.example.org"
CLINIC_PHONE = "+39 0341 000 777"


def _screenshots(tmp_path) -> Path:
    directory = Path(os.environ.get("FORUM_SCREENSHOTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _submit(page, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").click()
    page.wait_for_load_state()


def _clinic_link(live_server) -> str:
    db.session.expire_all()
    body = (
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == CLINIC_EMAIL)
            .order_by(OutboxMessage.id.desc())
        )
        .first()
        .body
    )
    path = re.search(r"(/facilitations/\d+/clinic/[A-Za-z0-9_-]+)", body).group(1)
    return live_server.url(path)


@pytest.mark.parametrize("locale, lang", [("en-GB", "en"), ("it-IT", "it")])
def test_a_referral_confirmed_by_both_sides_counts_one_trial_in_the_review(
    app,
    chromium,
    live_server,
    people,
    tmp_path,
    locale,
    lang,  # noqa: F811  (fixtures)
):
    shots = _screenshots(tmp_path)
    member = people.asker
    clinic = clinics.create_clinic(
        people.admin,
        ClinicDraft(
            name="Clinica Neuro Lecco",
            city="Lecco",
            specialties="Neurology",
            populations="adults after a stroke",
            contact_name="Dr.ssa Marta Villa",
            contact_email=CLINIC_EMAIL,
            contact_phone=CLINIC_PHONE,
        ),
    )
    other_clinic = clinics.create_clinic(
        people.admin,
        ClinicDraft(name="Ospedale del Verbano", city="Luino", specialties="Rehabilitation"),
    )
    question = ask_question(
        member,
        title="Which site can recruit adults after a stroke?",
        body="Our rehabilitation robot needs a pivotal study.",
    )
    # Another referral, agreed by both sides, whose start an expert will record alone.
    unconfirmed = facilitations.refer(question, other_clinic, people.expert, "A second site.")
    agree_both_sides(unconfirmed)
    unconfirmed_id = unconfirmed.id

    # The expert refers the question: the suggested clinic is the one chosen.
    context = local_context(chromium, live_server, locale=locale)
    page = context.new_page()
    try:
        log_in(page, live_server, people.expert.email, PASSWORD)
        page.goto(live_server.url(f"/questions/{question.id}/refer"))
        assert page.locator("html").get_attribute("lang") == lang
        assert "Clinica Neuro Lecco" in page.locator("section.referral-suggestions").inner_text()
        assert page.locator("#clinic").input_value() == str(clinic.id)
        page.locator("#note").fill("Their stroke unit recruits sixty patients a year.")
        _submit(page, "main form[method=post]")
        referral_url = page.url
        assert re.search(r"/facilitations/\d+$", referral_url), referral_url
        # The expert's unconfirmed start on the other referral.
        page.goto(live_server.url(f"/facilitations/{unconfirmed_id}"))
        page.locator("#status").select_option(FacilitationStatus.TRIAL_STARTED.value)
        page.locator("#occurred_on").fill(calendar.today().isoformat())
        page.locator("form[action$='/advance'] #note").fill("The cardiologist said so.")
        _submit(page, "form[action$='/advance']")
        assert page.locator(".badge-unconfirmed").is_visible()
    finally:
        context.close()
    referral_id = int(referral_url.rsplit("/", 1)[1])

    # The clinic opens its link, sees nothing of the member yet, and accepts.
    clinic_context = local_context(chromium, live_server, locale=locale)
    clinic_page = clinic_context.new_page()
    try:
        clinic_page.goto(_clinic_link(live_server))
        assert clinic_page.locator("html").get_attribute("lang") == lang
        text = clinic_page.locator("main").inner_text()
        assert member.email not in text and member.display_name not in text
        clinic_page.screenshot(path=str(shots / f"referral-clinic-link-{lang}.png"), full_page=True)
        clinic_page.locator("input[name=decision][value=accepted]").check()
        _submit(clinic_page, "form[action$='/introduction']")
        assert member.email not in clinic_page.locator("main").inner_text()

        # The member sees the clinic's acceptance but not its contact, then accepts.
        context = local_context(chromium, live_server, locale=locale)
        page = context.new_page()
        try:
            log_in(page, live_server, member.email, PASSWORD)
            page.goto(referral_url)
            main = page.locator("main").inner_text()
            assert CLINIC_EMAIL not in main and CLINIC_PHONE not in main
            page.locator("input[name=decision][value=accepted]").check()
            _submit(page, "form[action$='/introduction']")
            contacts = page.locator("section.referral-contacts").inner_text()
            assert CLINIC_EMAIL in contacts and CLINIC_PHONE in contacts
            # The member confirms the start by recording it.
            page.locator("#status").select_option(FacilitationStatus.TRIAL_STARTED.value)
            page.locator("#occurred_on").fill(calendar.today().isoformat())
            page.locator("form[action$='/advance'] #note").fill("First patient treated today.")
            _submit(page, "form[action$='/advance']")
            assert page.locator(".badge-confirmed").is_visible()
            page.screenshot(path=str(shots / f"referral-member-{lang}.png"), full_page=True)
            log_out(page, live_server)
        finally:
            context.close()

        # Now the clinic sees the member's contact too.
        clinic_page.reload()
        contacts = clinic_page.locator("section.referral-contacts").inner_text()
        assert member.email in contacts and member.display_name in contacts
    finally:
        clinic_context.close()

    db.session.expire_all()
    referral = db.session.get(Facilitation, referral_id)
    assert referral.trial_confirmation == TrialConfirmation.MEMBER
    assert db.session.get(Facilitation, unconfirmed_id).trial_confirmation is None

    # The review: one trial facilitated, the expert's start shown apart.
    context = local_context(chromium, live_server, locale=locale)
    page = context.new_page()
    try:
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/review"))
        table = page.locator("section.review-table", has=page.locator("#table-trials_facilitated"))
        cells = table.locator("tbody tr")
        assert cells.count() == 2
        assert cells.nth(0).locator("td").last.inner_text().strip() == "1"
        assert cells.nth(1).locator("td").last.inner_text().strip() == "1"
        table.screenshot(path=str(shots / f"referral-review-{lang}.png"))
    finally:
        context.close()
