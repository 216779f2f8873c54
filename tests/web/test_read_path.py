"""The main read pages: a fixed number of queries however much there is, and no writes.

Measured with the page cache off, so the pages are really rendered; with it on,
a page served from the cache runs one query (tests/web/test_page_cache.py).
"""

from __future__ import annotations

import re

import pytest

from forum import create_app
from forum.extensions import db
from forum.models import Visibility
from forum.services import answers, faq
from tests.conftest import CsrfClient, _test_settings
from tests.factories import ask_question, published_board_answer, topic_id
from tests.fixtures.people import PASSWORD

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
MAIN_PAGES = ["/", "/questions", "question", "/faq", "/guide"]
# The feeds and the sitemap: read by programs on every poll, so held to the same rules.
PUBLIC_DOCUMENTS = [
    "/faq/feed.atom",
    "/guide/releases.atom",
    "/topics/regulatory-pathway/feed.atom",
    "/sitemap.xml",
    "/sitemaps/pages.xml",
    "/sitemaps/questions-1.xml",
]


@pytest.fixture
def uncached_app(database_url, seeded_ids, app):
    rendering = create_app({**_test_settings(database_url), "PAGE_CACHE_SECONDS": 0})
    rendering.test_client_class = CsrfClient
    return rendering


def _add_content(people, count: int, prefix: str):
    """Questions with answers and comments, some confidential, a board answer, FAQ entries."""
    first = None
    for number in range(count):
        question = ask_question(
            people.asker if number % 2 else people.other,
            title=f"{prefix} {number}: how many patients for a pilot study?",
            visibility=Visibility.CONFIDENTIAL if number % 3 == 2 else Visibility.PUBLIC,
        )
        for expert in (people.expert, people.clinical):
            answer = answers.post_answer(question, expert, f"{prefix}: twenty to thirty.")
            answers.post_comment(
                question, people.asker if number % 2 else people.other, "Thank you.", answer=answer
            )
        if number % 3 == 1:
            faq.promote_answer(
                people.admin,
                answer,
                question_text=f"{prefix} {number}?",
                answer_text="Twenty to thirty.",
                topic=_topic(),
            )
        first = first or question
    published_board_answer(first, people.board, f"{prefix}: the board's view.")
    return first


def _topic():
    from forum.models import Topic

    return db.session.get(Topic, topic_id())


def _url(page: str, question) -> str:
    return f"/questions/{question.id}" if page == "question" else page


def _statements_of(app, client, url: str) -> list[str]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        from sqlalchemy import event

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get(url)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    return statements


@pytest.mark.parametrize("page", MAIN_PAGES + PUBLIC_DOCUMENTS)
@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_a_main_page_runs_the_same_queries_with_more_content(uncached_app, people, page, reader):
    client = uncached_app.test_client()
    if reader == "member":
        client.post("/login", data={"email": people.asker.email, "password": PASSWORD})
        client.get("/")  # the login's greeting
    counts = []
    for prefix, count in (("Few", 2), ("Many", 9)):
        question = _add_content(people, count, prefix)
        counts.append(len(_statements_of(uncached_app, client, _url(page, question))))
    assert counts[0] == counts[1], f"{page} as {reader}: {counts}"


@pytest.mark.parametrize("page", MAIN_PAGES + PUBLIC_DOCUMENTS)
def test_reading_a_main_page_writes_nothing(app, uncached_app, people, page):
    question = _add_content(people, 3, "Read")
    for rendering in (app, uncached_app):
        for reader in ("visitor", "member"):
            client = rendering.test_client()
            if reader == "member":
                client.post("/login", data={"email": people.other.email, "password": PASSWORD})
                client.get("/")
                # The asker's first visit marks their news about the page read (issue 22):
                # that write, and the bump of their own page generation (issue 27), and
                # only they, are allowed, once.
                first = [
                    statement
                    for statement in _statements_of(rendering, client, _url(page, question))
                    if WRITE.match(statement)
                ]
                assert all(
                    re.match(
                        r"\s*(UPDATE notification|INSERT INTO user_page_generation)\b",
                        statement,
                        re.I,
                    )
                    for statement in first
                ), first
            for _ in range(2):  # rendered, then (with the cache on) served from it
                writes = [
                    statement
                    for statement in _statements_of(rendering, client, _url(page, question))
                    if WRITE.match(statement)
                ]
                assert writes == [], f"{page} as {reader} wrote: {writes}"
