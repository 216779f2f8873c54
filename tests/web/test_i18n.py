"""English and Italian: the language chosen, the catalogue complete, dates, numbers and
e-mails in the reader's language, and user content left as written."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from sqlalchemy import select

from forum.config import PROJECT_ROOT
from forum.extensions import db
from forum.labels import STATUS_LABELS, SURVEY_STATUS_LABELS
from forum.models import (
    ExpertArea,
    OrganisationKind,
    OutboxMessage,
    QuestionStatus,
    Role,
    SurveyStatus,
    User,
)
from forum.services import answers
from forum.services.accounts import credentials, password_reset, profile
from forum.services.errors import RuleViolation
from forum.web import charts
from tests.factories import ask_question, registration_link
from tests.fixtures.people import PASSWORD

ITALIAN = {"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
CATALOGUE = PROJECT_ROOT / "forum" / "translations" / "it" / "LC_MESSAGES" / "messages.po"
# %(name)s, %(num)d, %(mean).1f ...: what Python fills in, which a translation must keep.
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[a-z]|%[sd]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def _read_catalogue(path=CATALOGUE):
    with open(path, "rb") as source:
        return read_po(source, locale="it")


def _mail_to(user: User) -> OutboxMessage:
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == user.email)
        .order_by(OutboxMessage.id.desc())
    ).first()


# --- choosing the language ----------------------------------------------------------


def test_a_browser_preferring_italian_gets_the_page_in_italian_with_lang_it(client):
    page = client.get("/", headers=ITALIAN).get_data(as_text=True)
    assert _lang(page) == "it"
    assert "Fai una domanda" in page and "Ask a question" not in page
    assert re.search(r'value="en" lang="en"[^>]*>English</button>', page)  # the other language


def test_english_is_the_default_and_for_languages_not_offered(client):
    for headers in ({}, ENGLISH, {"Accept-Language": "de-DE,de;q=0.9"}):
        page = client.get("/", headers=headers).get_data(as_text=True)
        assert _lang(page) == "en" and "Ask a question" in page
        assert re.search(r'value="it" lang="it"[^>]*>Italiano</button>', page)


def test_a_visitor_switches_with_a_plain_get_form_and_the_choice_beats_the_browser(client):
    page = client.get("/faq", headers=ENGLISH).get_data(as_text=True)
    switcher = re.search(r'<form method="get" action="/language"[^>]*>(.*?)</form>', page, re.S)
    assert switcher and 'name="next" value="/faq"' in switcher.group(1)
    assert "csrf_token" not in switcher.group(1)

    response = client.get("/language?next=/faq&locale=it", headers=ENGLISH)
    assert response.status_code == 302 and response.headers["Location"] == "/faq"
    page = client.get("/faq", headers=ENGLISH).get_data(as_text=True)
    assert _lang(page) == "it" and "Domande frequenti" in page

    client.get("/language?locale=en&next=/faq", headers=ITALIAN)
    assert _lang(client.get("/faq", headers=ITALIAN).get_data(as_text=True)) == "en"


def test_a_visitor_who_never_chooses_gets_no_cookie_in_either_language(client):
    for headers in (ITALIAN, ENGLISH):
        response = client.get("/", headers=headers)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert "Accept-Language" in response.headers["Vary"]


def test_cached_pages_are_kept_apart_by_language(client):
    for _ in range(2):  # the second round is served from the page cache
        assert "Domande recenti" in client.get("/", headers=ITALIAN).get_data(as_text=True)
        assert "Recent questions" in client.get("/", headers=ENGLISH).get_data(as_text=True)


def test_the_switch_refuses_a_language_not_offered_and_a_return_to_another_site(client):
    refused = client.get("/language?locale=xx&next=/faq")
    assert refused.status_code == 400 and "Set-Cookie" not in refused.headers
    bounced = client.get("/language?locale=it&next=//evil.example/")
    assert bounced.status_code == 302 and bounced.headers["Location"] == "/"


def test_a_user_switches_by_post_and_the_account_keeps_it_for_later_sessions(
    app, client, make_user, login
):
    user = make_user()
    login(user)
    page = client.get("/questions", headers=ENGLISH).get_data(as_text=True)
    assert re.search(
        r'<form method="post" action="/language"[^>]*>\s*<input type="hidden" '
        r'name="csrf_token"',
        page,
    )

    response = client.post(
        "/language", data={"locale": "it", "next": "/questions"}, headers=ENGLISH
    )
    assert response.status_code == 303 and response.headers["Location"] == "/questions"
    assert db.session.get(User, user.id).locale == "it"

    another_browser = app.test_client()
    another_browser.post(
        "/login", data={"email": user.email, "password": PASSWORD}, headers=ENGLISH
    )
    assert _lang(another_browser.get("/", headers=ENGLISH).get_data(as_text=True)) == "it"


def test_the_switch_by_post_needs_the_csrf_token(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post("/language", data={"locale": "it"}, csrf=False)
    assert response.status_code == 400
    assert db.session.get(User, user.id).locale is None


def test_a_signed_in_user_following_a_get_link_is_asked_to_confirm_not_switched(
    client, make_user, login
):
    user = make_user()
    login(user)
    response = client.get("/language?locale=it&next=/faq")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<form method="post" action="/language"' in page and 'value="/faq"' in page
    assert re.search(r'<input checked[^>]*value="it"', page)
    assert db.session.get(User, user.id).locale is None


def test_the_service_refuses_a_language_not_offered(make_user):
    user = make_user()
    with pytest.raises(RuleViolation) as refused:
        profile.set_locale(user, "de")
    assert refused.value.field == "locale"
    assert profile.set_locale(user, "it").locale == "it"


def test_registering_keeps_the_language_the_person_registered_in(client):
    sent = client.post(
        "/register",
        headers=ITALIAN,
        data={
            "display_name": "Lucia Ferri",
            "email": "lucia@example.org",
            "organisation_name": "Ferri Medical",
            "organisation_kind": OrganisationKind.SME.value,
            "province": "MI",
        },
    )
    assert "Controlla la tua e-mail" in sent.get_data(as_text=True)
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == "lucia@example.org")
    )
    assert message.subject == "[Forum CTCC] Completa la registrazione"
    # The link is opened later, in a browser that may speak another language.
    response = client.post(
        registration_link("lucia@example.org"), data={"password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302
    assert credentials.find_user_by_email("lucia@example.org").locale == "it"


# --- validation messages ----------------------------------------------------------------


def _errors(page: str) -> list[str]:
    return re.findall(r'<p class="error"[^>]*>([^<]*)</p>', page)


def test_wtforms_own_messages_come_in_italian(client):
    response = client.post("/register", headers=ITALIAN, data={"email": "not-an-address"})
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert "Questo campo è obbligatorio." in errors
    assert "Indirizzo e-mail non valido." in errors
    assert not any("required" in error or "Invalid" in error for error in errors)


def test_the_forums_own_validation_messages_come_in_italian(client):
    client.post(
        "/register",
        headers=ITALIAN,
        data={
            "display_name": "Lucia Ferri",
            "email": "lucia@example.org",
            "organisation_name": "Ferri Medical",
            "organisation_kind": OrganisationKind.SME.value,
            "province": "MI",
        },
    )
    link = registration_link("lucia@example.org")
    mismatch = client.post(
        link, headers=ITALIAN, data={"password": PASSWORD, "confirm": PASSWORD + "x"}
    )
    assert "Le password non coincidono." in _errors(mismatch.get_data(as_text=True))
    weak = client.post(link, headers=ITALIAN, data={"password": "short", "confirm": "short"})
    assert weak.status_code == 422
    assert "Usa almeno 12 caratteri." in _errors(weak.get_data(as_text=True))
    assert "Almeno 12 caratteri, non il tuo indirizzo e-mail né una password comune." in (
        weak.get_data(as_text=True)
    )
    common = client.post(
        link, headers=ITALIAN, data={"password": "Password1234", "confirm": "Password1234"}
    )
    assert "È una delle password più usate: scegline un&#39;altra." in _errors(
        common.get_data(as_text=True)
    )  # the apostrophe escaped, as every text in a page
    own = client.post(
        link, headers=ITALIAN, data={"password": "lucia-secret-26", "confirm": "lucia-secret-26"}
    )
    assert (
        "Non usare nella password il tuo indirizzo e-mail, né la sua parte prima della @."
        in _errors(own.get_data(as_text=True))
    )


# --- dates and numbers ------------------------------------------------------------------


def test_dates_and_numbers_are_written_the_way_of_the_readers_language(app):
    template = app.jinja_env.from_string(
        "{{ moment|date }} | {{ moment|datetime }} | {{ figure|number }}"
    )
    moment = datetime(2026, 3, 5, 13, 30, tzinfo=UTC)
    # A fresh application context each: Flask-Babel keeps the locale on ``g``.
    with app.app_context(), app.test_request_context(headers=ITALIAN):
        italian = template.render(moment=moment, figure=1234.5)
        chart = str(charts.bar_chart("Visite", ["marzo"], [1234.5]))
    with app.app_context(), app.test_request_context(headers=ENGLISH):
        english = template.render(moment=moment, figure=1234.5)
    # To the minute: the seconds of a revision's time tell a reader nothing.
    assert italian == "5 mar 2026 | 5 mar 2026, 14:30 | 1.234,5"  # Europe/Rome is UTC+1
    assert english == "Mar 5, 2026 | Mar 5, 2026, 2:30\u202fPM | 1,234.5"
    assert "1.234,5" in chart and "1234.5" not in chart


def test_the_number_filter_leaves_text_alone(app):
    template = app.jinja_env.from_string("{{ value|number }}")
    with app.app_context(), app.test_request_context(headers=ITALIAN):
        assert template.render(value="2026-03") == "2026-03"
        assert template.render(value=True) == "True"
        assert template.render(value=12) == "12"


def test_a_surveys_status_agrees_with_its_noun_unlike_a_questions(app):
    with app.app_context(), app.test_request_context(headers=ITALIAN):
        assert str(SURVEY_STATUS_LABELS[SurveyStatus.OPEN]) == "Aperto"  # il questionario
        assert str(STATUS_LABELS[QuestionStatus.OPEN]) == "Aperta"  # la domanda
        assert str(SURVEY_STATUS_LABELS[SurveyStatus.CLOSED]) == "Chiuso"


# --- e-mails ----------------------------------------------------------------------------


def test_an_italian_users_notification_email_is_in_italian_and_an_english_users_in_english(
    make_user,
):
    expert = make_user(Role.EXPERT, ExpertArea.CLINICAL, name="Elena Esperta")
    italian, english = make_user(name="Giulia Rossi"), make_user(name="Grace Hill")
    profile.set_locale(italian, "it")
    for asker in (italian, english):
        answers.post_answer(
            ask_question(asker), expert, "Under MDR Art. 62 you need an authorisation."
        )

    mail = _mail_to(italian)
    assert mail.subject == "[Forum CTCC] Elena Esperta ha risposto alla tua domanda."
    assert mail.body.startswith("Ciao Giulia Rossi,\n\nElena Esperta ha risposto alla tua domanda.")
    assert "Domanda: Which pathway applies to our class IIb tool?" in mail.body
    assert "impostazioni di notifica" in mail.body
    mail = _mail_to(english)
    assert mail.subject == "[CTCC forum] Elena Esperta answered your question."
    assert mail.body.startswith("Hello Grace Hill,")


def test_the_password_reset_email_is_in_the_recipients_language(app, make_user):
    user = make_user(name="Giulia Rossi")
    profile.set_locale(user, "it")
    with app.test_request_context(headers=ENGLISH):  # whoever asks, in whatever language
        assert password_reset.request_reset(user.email)
    mail = _mail_to(user)
    assert mail.subject == "[Forum CTCC] Reimposta la password"
    assert "Qualcuno ha chiesto di reimpostare la password" in mail.body
    assert "Hello" not in mail.body


# --- user content -----------------------------------------------------------------------


def test_what_users_write_is_shown_as_written_in_either_language(client, make_user):
    # Texts that are also messages of the catalogue: a translation would show.
    question = ask_question(
        make_user(),
        title="Frequently asked questions",
        body="No questions yet. Be the first to ask.",
    )
    page = client.get(f"/questions/{question.id}", headers=ITALIAN).get_data(as_text=True)
    assert _lang(page) == "it"
    # Written in English (the default language of a text), so marked as English (issue 24).
    assert '<h1 id="question-title" lang="en">Frequently asked questions</h1>' in page
    assert '<div class="post-body" lang="en"><p>No questions yet. Be the first to ask.</p>' in page
    assert "Domande frequenti</h1>" not in page and "Fai tu la prima" not in page


# --- the catalogue ----------------------------------------------------------------------


def test_every_entry_of_the_italian_catalogue_is_translated_and_keeps_its_placeholders():
    catalogue = _read_catalogue()
    assert catalogue.num_plurals == 2
    messages = [message for message in catalogue if message.id]
    assert len(messages) > 1000
    for message in messages:
        assert not message.fuzzy, message.id
        if isinstance(message.id, str):
            pairs = [(message.id, message.string)]
        else:
            singular, plural = message.id
            pairs = list(zip((singular, plural), message.string))
        for source, translation in pairs:
            assert translation, f"untranslated: {source!r}"
            assert sorted(PLACEHOLDER.findall(source)) == sorted(
                PLACEHOLDER.findall(translation)
            ), f"placeholders differ: {source!r} -> {translation!r}"
            assert sorted(TAG.findall(source)) == sorted(TAG.findall(translation)), source
            assert source.count("**") == translation.count("**"), source


def test_every_string_in_the_code_and_templates_has_an_italian_translation(tmp_path):
    """Extract afresh: a string added without a translation fails here until
    ``make update-translations`` merges it and someone translates it."""
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(PROJECT_ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_pgettext:1c,2",
            "-o",
            str(template),
            str(PROJECT_ROOT),
        ]
    )
    with open(template, "rb") as source:
        extracted = [(message.context, message.id) for message in read_po(source) if message.id]
    assert len(extracted) > 1000
    translated = {
        (message.context, message.id): message for message in _read_catalogue() if message.id
    }

    def done(key) -> bool:
        message = translated.get(key)
        forms = (
            message.string
            if message and isinstance(message.id, tuple)
            else [message.string if message else ""]
        )
        return message is not None and not message.fuzzy and all(forms)

    missing = [key for key in extracted if not done(key)]
    assert missing == [], f"{len(missing)} strings without an Italian translation: {missing[:10]}"
