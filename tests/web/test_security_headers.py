"""Security headers on every kind of page, and the session and remember-me cookies."""

from __future__ import annotations

import re

import pytest
from flask import Response

from forum import create_app
from forum.config import settings_from_environment
from forum.models import Visibility
from forum.services.accounts import api_tokens
from forum.web.infra.security_headers import vary_on
from tests.conftest import CsrfClient, _test_settings
from tests.factories import ask_question
from tests.fixtures.people import PASSWORD

# Long and varied enough for production (forum/config.py refuses a weak key).
PRODUCTION_KEY = "a-production-key-of-at-least-32-characters"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


def assert_security_headers(response, where: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives.get("script-src") == "'self'", where
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, where
    assert directives.get("frame-ancestors") == "'none'", where
    assert directives.get("object-src") == "'none'", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where


def test_pages_and_error_pages_send_the_security_headers(client, login, make_user):
    question = ask_question(make_user())
    pages = {
        "/": 200,
        "/questions": 200,
        f"/questions/{question.id}": 200,
        "/login": 200,
        "/register": 200,
        "/password/forgot": 200,
        "/faq": 200,
        "/guide": 200,
        "/questions/999999": 404,
        "/no-such-page": 404,
        "/logout": 405,
        "/password/reset/not-a-token": 400,
        "/static/css/forum.css": 200,
    }
    for path, status in pages.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert_security_headers(response, path)
    csrf_refused = client.post("/login", data={"email": "a@example.org"}, csrf=False)
    assert csrf_refused.status_code == 400
    assert_security_headers(csrf_refused, "CSRF failure")
    login(make_user())
    for path in ("/account", "/account/password", "/notifications"):
        assert_security_headers(client.get(path), path)


def test_the_server_error_page_sends_the_security_headers(app, client):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("deliberate")

    response = client.get("/boom-for-test")
    assert response.status_code == 500
    assert_security_headers(response, "500")


def test_pages_have_no_inline_script_handler_or_style(client, login, make_user):
    question = ask_question(make_user())
    login(make_user())
    for path in (
        "/",
        "/questions",
        f"/questions/{question.id}",
        "/account",
        "/account/delete",
        "/account/password",
        "/questions/ask",
        "/no-such-page",
    ):
        page = client.get(path).get_data(as_text=True)
        assert not INLINE_SCRIPT.search(page), path
        assert not EVENT_HANDLER.search(page), path
        assert not STYLE_ATTRIBUTE.search(page), path


def test_the_session_cookie_is_http_only_and_same_site(client, make_user):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # tests run over plain HTTP


@pytest.mark.parametrize(
    "mode, secure", [("production", True), ("development", False), ("test", False)]
)
def test_cookies_are_secure_outside_development_and_tests(mode, secure):
    settings = settings_from_environment({"FORUM_ENV": mode, "SECRET_KEY": PRODUCTION_KEY}, "/tmp")
    assert settings["SESSION_COOKIE_SECURE"] is secure
    assert settings["REMEMBER_COOKIE_SECURE"] is secure
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["REMEMBER_COOKIE_HTTPONLY"]
    assert settings["SESSION_COOKIE_SAMESITE"] == settings["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_a_production_app_sets_secure_cookies(
    monkeypatch, database_url, seeded_ids, app, make_user
):
    user = make_user()
    monkeypatch.setenv("FORUM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_KEY)
    production = create_app(_test_settings(database_url))
    assert production.config["FORUM_ENV"] == "production"
    production.test_client_class = CsrfClient
    response = production.test_client().post(
        "/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert response.status_code == 302
    assert cookies and all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies)


# --- caching of private pages (issue 20, finding 12) -------------------------------------------


def test_every_page_rendered_for_a_signed_in_reader_is_private_and_not_stored(
    client, login, people
):
    confidential = ask_question(people.asker, visibility=Visibility.CONFIDENTIAL)
    login(people.asker)
    for path in (
        f"/questions/{confidential.id}",
        "/notifications",
        "/facilitations",
        "/",
        "/account",
        "/account/export",
        "/account/tokens",
        "/questions/999999",
    ):
        for attempt in ("rendered", "from the page cache"):
            response = client.get(path)
            assert response.headers.get("Cache-Control") == "private, no-store", (path, attempt)
            assert "Cookie" in response.headers.get("Vary", ""), path
    login(people.admin)
    for path in ("/admin", "/review/export", f"/questions/{confidential.id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("Cache-Control") == "private, no-store", path
    login(people.chair)
    response = client.get("/board")
    assert response.headers.get("Cache-Control") == "private, no-store"


def test_a_visitors_pages_and_static_files_stay_cacheable(client, login, make_user):
    for path in ("/", "/questions", "/faq"):
        response = client.get(path)
        assert "no-store" not in response.headers.get("Cache-Control", ""), path
    login(make_user())
    stylesheet = client.get("/static/css/forum.css")
    assert "no-store" not in stylesheet.headers.get("Cache-Control", "")
    client.post("/logout")
    assert "no-store" not in client.get("/questions").headers.get("Cache-Control", "")


def test_api_answers_to_a_token_are_private_and_vary_on_authorization(client, make_user):
    owner = make_user()
    ask_question(owner, visibility=Visibility.CONFIDENTIAL)
    secret = api_tokens.create(owner, "script").secret
    for path in ("/api/v1/me", "/api/v1/questions"):
        response = client.get(path, headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, path
        assert response.headers.get("Cache-Control") == "private, no-store", path
        assert "Authorization" in response.headers.get("Vary", ""), path
    anonymous = client.get("/api/v1/questions")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    assert "Authorization" in anonymous.headers.get("Vary", "")


# --- HSTS (issue 20, finding 13) ---------------------------------------------------------------


def test_hsts_is_sent_over_https_behind_the_trusted_proxy_only(database_url, seeded_ids, app):
    behind_proxy = create_app({**_test_settings(database_url), "TRUSTED_PROXIES": 1})
    proxied = behind_proxy.test_client()
    secure = proxied.get("/", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers.get("Strict-Transport-Security") == "max-age=31536000"
    assert "Strict-Transport-Security" not in proxied.get("/").headers
    # Without a trusted proxy, anyone can send X-Forwarded-Proto: it proves nothing.
    direct = app.test_client()
    assert (
        "Strict-Transport-Security"
        not in direct.get("/", headers={"X-Forwarded-Proto": "https"}).headers
    )
    assert (
        direct.get("/", base_url="https://localhost").headers.get("Strict-Transport-Security")
        == "max-age=31536000"
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, "Cookie"),
        ("Accept-Encoding", "Accept-Encoding, Cookie"),
        ("Accept-Encoding, cookie", "Accept-Encoding, cookie"),
        ("Accept-Encoding,Cookie ", "Accept-Encoding,Cookie "),
    ],
)
def test_vary_gains_a_header_once_and_keeps_what_it_named(before, after):
    response = Response("page", headers={"Vary": before} if before else {})
    vary_on(response, "Cookie")
    assert response.headers["Vary"] == after
    assert response.headers.getlist("Vary") == [after]


def test_a_page_varies_on_each_of_its_headers_once(client):
    vary = client.get("/faq", headers={"Accept-Encoding": "gzip"}).headers.getlist("Vary")
    assert len(vary) == 1
    names = [name.strip() for name in vary[0].split(",")]
    assert sorted(names) == ["Accept-Encoding", "Accept-Language", "Cookie"]
