"""A reader sorts the question list by unanswered first and narrows it to a device class, in
English and in Italian, with and without JavaScript; the choices stay in the URL."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from forum.extensions import db
from forum.models import DevelopmentStage, DeviceClass, Role, Visibility
from forum.models.columns import utcnow
from forum.services import answers, questions
from forum.services.questions import QuestionDraft
from tests.browser.chromium import local_context
from tests.factories import topic_id

LOCALES = {"en": "en-GB", "it": "it-IT"}


def _asked(author, title: str, device_class: DeviceClass, days_ago: int, **extra):
    question = questions.ask(
        author,
        QuestionDraft(
            title=title,
            body="Our device is ready for its first clinical study: what comes first?",
            topic_ids=[topic_id()],
            device_class=device_class,
            stage=DevelopmentStage.PROTOTYPE,
            visibility=extra.get("visibility", Visibility.PUBLIC),
        ),
    )
    question.created_at = question.last_activity_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return question


@pytest.fixture
def listed(make_user):
    asker, expert = make_user(), make_user(Role.EXPERT)
    answered = _asked(asker, "Newest IIb question, already answered", DeviceClass.CLASS_IIB, 1)
    answers.post_answer(answered, expert, "Ask the notified body before the first patient.")
    waiting = _asked(asker, "Older IIb question still waiting", DeviceClass.CLASS_IIB, 9)
    other = _asked(asker, "Class III question nobody answered", DeviceClass.CLASS_III, 3)
    secret = _asked(
        asker,
        "Confidential IIb question of another company",
        DeviceClass.CLASS_IIB,
        0,
        visibility=Visibility.CONFIDENTIAL,
    )
    return answered, waiting, other, secret


def _screenshot(page, name: str, tmp_path: Path) -> Path:
    directory = Path(os.environ.get("FORUM_SCREENSHOTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize("language", ["en", "it"])
@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_a_reader_sorts_unanswered_first_and_filters_by_device_class(
    chromium, live_server, listed, tmp_path, language, script
):
    answered, waiting, other, secret = listed
    context = local_context(
        chromium, live_server, locale=LOCALES[language], java_script_enabled=script
    )
    page = context.new_page()
    page.goto(live_server.url("/questions"))
    assert page.locator("html").get_attribute("lang") == language
    sort_label = {"en": "Sort by", "it": "Ordina per"}[language]
    class_label = {"en": "Device class", "it": "Classe del dispositivo"}[language]
    page.get_by_label(sort_label).select_option("unanswered")
    page.get_by_label(class_label).select_option("IIb")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()

    assert "sort=unanswered" in page.url and "device_class=IIb" in page.url
    rows = page.locator(".question-list .question-title a")
    assert rows.all_inner_texts() == [waiting.title, answered.title]
    # The choices stay selected on the page the form led to, and on a reload of its URL.
    page.reload()
    assert page.get_by_label(sort_label).input_value() == "unanswered"
    assert page.get_by_label(class_label).input_value() == "IIb"
    unanswered_first = {"en": "Unanswered first", "it": "Prima quelle senza risposta"}[language]
    assert page.get_by_label(sort_label).locator("option:checked").inner_text() == unanswered_first
    assert secret.title not in page.content() and other.title not in page.content()
    if script:
        _screenshot(page, f"questions-sorted-filtered-{language}.png", tmp_path)
    context.close()
