"""The FAQ in daily use (issue 26, item 6), in a real browser, in English and Italian.

A reader opens the FAQ, picks a topic in its index and opens an entry (collapsed, its
question visible); a link to an entry opens it, with and without script. A curator
finds the candidates from the admin pages, promotes one through the promotion form,
and its question then says "In the FAQ", linking to the opened entry.

Screenshots of each step go to FORUM_SCREENSHOTS when it is set (``faq-*.png``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from forum.extensions import db
from forum.models import Topic
from forum.services import answers, faq
from forum.services.accounts import profile
from tests.browser.chromium import local_context, log_in
from tests.factories import ask_question, topic_id
from tests.fixtures.people import PASSWORD

PMCF_QUESTION = "How long must PMCF data be collected after CE marking?"
PMCF_ANSWER = "For the lifetime of the device, as the PMCF plan sets out (MDR Annex XIV)."
PATHWAY_QUESTION = "Does a first study of a class IIb tool need the Ministry's authorisation?"
PATHWAY_ANSWER = "Yes: under MDR Art. 70 the Ministry authorises it before the first patient."
CANDIDATE_TITLE = "Which insurance covers the participants of a pilot study?"

# Each language's words the journey clicks or reads.
WORDS = {
    "en": {
        "locale": "en-GB",
        "candidates": "Candidates for the FAQ",
        "promote": "Promote to the FAQ",
        "promoted": "The answer is in the FAQ.",
        "in_faq": "In the FAQ",
    },
    "it": {
        "locale": "it-IT",
        "candidates": "Domande candidate per le FAQ",
        "promote": "Inserisci nelle FAQ",
        "promoted": "La risposta è nelle FAQ.",
        "in_faq": "Nelle FAQ",
    },
}


def _shots() -> Path | None:
    directory = os.environ.get("FORUM_SCREENSHOTS")
    if not directory:
        return None
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _shoot(page, name: str) -> None:
    directory = _shots()
    if directory is not None:
        page.screenshot(path=str(directory / f"faq-{name}.png"), full_page=True)


def _entry(people, slug: str, question: str, answer: str):
    source = ask_question(people.asker, title=f"Source: {question}", topics=(slug,))
    return faq.promote_answer(
        people.admin,
        answers.post_answer(source, people.expert, answer),
        question_text=question,
        answer_text=answer,
        topic=db.session.get(Topic, topic_id(slug)),
    )


@pytest.mark.parametrize("language", ["en", "it"])
def test_a_reader_picks_a_topic_and_opens_an_entry_then_a_curator_promotes_a_candidate(
    app, chromium, live_server, people, language
):
    words = WORDS[language]
    profile.set_locale(people.admin, language)  # the curator's pages in their own language
    pmcf = _entry(people, "pmcf", PMCF_QUESTION, PMCF_ANSWER)
    _entry(people, "regulatory-pathway", PATHWAY_QUESTION, PATHWAY_ANSWER)
    candidate = ask_question(people.asker, title=CANDIDATE_TITLE, topics=("insurance-costs",))
    accepted = answers.post_answer(candidate, people.expert, "The sponsor's clinical trial policy.")
    answers.accept_answer(candidate, accepted, people.asker)

    context = local_context(chromium, live_server, locale=words["locale"])
    page = context.new_page()
    try:
        # The reader: the index, a topic, an entry collapsed then opened.
        page.goto(live_server.url("/faq"))
        assert page.locator("html").get_attribute("lang") == language
        index = page.locator("nav.faq-topics")
        assert index.locator(".count").first.is_visible()
        _shoot(page, f"index-{language}")
        entry = page.locator(f"#faq-{pmcf.id}")
        assert entry.locator("summary").inner_text() == PMCF_QUESTION
        assert not entry.get_by_text(PMCF_ANSWER).is_visible()
        index.locator("a[href='#pmcf']").click()
        assert page.url.endswith("#pmcf")
        entry.locator("summary").click()
        assert entry.get_by_text(PMCF_ANSWER).is_visible()
        _shoot(page, f"entry-open-{language}")

        # A link to an entry (as search gives) opens it through the small script.
        page.goto(live_server.url("/questions"))
        page.goto(live_server.url(f"/faq#faq-{pmcf.id}"))
        assert page.locator(f"#faq-{pmcf.id}").get_attribute("open") is not None
        assert page.get_by_text(PMCF_ANSWER).is_visible()

        # The curator: candidates from the admin pages, then the promotion form.
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/admin"))
        page.get_by_role("link", name=words["candidates"]).first.click()
        page.wait_for_load_state()
        row = page.locator(f"#candidate-{candidate.id}")
        assert CANDIDATE_TITLE in row.inner_text()
        _shoot(page, f"candidates-{language}")
        row.get_by_role("link", name=words["promote"]).click()
        page.wait_for_load_state()
        page.locator("form[action*='/faq/promote'] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_text(words["promoted"], exact=True).first.is_visible()
        page.goto(live_server.url("/faq/candidates"))
        assert page.locator(f"#candidate-{candidate.id}").count() == 0

        # The question now says so, and offers no second promotion.
        page.goto(live_server.url(f"/questions/{candidate.id}"))
        marker = page.locator("header .badge-faq")
        assert marker.inner_text() == words["in_faq"]
        assert page.locator(f"a[href*='/faq/promote?answer={accepted.id}']").count() == 0
        _shoot(page, f"question-in-faq-{language}")
        marker.click()
        page.wait_for_load_state()
        opened = page.locator("details.faq-entry[open]")
        assert opened.count() == 1
        assert CANDIDATE_TITLE in opened.locator("summary").inner_text()
        _shoot(page, f"promoted-entry-{language}")
    finally:
        context.close()


def test_without_script_a_link_lands_on_the_entry_and_the_faq_still_works(
    app, chromium, live_server, people
):
    pmcf = _entry(people, "pmcf", PMCF_QUESTION, PMCF_ANSWER)
    context = local_context(chromium, live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url(f"/faq#faq-{pmcf.id}"))
        entry = page.locator(f"#faq-{pmcf.id}")
        # Collapsed, its question in view; a click opens it (no script needed).
        assert entry.locator("summary").is_visible()
        assert entry.get_attribute("open") is None
        entry.locator("summary").click()
        assert page.get_by_text(PMCF_ANSWER).is_visible()
        # The "In the FAQ" links name the entry in the query: opened by the server.
        page.goto(live_server.url(f"/faq?entry={pmcf.id}#faq-{pmcf.id}"))
        assert page.locator(f"#faq-{pmcf.id}").get_attribute("open") is not None
        assert page.get_by_text(PMCF_ANSWER).is_visible()
    finally:
        context.close()
