"""The member's journeys, end to end in a real browser against a live server.

1. A member registers (choosing the password through the e-mailed link) and asks a confidential question; a visitor cannot find it on
   the home page, in the question list, in search, nor by its address.
2. An expert answers that member's question; the member accepts the answer.
6. The whole of journey 1 in Italian: the browser prefers Italian, every page the
   member sees speaks it (``<html lang="it">``, Italian messages), and the question
   stays as it was written.

Everything a journey names is done through the pages (forms filled, buttons
clicked); only the cast a journey does not name (the expert, the asking member of
journey 2 and their question) is set up through the services.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from forum.extensions import db
from forum.models import ExpertArea, Role, Visibility
from tests.browser.chromium import local_context, log_in, log_out
from tests.factories import ask_question, registration_link
from tests.fixtures.people import PASSWORD


@dataclass(frozen=True)
class Language:
    """What the member's browser asks for and what the forum must answer in."""

    browser_locale: str
    html_lang: str
    welcome: str
    question_posted: str
    confidential_badge: str
    answer_posted: str
    answer_accepted: str


ENGLISH = Language(
    browser_locale="en-GB",
    html_lang="en",
    welcome="Welcome to the forum, Chiara Rossi.",
    question_posted="Your question is posted.",
    confidential_badge="Confidential: visible to the author, the experts and the admins",
    answer_posted="Your answer is posted.",
    answer_accepted="You accepted this answer. The question is closed.",
)
ITALIAN = Language(
    browser_locale="it-IT",
    html_lang="it",
    welcome="Ti diamo il benvenuto nel forum, Chiara Rossi.",
    question_posted="La tua domanda è pubblicata.",
    confidential_badge="Riservata: visibile all'autore, agli esperti e agli amministratori",
    answer_posted="La tua risposta è pubblicata.",
    answer_accepted="Hai accettato questa risposta. La domanda è chiusa.",
)

# A word no demo or fixture text contains, so search results can be trusted.
SECRET_WORD = "Xylocardiometer"
QUESTION_TITLE = f"Can the {SECRET_WORD} prototype skip a first-in-human study?"
BODY_PHRASE = "an implantable class III sensor"
QUESTION_BODY = (
    f"Our unreleased {SECRET_WORD} is {BODY_PHRASE}. "
    "Do we need a first-in-human investigation before the pivotal one, and which "
    "Italian authority do we notify first?"
)


def _assert_speaks(page, language: Language) -> None:
    assert page.locator("html").get_attribute("lang") == language.html_lang, page.url


def _assert_flash(page, message: str) -> None:
    assert page.get_by_text(message, exact=True).first.is_visible(), (
        f"expected the message {message!r} on {page.url}"
    )


def _register(page, server, language: Language) -> None:
    page.goto(server.url("/register"))
    _assert_speaks(page, language)
    page.locator("#display_name").fill("Chiara Rossi")
    page.locator("#email").fill("chiara.rossi@cardiostart.example")
    page.locator("#organisation_name").fill("CardioStart S.r.l.")
    page.locator("#organisation_kind").select_option("start-up")
    page.locator("#province").select_option("MI")
    page.locator("form[action$='/register'] button[type=submit]").click()
    page.wait_for_load_state()
    _assert_speaks(page, language)
    # The link to finish registering, as the e-mail carries it (the live server shares
    # the test's database).
    db.session.rollback()
    page.goto(server.url(registration_link("chiara.rossi@cardiostart.example")))
    _assert_speaks(page, language)
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("form[action*='/register/finish/'] button[type=submit]").click()
    page.wait_for_load_state()
    _assert_flash(page, language.welcome)
    _assert_speaks(page, language)


def _ask_confidential_question(page, server, language: Language) -> str:
    """Ask through the form; the question's address."""
    page.goto(server.url("/questions/ask"))
    _assert_speaks(page, language)
    page.locator("#title").fill(QUESTION_TITLE)
    page.locator("#body").fill(QUESTION_BODY)
    page.locator("input[name=topics]").first.check()
    page.locator("#device_class").select_option("III")
    page.locator("#stage").select_option("prototype")
    page.locator(f"input[name=visibility][value={Visibility.CONFIDENTIAL.value}]").check()
    page.locator("form[action$='/questions/ask'] button[type=submit]").click()
    page.wait_for_load_state()
    _assert_flash(page, language.question_posted)
    _assert_speaks(page, language)
    # The member's own words, untranslated, with the confidential badge.
    assert page.locator("#question-title").inner_text() == QUESTION_TITLE
    assert QUESTION_BODY in page.locator("main").inner_text()
    assert page.get_by_text(language.confidential_badge).is_visible()
    return page.url


def _assert_visitor_cannot_find(browser, server, question_url: str, language: Language) -> None:
    context = local_context(browser, server, locale=language.browser_locale)
    page = context.new_page()
    try:
        question_path = question_url.removeprefix(server.base_url).split("#")[0]
        for path in (
            "/",
            "/questions",
            f"/search?q={SECRET_WORD}",
            f"/search?q={SECRET_WORD.lower()}+prototype",
        ):
            page.goto(server.url(path))
            _assert_speaks(page, language)
            # Search pages repeat the query itself, so look for the question's text.
            html = page.content()
            for leak in (QUESTION_TITLE, BODY_PHRASE, question_path):
                assert leak not in html, f"the confidential question leaks on {path}: {leak!r}"
        response = page.goto(question_url)
        assert response.status == 404, f"a visitor got {response.status} for {question_path}"
        assert BODY_PHRASE not in page.content()
    finally:
        context.close()


@pytest.mark.parametrize(
    "language", [ENGLISH, ITALIAN], ids=["journey-1-english", "journey-6-italian"]
)
def test_member_registers_asks_confidentially_and_a_visitor_cannot_find_it(
    app,
    chromium,
    live_server,
    make_user,
    language,  # noqa: F811  (fixtures)
):
    make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Elena Research")  # a board to ask
    context = local_context(chromium, live_server, locale=language.browser_locale)
    page = context.new_page()
    try:
        _register(page, live_server, language)
        question_url = _ask_confidential_question(page, live_server, language)
        # The member finds their own question in the list they see.
        page.goto(live_server.url("/questions"))
        assert page.get_by_role("link", name=QUESTION_TITLE).is_visible()
    finally:
        context.close()
    _assert_visitor_cannot_find(chromium, live_server, question_url, language)


def test_expert_answers_and_the_member_accepts(app, chromium, live_server, make_user):  # noqa: F811
    member = make_user(name="Chiara Rossi")
    expert = make_user(Role.EXPERT, ExpertArea.CLINICAL, name="Paolo Clinical")
    question = ask_question(
        member, title=QUESTION_TITLE, body=QUESTION_BODY, visibility=Visibility.CONFIDENTIAL
    )
    question_path = f"/questions/{question.id}"
    answer_text = (
        "Yes: a first-in-human study is a clinical investigation under MDR Art. 62; "
        "notify the Ministry of Health and obtain the ethics committee's opinion first."
    )

    context = local_context(chromium, live_server)
    page = context.new_page()
    try:
        log_in(page, live_server, expert.email, PASSWORD)
        page.goto(live_server.url(question_path))
        answer_form = page.locator(f"form[action$='{question_path}/answers']")
        answer_form.locator("#body").fill(answer_text)
        answer_form.get_by_role("button", name="Post answer").click()
        page.wait_for_load_state()
        _assert_flash(page, ENGLISH.answer_posted)
        answer = page.locator("article.answer", has_text="MDR Art. 62")
        assert answer.is_visible()
        assert "Paolo Clinical" in answer.inner_text()
        # Only the asker accepts: the expert is offered no such button.
        assert answer.get_by_role("button", name="Accept answer").count() == 0
        log_out(page, live_server)

        log_in(page, live_server, member.email, PASSWORD)
        page.goto(live_server.url(question_path))
        answer = page.locator("article.answer", has_text="MDR Art. 62")
        answer.get_by_role("button", name="Accept answer").click()
        page.wait_for_load_state()
        _assert_flash(page, ENGLISH.answer_accepted)
        accepted = page.locator("article.answer.accepted")
        assert accepted.count() == 1
        assert "MDR Art. 62" in accepted.inner_text()
        assert accepted.get_by_text("Accepted answer", exact=True).is_visible()
        # The acceptance is kept: a fresh load still shows it.
        page.reload()
        assert page.locator("article.answer.accepted").count() == 1
        assert page.get_by_role("button", name="Withdraw acceptance").is_visible()
    finally:
        context.close()
