"""Notifications end to end in a real browser, in English and in Italian (issue 22, item 8).

A member chooses a daily digest on their account page; an expert answers their
question; no single e-mail goes out; the header counts the news; opening the
question from the notification list marks it read (the header says so on that
very page); the night's digest run sends one e-mail in the member's language.

The member's steps go through the pages; the expert's answer and the cron job
are called through the services, as the journey does not name them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import EmailFrequency, OutboxMessage, Role, User
from forum.services import answers
from forum.services.mail import digests
from tests.browser.chromium import local_context, log_in
from tests.factories import ask_question
from tests.fixtures.people import PASSWORD

ANSWER = (
    "Under MDR Art. 62 a clinical investigation needs the Ministry's authorisation "
    "and the ethics committee's opinion."
)


@dataclass(frozen=True)
class Language:
    browser_locale: str
    daily: str
    saved: str
    save_button: str
    digest_subject: str
    digest_sentence: str


ENGLISH = Language(
    "en-GB",
    "One digest e-mail a day",
    "Your choice of e-mails is saved.",
    "Save the e-mail choice",
    "[CTCC forum] Your digest: 1 notification",
    "Dr Elena Russo answered your question.",
)
ITALIAN = Language(
    "it-IT",
    "Un'e-mail di riepilogo al giorno",
    "La tua scelta sulle e-mail è salvata.",
    "Salva la scelta sulle e-mail",
    "[Forum CTCC] Il tuo riepilogo: 1 notifica",
    "Dr Elena Russo ha risposto alla tua domanda.",
)


@pytest.mark.parametrize("language", [ENGLISH, ITALIAN], ids=["english", "italian"])
def test_member_chooses_a_digest_reads_on_opening_and_gets_one_email(
    app,
    chromium,
    live_server,
    make_user,
    language,  # noqa: F811  (fixtures)
):
    member = make_user(name="Chiara Rossi")
    member.locale = language.browser_locale[:2]  # the language the member chose
    db.session.commit()
    question = ask_question(member, title="Which pathway applies to our class IIb tool?")
    expert = make_user(Role.EXPERT, name="Dr Elena Russo")
    context = local_context(chromium, live_server, locale=language.browser_locale)
    page = context.new_page()
    try:
        log_in(page, live_server, member.email, PASSWORD)
        page.goto(live_server.url("/account"))
        page.get_by_label(language.daily).check()
        page.get_by_role("button", name=language.save_button).click()
        page.wait_for_load_state()
        assert page.get_by_text(language.saved, exact=True).is_visible()
        assert page.get_by_label(language.daily).is_checked()

        db.session.rollback()
        answers.post_answer(question, expert, ANSWER)
        assert _mails_to(member) == []  # no single e-mail with a digest chosen

        page.goto(live_server.url("/notifications"))
        assert page.locator(".count-badge").inner_text().split()[0] == "1"
        page.locator(".notification.unread a", has_text=question.title).click()
        page.wait_for_load_state()
        assert f"/questions/{question.id}" in page.url
        assert page.locator(".count-badge").count() == 0  # read on opening, this very page
        page.goto(live_server.url("/notifications"))
        assert page.locator(".notification.unread").count() == 0
    finally:
        context.close()

    db.session.rollback()
    assert db.session.get(User, member.id).email_frequency == EmailFrequency.DAILY
    report = digests.send_digests({EmailFrequency.DAILY})  # the night's cron job
    assert report.emails == 1
    (digest,) = _mails_to(member)
    assert digest.subject == language.digest_subject
    assert language.digest_sentence in digest.body
    assert digests.send_digests({EmailFrequency.DAILY}).emails == 0


def _mails_to(user: User) -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    )
