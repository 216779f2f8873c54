"""The page cache: read pages kept per reader and content generation, never stale, never shared."""

from __future__ import annotations

import gzip
import re

import pytest
from sqlalchemy import select

from forum import create_app
from forum.extensions import db
from forum.models import ContentGeneration, Visibility
from forum.models.generation import page_generations
from forum.services import answers, visits
from forum.web.infra import page_cache
from tests.conftest import CsrfClient, _test_settings
from tests.factories import ask_question


def _page_queries(statements: list[str]) -> list[str]:
    """What a request ran besides reading the generation and loading the reader."""
    return [
        statement
        for statement in statements
        if "content_generation" not in statement
        and not re.search(r'FROM "?user"?\s+WHERE', statement)
    ]


def _warm(client, url: str, count_queries) -> None:
    """Visit until the page comes from the cache (the first visits set up the session:
    its CSRF token, then Flask-Login's freshness flag)."""
    for _ in range(4):
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        if not _page_queries(statements):
            return
    raise AssertionError(f"{url} was never served from the cache")


def test_a_second_visit_is_served_from_the_cache(client, people, count_queries):
    ask_question(people.asker, title="Is a pilot study a clinical investigation?")
    with count_queries() as first:
        assert "Is a pilot study" in client.get("/questions").get_data(as_text=True)
    with count_queries() as second:
        page = client.get("/questions").get_data(as_text=True)
    assert "Is a pilot study" in page
    assert _page_queries(first)
    assert _page_queries(second) == []
    assert len(second) == 1  # the generation, nothing else, for a visitor


def test_a_committed_change_is_shown_at_once(client, people, count_queries):
    question = ask_question(people.asker, title="Which fees apply in Italy?")
    url = f"/questions/{question.id}"
    _warm(client, url, count_queries)
    assert "Ministry tariff" not in client.get(url).get_data(as_text=True)
    answers.post_answer(question, people.expert, "The Ministry tariff applies to the notification.")
    assert "Ministry tariff" in client.get(url).get_data(as_text=True)


def test_a_change_made_by_another_worker_is_shown_at_once(
    app, client, people, database_url, count_queries
):
    """Two app instances stand for two gunicorn workers sharing the database."""
    question = ask_question(people.asker, title="Do we need insurance for a pilot?")
    url = f"/questions/{question.id}"
    _warm(client, url, count_queries)
    assert "compulsory insurance" not in client.get(url).get_data(as_text=True)

    other_worker = create_app(_test_settings(database_url))
    other_worker.test_client_class = CsrfClient
    with other_worker.app_context():
        worker_question = db.session.get(type(question), question.id)
        worker_expert = db.session.get(type(people.expert), people.expert.id)
        answers.post_answer(worker_question, worker_expert, "Yes: compulsory insurance, always.")
        db.session.remove()
    db.session.rollback()

    assert "compulsory insurance" in client.get(url).get_data(as_text=True)


def test_each_reader_gets_their_own_page(app, people, count_queries):
    secret = ask_question(
        people.asker,
        title="Our unreleased implant: which notified body?",
        visibility=Visibility.CONFIDENTIAL,
    )
    author, other, visitor = (app.test_client() for _ in range(3))
    for client, user in ((author, people.asker), (other, people.other)):
        client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
        client.get("/questions")  # the login's flash message is shown here

    for client in (author, other, visitor):
        _warm(client, "/questions", count_queries)
    for _ in range(2):
        assert secret.title in author.get("/questions").get_data(as_text=True)
        assert secret.title not in other.get("/questions").get_data(as_text=True)
        assert secret.title not in visitor.get("/questions").get_data(as_text=True)
        assert secret.title not in visitor.get("/").get_data(as_text=True)
        assert other.get(f"/questions/{secret.id}").status_code == 404
        assert author.get(f"/questions/{secret.id}").status_code == 200


def test_forms_on_a_cached_page_still_carry_the_readers_own_token(app, people):
    question = ask_question(people.asker)
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        client.post(
            "/login", data={"email": people.expert.email, "password": "correct-horse-battery"}
        )
        client.get(f"/questions/{question.id}")  # shows the login's flash; not kept
    for client in (first, second):
        for _ in range(2):
            response = client.post(
                f"/questions/{question.id}/answers",
                data={"body": "A cached page's form still posts."},
            )
            assert response.status_code == 302, response.get_data(as_text=True)
            client.get(f"/questions/{question.id}")


def test_a_page_that_shows_a_flash_message_is_not_kept(client, people, login):
    login(people.asker)  # the login flashes a greeting
    greeting = client.get("/questions").get_data(as_text=True)
    again = client.get("/questions").get_data(as_text=True)
    assert 'class="flashes"' in greeting
    assert 'class="flashes"' not in again


def test_entries_expire_with_the_clock(client, people, monkeypatch, count_queries):
    ask_question(people.asker)
    _warm(client, "/faq", count_queries)
    now = page_cache.time.monotonic()
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now + 3600)
    with count_queries() as statements:
        client.get("/faq")
    assert _page_queries(statements)


def test_the_cache_can_be_turned_off(database_url, seeded_ids, people, count_queries):
    app = create_app({**_test_settings(database_url), "PAGE_CACHE_SECONDS": 0})
    with app.app_context():
        client = app.test_client()
        client.get("/faq")
        with count_queries() as statements:
            client.get("/faq")
    assert _page_queries(statements)


def test_only_content_changes_move_the_generation(app, people):
    """Asking moves the generation of the questions' area (forum/models/content_areas.py),
    by one for one commit; the content generation is for tables no area claims."""
    before = page_generations(None)
    ask_question(people.asker)
    after_question = page_generations(None)
    assert after_question.areas["questions"] == before.areas.get("questions", 0) + 1
    assert after_question.content == before.content

    db.session.add(db.session.get(type(people.asker), people.asker.id))
    db.session.commit()  # nothing changed
    assert page_generations(None) == after_question

    counter = visits.VisitCounter()
    counter.record("faq", "203.0.113.9", "Mozilla/5.0")
    counter.flush()
    assert page_generations(None) == after_question  # visit counts show on no cached page

    question = ask_question(people.asker, title="Rolled back")
    generation = page_generations(None)
    question.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert page_generations(None) == generation


def test_the_cache_is_bounded_in_bytes(app):
    entry = page_cache._Entry(b"<p>page</p>", b"gzipped", "text/html", expires_at=float("inf"))
    cache = page_cache.PageCache(max_bytes=3 * entry.size)
    for number in range(5):
        cache.put((f"/page/{number}",), 7, entry)
    assert len(cache) == 3
    assert cache.size_in_bytes == 3 * (len(b"<p>page</p>") + len(b"gzipped"))
    cache.put(("/huge",), 7, page_cache._Entry(b"x" * 100, b"", "text/html", float("inf")))
    assert cache.get(("/huge",), 7) is None and len(cache) == 3
    assert cache.get(("/page/0",), 7) is None
    assert cache.get(("/page/4",), 7) is entry
    assert cache.get(("/page/4",), 8) is None  # a newer generation empties it
    assert len(cache) == 0


@pytest.mark.parametrize("url", ["/", "/questions", "/faq", "/guide"])
def test_the_generation_row_is_present_for_every_cached_page(client, url):
    assert db.session.scalar(select(ContentGeneration.value)) is not None
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/", "/questions", "/faq", "/guide", "question"])
def test_a_visitors_first_visit_sets_no_cookie(client, people, url):
    """Otherwise every visitor without a cookie would render the page afresh."""
    question = ask_question(people.asker)
    answers.post_answer(question, people.expert, "An answer, so the page shows its forms' places.")
    response = client.get(f"/questions/{question.id}" if url == "question" else url)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_browsers_that_accept_gzip_get_the_kept_page_compressed(client, people):
    ask_question(people.asker, title="Is a usability study a clinical investigation?")
    plain = client.get("/questions")
    compressed = client.get("/questions", headers={"Accept-Encoding": "gzip, deflate, br"})
    again = client.get("/questions")
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert gzip.decompress(compressed.get_data()) == plain.get_data() == again.get_data()
    assert "Content-Encoding" not in plain.headers and "Content-Encoding" not in again.headers
    assert "Is a usability study" in plain.get_data(as_text=True)


def test_a_signed_in_readers_cached_page_does_not_load_their_account(
    client, people, login, count_queries
):
    """The session cookie names the account and its session token; the generation
    vouches that the account has not changed since the page was kept."""
    ask_question(people.asker, title="Which ethics committee for a multicentre study?")
    login(people.asker)
    _warm(client, "/questions", count_queries)
    with count_queries() as statements:
        page = client.get("/questions").get_data(as_text=True)
    assert "Which ethics committee" in page and "Anna Asker" in page
    assert len(statements) == 1 and "content_generation" in statements[0]


def test_a_password_changed_elsewhere_ends_the_cached_session_at_once(app, people, count_queries):
    secret = ask_question(
        people.asker,
        title="Our unreleased stent: first-in-human where?",
        visibility=Visibility.CONFIDENTIAL,
    )
    browser = app.test_client()
    browser.post("/login", data={"email": people.asker.email, "password": "correct-horse-battery"})
    browser.get("/questions")  # shows the login's flash message
    _warm(browser, "/questions", count_queries)
    assert secret.title in browser.get("/questions").get_data(as_text=True)

    from forum.services.accounts import credentials

    credentials.change_password(
        db.session.get(type(people.asker), people.asker.id),
        "correct-horse-battery",
        "another-long-passphrase-2026",
    )
    page = browser.get("/questions").get_data(as_text=True)
    assert secret.title not in page
    assert 'href="/login' in page


def test_a_session_used_from_another_browser_is_not_served_from_the_cache(
    app, people, count_queries
):
    ask_question(people.asker)
    browser = app.test_client()
    browser.post(
        "/login",
        data={"email": people.asker.email, "password": "correct-horse-battery"},
        headers={"User-Agent": "Firefox"},
    )
    browser.get("/questions", headers={"User-Agent": "Firefox"})
    for _ in range(3):
        browser.get("/questions", headers={"User-Agent": "Firefox"})
    with count_queries() as statements:
        browser.get("/questions", headers={"User-Agent": "Some other browser"})
    assert _page_queries(statements)  # rendered, so Flask-Login saw the session first


def test_a_remembered_login_is_not_answered_with_a_visitors_cached_page(app, people, count_queries):
    ask_question(people.asker, title="Is a usability study with nurses an investigation?")
    visitor = app.test_client()
    _warm(visitor, "/questions", count_queries)
    remembered = app.test_client()
    remembered.post(
        "/login",
        data={"email": people.asker.email, "password": "correct-horse-battery", "remember": "y"},
    )
    cookie = remembered.get_cookie("remember_token")
    assert cookie is not None
    fresh_browser = app.test_client()  # the session cookie is gone, "remember me" stays
    fresh_browser.set_cookie("remember_token", cookie.value)
    page = fresh_browser.get("/questions").get_data(as_text=True)
    assert "Anna Asker" in page and 'action="/logout"' in page


def test_search_results_are_kept_per_reader_and_never_shared(app, people, count_queries):
    ask_question(
        people.asker,
        title="Our unreleased cochlear implant: sham control?",
        visibility=Visibility.CONFIDENTIAL,
    )
    ask_question(people.other, title="Is a sham control ethical for an implant study?")
    url = "/search?q=sham+control+implant"
    author, other, visitor = (app.test_client() for _ in range(3))
    for client, user in ((author, people.asker), (other, people.other)):
        client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
        client.get("/questions")  # the login's flash message is shown here
    for client in (author, other, visitor):
        _warm(client, url, count_queries)
    # Titles come back with the query's words marked: look for the others.
    for _ in range(2):
        assert "unreleased cochlear" in author.get(url).get_data(as_text=True)
        for reader in (other, visitor):
            page = reader.get(url).get_data(as_text=True)
            assert "ethical for an" in page
            assert "cochlear" not in page


def test_a_new_text_is_found_by_a_search_made_before_it(client, people, count_queries):
    ask_question(people.asker, title="Which insurance for a pilot study?")
    url = "/search?q=insurance"
    _warm(client, url, count_queries)
    ask_question(people.other, title="Insurance premiums for a multicentre investigation")
    assert "premiums for a multicentre" in client.get(url).get_data(as_text=True)
