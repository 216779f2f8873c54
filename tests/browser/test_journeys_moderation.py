"""The moderation journey (issue 22), end to end in Chromium, in English and in Italian.

A new account posts an advert as a question; two members flag it through the flag
form; it is hidden and gone for visitors (its page, the list, search, suggestions,
the API) and from the review's counts; an admin marks it as spam from the moderation
queue and its author sees it marked, with the reason. Another question is locked by
an admin while an expert has it open: the expert's answer is refused with a clear
message, and the page shows the lock instead of the form.

Screenshots of the steps go to ``build/screenshots/moderation-<language>-*.png``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from forum import calendar
from forum.config import PROJECT_ROOT
from forum.extensions import db
from forum.models import ModerationState, Question
from forum.services import answers
from tests.browser.chromium import local_context, log_in, log_out
from tests.factories import ask_question
from tests.fixtures.people import PASSWORD

SHOTS = PROJECT_ROOT / "build" / "screenshots"
# A word no fixture text contains, so search results can be trusted.
SPAM_WORD = "Fulminecert"
SPAM_TITLE = f"{SPAM_WORD}: CE mark in 2 weeks for any device, guaranteed"
SPAM_BODY = f"{SPAM_WORD} gets your CE mark without clinical data. Write to us today!"
SPAM_REASON = "An advertisement for certification services, not a question."
LOCK_REASON = "Answered and accepted; please ask a new question for another device."


@dataclass(frozen=True)
class Language:
    code: str
    browser_locale: str
    question_posted: str
    flag_link: str
    flag_sent: str
    done: str
    spam_label: str
    locked: str


ENGLISH = Language(
    code="en",
    browser_locale="en-GB",
    question_posted="Your question is posted.",
    flag_link="Flag",
    flag_sent="Thank you: the moderators will review it.",
    done="Done. The author is told, with your reason.",
    spam_label="Marked as spam",
    locked="This question is locked by the moderators: it takes no new answers or comments.",
)
ITALIAN = Language(
    code="it",
    browser_locale="it-IT",
    question_posted="La tua domanda è pubblicata.",
    flag_link="Segnala ai moderatori",
    flag_sent="Grazie: i moderatori lo esamineranno.",
    done="Fatto. L'autore viene informato, con il tuo motivo.",
    spam_label="Segnato come spam",
    locked="Questa domanda è stata bloccata dai moderatori: non accetta nuove risposte "
    "né commenti.",
)


def _shot(page, language: Language, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(Path(SHOTS) / f"moderation-{language.code}-{name}.png"), full_page=True
    )


def _flash(page, message: str) -> None:
    assert page.locator(".flash").filter(has_text=message).first.is_visible(), (
        f"expected the message {message!r} on {page.url}: {page.locator('main').inner_text()}"
    )


def _ask(page, server) -> str:
    page.goto(server.url("/questions/ask"))
    page.locator("#title").fill(SPAM_TITLE)
    page.locator("#body").fill(SPAM_BODY)
    page.locator("input[name=topics]").first.check()
    page.locator("#device_class").select_option("IIa")
    page.locator("#stage").select_option("concept")
    page.locator("input[name=visibility][value=public]").check()
    page.locator("form[action$='/questions/ask'] button[type=submit]").click()
    page.wait_for_load_state()
    return page.url.split("#")[0]


def _flag(page, server, question_url: str, language: Language) -> None:
    page.goto(question_url)
    page.locator("article.question a.flag-link").filter(has_text=language.flag_link).click()
    page.wait_for_load_state()
    page.locator("input[name=reason][value=spam]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    _flash(page, language.flag_sent)


def _questions_asked(page, server, language: Language) -> str:
    """The review's "questions asked" figure for the last two days, as the page shows it."""
    today = calendar.today()
    page.goto(
        server.url(f"/review?from={(today - timedelta(days=1)).isoformat()}&to={today.isoformat()}")
    )
    with force_locale(language.code):
        label = gettext("Questions asked")
    # The row headed by exactly that label (a column of the projects' table says it too).
    row_header = page.locator("th[scope=row]", has_text=re.compile(f"^{re.escape(label)}$"))
    return page.locator("tr", has=row_header).first.locator("td").first.inner_text()


def _assert_gone_for_visitors(
    browser, server, question_url: str, question_id: int, language: Language
) -> None:
    context = local_context(browser, server, locale=language.browser_locale)
    page = context.new_page()
    try:
        assert page.goto(question_url).status == 404
        _shot(page, language, "3-visitor-404")
        for path in ("/", "/questions", f"/search?q={SPAM_WORD}"):
            page.goto(server.url(path))
            # The title (the search page repeats the query word itself).
            assert "CE mark in 2 weeks" not in page.locator("main").inner_text(), path
        suggested = page.request.get(server.url(f"/search/suggest?q={SPAM_WORD}")).json()
        assert suggested["suggestions"] == []
        assert page.request.get(server.url(f"/api/v1/questions/{question_id}")).status == 404
        listed = page.request.get(server.url("/api/v1/questions")).json()
        assert question_id not in [item["id"] for item in listed["items"]]
        assert page.request.get(server.url(f"/api/v1/search?q={SPAM_WORD}")).json()["items"] == []
    finally:
        context.close()


@pytest.mark.parametrize("language", [ENGLISH, ITALIAN], ids=["en", "it"])
def test_spam_is_flagged_hidden_marked_and_a_locked_question_refuses_answers(
    app,
    chromium,
    live_server,
    people,
    make_user,
    language,  # noqa: F811  (fixtures)
):
    spammer = make_user(name="Sam Spammer")
    spammer.locale = language.code
    db.session.commit()
    locked = ask_question(people.other, title="Which notified body for a class IIa app?")
    answer = answers.post_answer(locked, people.expert, "Any body designated for the MDR codes.")
    answers.accept_answer(locked, answer, people.other)
    locked_url = live_server.url(f"/questions/{locked.id}")

    context = local_context(chromium, live_server, locale=language.browser_locale)
    page = context.new_page()
    try:
        # An admin reads the review's count before the advert.
        log_in(page, live_server, people.admin.email, PASSWORD)
        asked_before = _questions_asked(page, live_server, language)
        log_out(page, live_server)

        # 1. The new account posts its advert.
        log_in(page, live_server, spammer.email, PASSWORD)
        question_url = _ask(page, live_server)
        _flash(page, language.question_posted)
        question = db.session.scalar(select(Question).where(Question.author_id == spammer.id))
        log_out(page, live_server)

        # 2. Two members flag it; it is hidden.
        for member in (people.asker, people.chair):
            log_in(page, live_server, member.email, PASSWORD)
            _flag(page, live_server, question_url, language)
            log_out(page, live_server)
        db.session.refresh(question)
        assert question.moderation_state == ModerationState.FLAGGED

        # 3. Gone for visitors, and from the review's counts.
        _assert_gone_for_visitors(chromium, live_server, question_url, question.id, language)
        log_in(page, live_server, people.admin.email, PASSWORD)
        assert _questions_asked(page, live_server, language) == asked_before

        # 4. The admin marks it as spam from the queue.
        page.goto(live_server.url("/admin/moderation"))
        queue = page.locator("main").inner_text()
        assert SPAM_TITLE in queue and people.asker.display_name in queue
        _shot(page, language, "4-queue")
        page.locator(f"#question-{question.id} a.button").click()
        page.wait_for_load_state()
        page.locator("input[name=action][value=spam]").check()
        page.locator("#reason").fill(SPAM_REASON)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        _flash(page, language.done)
        db.session.refresh(question)
        assert question.moderation_state == ModerationState.SPAM

        # 6. An expert opens another question; the admin locks it meanwhile.
        expert_context = local_context(chromium, live_server, locale=language.browser_locale)
        expert_page = expert_context.new_page()
        log_in(expert_page, live_server, people.expert.email, PASSWORD)
        expert_page.goto(locked_url)
        assert expert_page.locator("form[action$='/answers'] #body").is_visible()
        page.goto(live_server.url(f"/admin/moderation/question/{locked.id}"))
        page.locator("input[name=action][value=lock]").check()
        page.locator("#reason").fill(LOCK_REASON)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        _flash(page, language.done)
        log_out(page, live_server)

        # 5. The author sees the advert marked as spam, with the reason.
        log_in(page, live_server, spammer.email, PASSWORD)
        page.goto(question_url)
        notice = page.locator("article.question .moderation-notice").inner_text()
        assert language.spam_label in notice and SPAM_REASON in notice
        _shot(page, language, "5-author-sees-spam")
        log_out(page, live_server)

        # 7. The expert's answer, typed on the page opened before the lock, is refused.
        expert_page.locator("form[action$='/answers'] #body").fill(
            "A late answer that the lock must refuse, with a clear message."
        )
        expert_page.locator("form[action$='/answers'] button[type=submit]").click()
        expert_page.wait_for_load_state()
        _flash(expert_page, language.locked)
        assert LOCK_REASON in expert_page.locator("main").inner_text()
        assert expert_page.locator("form[action$='/answers']").count() == 0
        _shot(expert_page, language, "7-locked-refuses")
        db.session.refresh(locked)
        assert len(locked.answers) == 1
        expert_context.close()
    finally:
        context.close()
