"""Previewing an answer in Chromium, in English and Italian (issue 26, item 3).

An expert types a list right under a line of text in the answer box and clicks
Preview: with script, the rendered list appears in the preview region under the box,
the page does not reload, the text stays in the box and nothing is posted. Then the same
with JavaScript off: the form comes back from the server with the preview. No page
ever runs a script the server sent back (the text carries one).

Screenshots go to ``build/screenshots/preview-<language>-*.png``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum.config import PROJECT_ROOT
from forum.extensions import db
from forum.models import Answer, Role
from tests.browser.chromium import local_context, log_in
from tests.factories import ask_question
from tests.fixtures.people import PASSWORD

SHOTS = PROJECT_ROOT / "build" / "screenshots"
TEXT = (
    "Before the first patient, check:\n"
    "- the Ministry's validation (MDR Art. 70)\n"
    "- the ethics committee's opinion\n"
    "- the insurance certificate\n\n"
    "Then tell the sites.<script>document.title='owned'</script>"
)


@dataclass(frozen=True)
class Language:
    code: str
    browser_locale: str
    preview_button: str
    preview_label: str


ENGLISH = Language("en", "en-GB", "Preview", "Preview (not saved yet)")
ITALIAN = Language("it", "it-IT", "Anteprima", "Anteprima (non ancora salvata)")


def _shot(page, language: Language, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SHOTS) / f"preview-{language.code}-{name}.png"), full_page=True)


def _answers() -> int:
    return db.session.scalar(select(func.count()).select_from(Answer))


@pytest.mark.parametrize("language", [ENGLISH, ITALIAN], ids=["en", "it"])
def test_an_expert_previews_a_list_in_the_answer_box(
    app, chromium, live_server, make_user, language
):
    question = ask_question(make_user(), title="Which checks before the first patient?")
    expert = make_user(Role.EXPERT)
    question_url = live_server.url(f"/questions/{question.id}")

    # With script: the text goes to /preview and the answer is shown in place.
    context = local_context(chromium, live_server, locale=language.browser_locale)
    page = context.new_page()
    try:
        log_in(page, live_server, expert.email, PASSWORD)
        page.goto(question_url)
        page.locator("#body").fill(TEXT)
        with page.expect_response(lambda response: response.url.endswith("/preview")) as sent:
            page.locator(
                f"input[data-preview-target=body-preview][value={language.preview_button}]"
            ).click()
        assert sent.value.status == 200
        region = page.locator("#body-preview")
        region.locator("li").first.wait_for()
        assert region.get_attribute("aria-live") == "polite"
        assert region.locator("li").all_inner_texts() == [
            "the Ministry's validation (MDR Art. 70)",
            "the ethics committee's opinion",
            "the insurance certificate",
        ]
        assert language.preview_label in region.inner_text()
        assert page.url == question_url  # no reload
        assert page.locator("#body").input_value() == TEXT
        assert page.title() != "owned" and region.locator("script").count() == 0
        region.scroll_into_view_if_needed()
        _shot(page, language, "1-script")
        assert _answers() == 0
    finally:
        context.close()

    # Without script: the form is posted with the preview flag and comes back with it.
    context = local_context(
        chromium, live_server, locale=language.browser_locale, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, live_server, expert.email, PASSWORD)
        page.goto(question_url)
        page.locator("#body").fill(TEXT)
        page.locator("input[data-preview-target=body-preview]").click()
        page.wait_for_load_state()
        region = page.locator("#body-preview")
        assert len(region.locator("li").all_inner_texts()) == 3
        # The page opens on the preview, not at its top.
        assert page.evaluate("document.activeElement.id") == "body-preview"
        assert page.locator("#body").input_value() == TEXT
        _shot(page, language, "2-no-script")
        assert _answers() == 0
        # The real submission from the previewed form posts the answer.
        page.locator(".your-answer form button[type=submit]").click()
        page.wait_for_load_state()
        assert _answers() == 1
        assert page.locator(".answer .post-body li").count() == 3
    finally:
        context.close()


@pytest.mark.parametrize("language", [ENGLISH, ITALIAN], ids=["en", "it"])
def test_an_asker_who_skips_class_and_stage_is_asked_for_them(
    app, chromium, live_server, make_user, language
):
    member = make_user()
    context = local_context(chromium, live_server, locale=language.browser_locale)
    page = context.new_page()
    try:
        log_in(page, live_server, member.email, PASSWORD)
        page.goto(live_server.url("/questions/ask"))
        assert page.locator("#device_class").input_value() == ""
        assert page.locator("#stage").input_value() == ""
        page.locator("#title").fill("Which committee reviews a first-in-human study?")
        page.locator("#body").fill("Our catheter is ready for its first study:\n- 10 patients")
        page.locator("input[name=topics]").first.check()
        # Enter in the title posts the form, as on any form: with script the Preview
        # button under the body is not a submit button, so it does not take the Enter.
        with page.expect_navigation():
            page.locator("#title").press("Enter")
        errors = page.locator("#device_class-error, #stage-error").all_inner_texts()
        assert len(errors) == 2, page.locator("main").inner_text()
        assert page.locator("#body").input_value().endswith("- 10 patients")
        assert page.locator("input[name=topics]").first.is_checked()
        page.locator("#device_class").scroll_into_view_if_needed()
        _shot(page, language, "3-ask-class-and-stage")
        page.locator("#device_class").select_option("III")
        page.locator("#stage").select_option("prototype")
        page.locator("form[action$='/questions/ask'] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".post-body li").first.inner_text() == "10 patients"
    finally:
        context.close()
