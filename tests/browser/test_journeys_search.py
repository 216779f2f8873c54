"""Search in a real browser: a visitor searches a busy thread's words from the header's
search box and finds that thread once among the first three results, beside the other
threads and the guide section the words are in, in English and in Italian.

With FORUM_SCREENSHOTS set, the results page is saved as search-threads-<lang>.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from forum.services import answers
from forum.services.guide import importing
from tests.browser.chromium import local_context
from tests.factories import ask_question, published_board_answer

WORDS = "notified body audit"
BUSY_TITLE = "Who checks our class IIb infusion pump?"


@pytest.mark.parametrize(
    "locale, lang, part",
    [
        ("en-GB", "en", "In the board's answer:"),
        ("it-IT", "it", "Nella risposta del comitato:"),
    ],
)
def test_a_visitor_finds_a_busy_thread_once_in_the_top_three(
    chromium, live_server, people, locale, lang, part
):
    busy = ask_question(
        people.asker,
        title=BUSY_TITLE,
        body="We need someone to check the pump before the study. Which notified body?",
    )
    # Every part of the thread has the words; the board's answer has them most.
    answers.post_answer(busy, people.expert, "Any notified body designated for pumps.")
    answers.post_answer(busy, people.clinical, "Ask them about the audit plan first.")
    published_board_answer(
        busy, people.board, "Notified body audit: the notified body designated for IIb audits."
    )
    others = [
        ask_question(people.other, title="Does the audit cover the software?"),
        ask_question(people.other, title="When is the yearly audit due?"),
    ]
    importing.import_guide(
        "# Guide\n\nIntro.\n\n## Conformity assessment\n\nThe notified body plans each audit.\n",
        people.admin,
    )

    context = local_context(chromium, live_server, locale=locale)
    page = context.new_page()
    try:
        page.goto(live_server.url("/"))
        page.locator("#header-search-q").fill(WORDS)
        page.locator("form.header-search button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang

        titles = page.locator("ol.search-results .search-hit-title a").all_inner_texts()
        top_three = titles[:3]
        assert top_three.count(BUSY_TITLE) == 1, titles
        assert titles.count(BUSY_TITLE) == 1, titles  # once in all the results, too
        assert len(titles) == 4  # the three threads and the guide section
        assert {other.title for other in others} <= set(titles)
        busy_hit = page.locator("li.search-hit", has_text=BUSY_TITLE)
        assert busy_hit.locator(".search-part").inner_text() == part
        href = busy_hit.locator(".search-hit-title a").get_attribute("href")
        assert href.endswith("#board-answer")

        directory = os.environ.get("FORUM_SCREENSHOTS")
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(directory) / f"search-threads-{lang}.png"))

        # The link leads to the board's answer on the question's page.
        busy_hit.locator(".search-hit-title a").click()
        page.wait_for_load_state()
        assert page.url.endswith("#board-answer")
        assert page.locator("#board-answer").is_visible()
    finally:
        context.close()
