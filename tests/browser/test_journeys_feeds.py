"""A visitor finds the feeds from the pages, in English and in Italian: the head's
``<link rel="alternate">`` a feed reader discovers, the visible link a person follows,
the feed behind both, and the favicon; axe finds nothing serious on those pages."""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Topic, Visibility
from forum.services import answers, faq
from tests.browser.chromium import local_context
from tests.browser.test_accessibility import _axe_source, _serious_violations
from tests.factories import ask_question

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC_TITLE = "Which pathway for our class IIb tool & its <app>?"
SECRET_TITLE = "Unreleased CardioPatch at Niguarda"


@pytest.fixture
def forum_content(app, live_server, people):
    app.config["PUBLIC_BASE_URL"] = live_server.base_url
    question = ask_question(people.asker, title=PUBLIC_TITLE)
    ask_question(people.asker, title=SECRET_TITLE, visibility=Visibility.CONFIDENTIAL)
    answer = answers.post_answer(question, people.expert, "Notify the Ministry (MDR Art. 70).")
    topic = db.session.scalar(select(Topic).where(Topic.slug == "regulatory-pathway"))
    faq.promote_answer(
        people.admin,
        answer,
        question_text="Which pathway applies to a class IIb tool?",
        answer_text="Notify the Ministry (MDR Art. 70).",
        topic=topic,
    )
    return question


@pytest.mark.parametrize(
    "locale,html_lang,feed_label",
    [
        ("en-GB", "en", "New questions on Regulatory pathway as an Atom feed"),
        ("it-IT", "it", "Nuove domande su Percorso regolatorio in un feed Atom"),
    ],
)
def test_a_visitor_finds_each_feed_from_its_page(
    chromium, live_server, forum_content, locale, html_lang, feed_label
):
    context = local_context(chromium, live_server, locale=locale, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(live_server.url("/questions"))
        page.locator("#filter-topic").select_option("regulatory-pathway")
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == html_lang
        visible = page.locator("main .feed-link a")
        assert feed_label in visible.inner_text()
        head = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
        assert head.count() == 1
        assert head.get_attribute("href") == visible.get_attribute("href")
        feed = page.request.get(live_server.url(visible.get_attribute("href")))
        assert feed.ok and feed.headers["content-type"] == "application/atom+xml; charset=utf-8"
        root = ElementTree.fromstring(feed.body())
        # The subscription keeps the page's language, whatever a feed program sends later.
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == html_lang
        titles = [t.text for t in root.iter(f"{ATOM}title")]
        assert PUBLIC_TITLE in titles and SECRET_TITLE not in titles
        _check_with_axe(page, "questions-topic")
        _screenshot(page, f"feeds-questions-topic-{html_lang}.png")

        for path, feed_path in (
            ("/faq", "/faq/feed.atom"),
            ("/guide/releases", "/guide/releases.atom"),
        ):
            feed_path += "?lang=it" if html_lang == "it" else ""
            page.goto(live_server.url(path))
            links = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
            assert links.get_attribute("href") == feed_path
            assert page.locator(f'main a[href="{feed_path}"]').count() == 1
            assert page.request.get(live_server.url(feed_path)).ok
            _check_with_axe(page, path)

        icon = page.locator('head link[rel="icon"]').first.get_attribute("href")
        fetched = page.request.get(live_server.url(icon))
        assert fetched.ok and fetched.headers["content-type"] == "image/x-icon"
    finally:
        context.close()


def _check_with_axe(page, name: str) -> None:
    page.add_script_tag(path=str(_axe_source()))
    violations = _serious_violations(page, name)
    assert not violations, "\n".join(violations)


def _screenshot(page, name: str) -> None:
    directory = os.environ.get("FORUM_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / name), full_page=True)
