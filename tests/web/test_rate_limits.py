"""Rate limits on logging in, registering, password resets, posting, search and the ask
form's suggestions, on the pages and through the API, counted in memory and in Redis.

The suite's other tests run with the limits off (FORUM_ENV=test); these turn
them on with small budgets. The Redis tests use their own database on the
server at 127.0.0.1:6379 (FORUM_TEST_REDIS_URL), flushed before and after:
a test that cannot reach it fails.
"""

from __future__ import annotations

import logging
import os

import pytest
import redis
from flask import Blueprint, Flask, jsonify
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from forum import create_app
from forum.config import settings_from_environment
from forum.extensions import db, limiter
from forum.models import Answer, Comment, Question, Role
from forum.route_limiter import RouteLimiter
from forum.services import answers
from forum.services.accounts import api_tokens
from forum.web.infra import rate_limits
from tests import processes
from tests.conftest import CsrfClient, _test_settings
from tests.factories import ask_question, question_form, registration_link
from tests.fixtures.people import PASSWORD

# Long and varied enough for production (forum/config.py refuses a weak key).
PRODUCTION_KEY = "a-production-key-of-at-least-32-characters"

REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
BUDGET = 3


def _limited_settings(storage_uri: str) -> dict:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage_uri,
        "RATELIMIT_LOGIN": f"{BUDGET} per minute",
        "RATELIMIT_REGISTER": f"{BUDGET} per hour",
        "RATELIMIT_PASSWORD_RESET": f"{BUDGET} per 15 minutes",
        "RATELIMIT_PASSWORD_CHECK": f"{BUDGET} per 15 minutes",
        "RATELIMIT_POST": f"{BUDGET} per minute",
        "RATELIMIT_SEARCH": f"{BUDGET} per minute",
        "RATELIMIT_SUGGEST": f"{BUDGET} per minute",
        "RATELIMIT_PREVIEW": f"{BUDGET} per minute",
    }


@pytest.fixture
def redis_db():
    connection = redis.Redis.from_url(REDIS_URL)
    connection.ping()  # unreachable: the test errors, it is not skipped
    connection.flushdb()  # this test database only
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture(params=["memory", "redis"])
def storage(request):
    if request.param == "memory":
        yield "memory://", None
    else:
        connection = request.getfixturevalue("redis_db")
        # The storage comes from REDIS_URL, as in production.
        settings = settings_from_environment({"FORUM_ENV": "test", "REDIS_URL": REDIS_URL}, "/tmp")
        yield settings["RATELIMIT_STORAGE_URI"], connection


@pytest.fixture
def limited_app(app, database_url, storage):
    """Conftest's ``app`` (clean tables), then the same app with the limits on.

    Built after it on purpose: Flask-Limiter is one object for the process and
    takes its on/off switch from the app bound last.
    """
    storage_uri, _ = storage
    limited = create_app({**_test_settings(database_url), **_limited_settings(storage_uri)})
    limited.test_client_class = CsrfClient
    with limited.app_context():
        yield limited
        db.session.remove()


@pytest.fixture
def limited_client(limited_app):
    return limited_app.test_client()


def assert_refused_readably(response) -> None:
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page and "Please try again in" in page
    assert response.headers["Content-Security-Policy"]  # an error page like the others


def assert_counted_in(storage, scope: str) -> None:
    """With Redis, the counters really are there (not in a silent in-memory fallback)."""
    _, connection = storage
    if connection is not None:
        keys = [key.decode() for key in connection.keys("*")]
        assert any(scope in key for key in keys), keys


def test_signed_in_password_checks_share_one_budget_per_user(limited_app, make_user, storage):
    """Issue 20, finding 9: a stolen session must not guess the password at scrypt's speed."""
    guesser, colleague = make_user(), make_user()
    browser, beside = limited_app.test_client(), limited_app.test_client()
    browser.post("/login", data={"email": guesser.email, "password": PASSWORD})
    beside.post("/login", data={"email": colleague.email, "password": PASSWORD})
    wrong_change = {
        "current_password": "a-wrong-guess-1",
        "password": "a-brand-new-passphrase",
        "confirm": "a-brand-new-passphrase",
    }
    for _ in range(BUDGET - 1):
        assert browser.post("/account/password", data=wrong_change).status_code == 422
    assert browser.post("/account/delete", data={"password": "a-wrong-guess-2"}).status_code == 422

    assert_refused_readably(browser.post("/account/password", data=wrong_change))
    assert_refused_readably(browser.post("/account/delete", data={"password": PASSWORD}))
    assert browser.get("/account/password").status_code == 200  # reading is never refused
    # The budget is the user's, not the address's: a colleague in the same office goes on.
    assert beside.post("/account/delete", data={"password": "a-wrong-guess-3"}).status_code == 422
    assert_counted_in(storage, "password-check")
    db.session.refresh(guesser)
    assert guesser.deleted_at is None


def test_the_password_check_budget_is_a_setting():
    settings = settings_from_environment(
        {"FORUM_ENV": "production", "SECRET_KEY": PRODUCTION_KEY}, "/tmp"
    )
    assert settings["RATELIMIT_PASSWORD_CHECK"] == "5 per 15 minutes"
    assert (
        settings_from_environment(
            {
                "FORUM_ENV": "production",
                "SECRET_KEY": PRODUCTION_KEY,
                "RATELIMIT_PASSWORD_CHECK": "2 per hour",
            },
            "/tmp",
        )["RATELIMIT_PASSWORD_CHECK"]
        == "2 per hour"
    )


def test_logins_are_limited_per_address(limited_client, make_user, storage):
    user = make_user()
    for _ in range(BUDGET):
        response = limited_client.post(
            "/login", data={"email": user.email, "password": "wrong-password"}
        )
        assert response.status_code == 422
    refused = limited_client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert_refused_readably(refused)
    assert_counted_in(storage, "login")
    # Reading the form is not refused, and another address has its own budget.
    assert limited_client.get("/login").status_code == 200
    elsewhere = limited_client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert elsewhere.status_code == 302


def test_registrations_are_limited_per_address(limited_client, storage):
    def register(number: int):
        limited_client.post("/logout")
        return limited_client.post(
            "/register",
            data={
                "display_name": f"Person {number}",
                "email": f"person{number}@example.org",
                "organisation_name": "Orobie Devices",
                "organisation_kind": "sme",
                "province": "BG",
            },
        )

    for number in range(BUDGET - 1):
        assert register(number).status_code == 200  # "check your e-mail"
    # Finishing through the e-mailed link spends the same budget.
    finished = limited_client.post(
        registration_link("person0@example.org"),
        data={"password": "a-long-enough-password", "confirm": "a-long-enough-password"},
    )
    assert finished.status_code == 302
    assert_refused_readably(register(BUDGET))
    assert_refused_readably(
        limited_client.post(
            registration_link("person1@example.org"),
            data={"password": "a-long-enough-password", "confirm": "a-long-enough-password"},
        )
    )
    assert_counted_in(storage, "register")


def test_password_reset_requests_are_limited_per_address(limited_client, make_user, storage):
    user = make_user()
    for _ in range(BUDGET):
        response = limited_client.post("/password/forgot", data={"email": user.email})
        assert response.status_code == 200
    assert_refused_readably(limited_client.post("/password/forgot", data={"email": user.email}))
    assert_refused_readably(
        limited_client.post("/password/reset/some-token", data={"password": "x", "confirm": "x"})
    )
    assert_counted_in(storage, "password-reset")


def test_posting_shares_one_budget_per_user(limited_app, limited_client, make_user, storage):
    author, expert = make_user(), make_user(Role.EXPERT)
    question = ask_question(author)
    limited_client.post("/login", data={"email": expert.email, "password": PASSWORD})

    assert (
        limited_client.post(
            f"/questions/{question.id}/comments", data={"body": "Which class, exactly?"}
        ).status_code
        == 302
    )
    assert (
        limited_client.post(
            f"/questions/{question.id}/answers", data={"body": "Start from MDR Annex XV."}
        ).status_code
        == 302
    )
    assert limited_client.post("/questions/ask", data=question_form()).status_code == 302
    refused = limited_client.post(f"/questions/{question.id}/comments", data={"body": "One more."})
    assert_refused_readably(refused)
    assert_counted_in(storage, "posting")

    # Another person at the same address still posts: posting counts per user.
    colleague = limited_app.test_client()
    colleague.post("/login", data={"email": author.email, "password": PASSWORD})
    assert (
        colleague.post(
            f"/questions/{question.id}/comments", data={"body": "It is class IIb."}
        ).status_code
        == 302
    )


def test_board_actions_count_as_posting(limited_client, make_user):
    chair = make_user(Role.EXPERT, chair=True)
    question = ask_question(make_user())
    limited_client.post("/login", data={"email": chair.email, "password": PASSWORD})
    statuses = [
        limited_client.post(
            f"/board/questions/{question.id}/new",
            data={"body": f"The board drafts its answer, try {n}.", "note": ""},
        ).status_code
        for n in range(BUDGET + 1)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:-1]


def test_accepting_withdrawing_and_helpful_marks_count_as_posting(
    limited_client, make_user, storage
):
    asker, expert = make_user(), make_user(Role.EXPERT)
    question = ask_question(asker)
    answer = answers.post_answer(question, expert, "Start from MDR Annex XV, then the class.")
    question_id, answer_id = question.id, answer.id
    limited_client.post("/login", data={"email": asker.email, "password": PASSWORD})

    assert limited_client.post(f"/questions/{question_id}/accept/{answer_id}").status_code == 302
    assert limited_client.post(f"/questions/{question_id}/unaccept").status_code == 302
    assert (
        limited_client.post(
            f"/questions/answers/{answer_id}/helpful", data={"helpful": "1"}
        ).status_code
        == 302
    )
    assert db.session.get(Answer, answer_id).helpful_count == 1
    for refused in (
        limited_client.post(f"/questions/{question_id}/accept/{answer_id}"),
        limited_client.post(f"/questions/answers/{answer_id}/helpful", data={"helpful": "0"}),
        limited_client.post(f"/questions/{question_id}/unaccept"),
        limited_client.post(f"/questions/{question_id}/comments", data={"body": "One more."}),
    ):
        assert_refused_readably(refused)
    assert db.session.get(Question, question_id).accepted_answer_id is None
    assert db.session.get(Answer, answer_id).helpful_count == 1
    assert_counted_in(storage, "posting")


def test_search_is_limited_per_address(limited_app, limited_client, storage):
    endpoint = next(
        (name for name in limited_app.view_functions if name.startswith("search.")), None
    )
    assert endpoint is not None, "the /search page is not there yet"
    for _ in range(BUDGET):
        assert limited_client.get("/search?q=ethics").status_code == 200
    assert_refused_readably(limited_client.get("/search?q=ethics"))
    assert_counted_in(storage, "search")


def test_suggestions_have_their_own_budget_per_address(limited_client, storage):
    for _ in range(BUDGET):
        response = limited_client.get("/search/suggest?q=ethics comm")
        assert response.status_code == 200 and "suggestions" in response.get_json()
    assert_refused_readably(limited_client.get("/search/suggest?q=ethics committee"))
    assert_counted_in(storage, "suggest")
    # Typing used up the suggestions, not the searches; another address has its own.
    assert limited_client.get("/search?q=ethics").status_code == 200
    elsewhere = limited_client.get(
        "/search/suggest?q=ethics", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert elsewhere.status_code == 200


def test_previews_have_their_own_budget_per_user(limited_client, make_user, storage):
    limited_client.post("/login", data={"email": make_user().email, "password": PASSWORD})
    for _ in range(BUDGET):
        response = limited_client.post("/preview", data={"text": "- a list"})
        assert response.status_code == 200 and "<li>a list</li>" in response.get_json()["html"]
    assert_refused_readably(limited_client.post("/preview", data={"text": "- one more"}))
    assert_counted_in(storage, "preview")
    # Previewing used up the previews, not the posting budget the answer will need.
    assert limited_client.post("/questions/ask", data=question_form()).status_code == 302


def test_the_suggestion_budget_is_a_setting_of_its_own():
    settings = settings_from_environment(
        {"FORUM_ENV": "production", "SECRET_KEY": PRODUCTION_KEY}, "/tmp"
    )
    assert settings["RATELIMIT_SUGGEST"] == "120 per minute"
    assert (
        settings_from_environment(
            {
                "FORUM_ENV": "production",
                "SECRET_KEY": PRODUCTION_KEY,
                "RATELIMIT_SUGGEST": "20 per minute",
            },
            "/tmp",
        )["RATELIMIT_SUGGEST"]
        == "20 per minute"
    )


def _assert_api_refused(response) -> None:
    """The API's 429: problem+json, with Retry-After in seconds."""
    assert response.status_code == 429, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 429
    assert int(response.headers["Retry-After"]) > 0


def test_posting_through_the_api_is_limited_with_the_pages_budget(limited_app, make_user, storage):
    asker = make_user()
    question = ask_question(asker)
    secret = api_tokens.create(asker, "Script").secret
    api = limited_app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}

    comments = f"/api/v1/questions/{question.id}/comments"
    for number in range(BUDGET - 1):
        response = api.post(
            comments, csrf=False, headers=headers, json={"body": f"Clarification number {number}."}
        )
        assert response.status_code == 201, response.get_data(as_text=True)
    # The same person on the page spends the same budget.
    page = limited_app.test_client()
    page.post("/login", data={"email": asker.email, "password": PASSWORD})
    assert (
        page.post(f"/questions/{question.id}/comments", data={"body": "From the page."}).status_code
        == 302
    )
    refused = api.post(comments, csrf=False, headers=headers, json={"body": "One too many."})
    _assert_api_refused(refused)
    _assert_api_refused(
        api.post(
            "/api/v1/questions",
            csrf=False,
            headers=headers,
            json={
                "title": "Which class applies to our wearable monitor?",
                "body": "We build a wearable ECG monitor and wonder which class applies to it.",
            },
        )
    )
    assert_counted_in(storage, "posting")
    stored = db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.question_id == question.id)
    )
    assert stored == BUDGET  # nothing refused was stored


def test_searching_through_the_api_is_limited_per_address(limited_app, storage):
    api = limited_app.test_client()
    for _ in range(BUDGET):
        assert api.get("/api/v1/search?q=ethics").status_code == 200
    _assert_api_refused(api.get("/api/v1/search?q=ethics"))
    assert_counted_in(storage, "search")
    # The pages' search shares the budget: the address has used it up there too.
    assert_refused_readably(api.get("/search?q=ethics"))


def test_a_blueprint_error_handler_renders_its_own_429_with_retry_after(app, database_url):
    """The pages' 429 handler is the generic one, so an API-style blueprint answers its own way."""
    app = create_app({**_test_settings(database_url), **_limited_settings("memory://")})
    probe = Blueprint("probe", __name__, url_prefix="/probe")

    @probe.get("/ping")
    @rate_limits.search
    def ping():
        return jsonify(ok=True)

    @probe.errorhandler(HTTPException)
    def problem(error):
        response = jsonify(status=error.code, title=error.name)
        response.status_code = error.code
        response.mimetype = "application/problem+json"
        return response

    app.register_blueprint(probe)
    client = app.test_client()
    for _ in range(BUDGET):
        assert client.get("/probe/ping").status_code == 200
    refused = client.get("/probe/ping")
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["status"] == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_limits_are_off_in_tests_and_on_elsewhere_by_default():
    def enabled(environ):
        settings = settings_from_environment({"SECRET_KEY": PRODUCTION_KEY, **environ}, "/tmp")
        return settings["RATELIMIT_ENABLED"]

    assert enabled({"FORUM_ENV": "test"}) is False
    assert enabled({"FORUM_ENV": "production"}) is True
    assert enabled({"FORUM_ENV": "development"}) is True
    assert enabled({"FORUM_ENV": "production", "RATELIMIT_ENABLED": "0"}) is False
    memory = settings_from_environment(
        {"FORUM_ENV": "production", "SECRET_KEY": PRODUCTION_KEY}, "/tmp"
    )
    assert memory["RATELIMIT_STORAGE_URI"] == "memory://"


def test_the_limiter_is_bound_to_the_redis_storage_when_redis_url_is_set(
    app, redis_db, database_url
):
    settings = settings_from_environment({"FORUM_ENV": "test", "REDIS_URL": REDIS_URL}, "/tmp")
    app = create_app(
        {**_test_settings(database_url), **_limited_settings(settings["RATELIMIT_STORAGE_URI"])}
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    assert type(limiter.storage).__name__ == "RedisStorage"
    assert limiter.storage.check()


# --- per-worker counting said out loud (issue 20, finding 10) ---------------------------------


@pytest.fixture
def unreachable_redis_app(app, database_url):
    settings = settings_from_environment(
        {"FORUM_ENV": "test", "REDIS_URL": f"redis://127.0.0.1:{processes.free_port()}/0"}, "/tmp"
    )
    limited = create_app(
        {**_test_settings(database_url), **_limited_settings(settings["RATELIMIT_STORAGE_URI"])}
    )
    limited.test_client_class = CsrfClient
    with limited.app_context():
        yield limited
        db.session.remove()
    # Flask-Limiter is one object for the process and remembers that its storage died;
    # later tests bind it to a working storage.
    limiter._storage_dead = False


def test_an_unreachable_redis_is_logged_on_the_forums_log_and_counting_goes_on_in_memory(
    unreachable_redis_app, make_user, caplog
):
    client = unreachable_redis_app.test_client()
    user = make_user()
    with caplog.at_level("WARNING"):
        for _ in range(BUDGET):
            response = client.post(
                "/login", data={"email": user.email, "password": "wrong password"}
            )
            assert (
                response.status_code == 422
            )  # refused as a wrong password, no 500 while Redis is down
    # Flask-Limiter logs to its own logger, which has only a NullHandler: seen nowhere
    # unless the forum passes it on to its own log.
    forum_lines = [
        record.getMessage()
        for record in caplog.records
        if record.name == "forum.web.infra.rate_limits"
    ]
    assert any(
        "Rate limits:" in line and "falling back to in-memory storage" in line
        for line in forum_lines
    ), forum_lines
    refused = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert_refused_readably(refused)  # the budget still holds, in this worker's memory
    # Its recovery is an INFO line, which closes the incident: passed on as well.
    caplog.clear()
    with caplog.at_level("WARNING"):
        logging.getLogger("flask-limiter").info("Rate limit storage recovered")
    assert [
        record.getMessage()
        for record in caplog.records
        if record.name == "forum.web.infra.rate_limits"
    ] == ["Rate limits: Rate limit storage recovered"]


def test_production_without_redis_warns_at_start_up_and_on_the_admin_index(
    app, database_url, make_user, caplog
):
    settings = {**_test_settings(database_url), **_limited_settings("memory://")}
    with caplog.at_level("WARNING"):
        create_app({**settings, "FORUM_ENV": "production"})
    assert any(
        record.name == "forum.web.infra.rate_limits"
        and "REDIS_URL is not set" in record.getMessage()
        for record in caplog.records
    )
    caplog.clear()
    with caplog.at_level("WARNING"):
        limited = create_app({**settings, "FORUM_ENV": "test"})
    assert not any("REDIS_URL" in record.getMessage() for record in caplog.records)
    limited.test_client_class = CsrfClient
    with limited.app_context():
        client = limited.test_client()
        admin = make_user(Role.ADMIN)
        client.post("/login", data={"email": admin.email, "password": PASSWORD})
        page = client.get("/admin").get_data(as_text=True)
        assert "counted in each worker" in page and "REDIS_URL" in page
        limited.config["RATELIMIT_STORAGE_URI"] = REDIS_URL
        assert "counted in each worker" not in client.get("/admin").get_data(as_text=True)
        db.session.remove()


def test_a_clinics_link_posts_within_the_posting_budget_of_its_address(
    limited_client, make_user, storage
):
    """The clinic has no account: what it posts through its link counts per address."""
    from forum.services import clinics, facilitations
    from forum.services.clinics import ClinicDraft
    from tests.factories import clinic_link

    admin, expert = make_user(Role.ADMIN), make_user(Role.EXPERT)
    clinic = clinics.create_clinic(admin, ClinicDraft(name="Clinica Limite", city="Pavia"))
    referral = facilitations.refer(ask_question(make_user()), clinic, expert, "Fits.")
    link = clinic_link(referral)  # made by the test: the clinic has no e-mail
    url = f"/facilitations/{referral.id}/clinic/test-{referral.id}/messages"
    assert link.facilitation_id == referral.id
    for number in range(BUDGET):
        assert limited_client.post(url, data={"body": f"Question {number}?"}).status_code == 303
    assert_refused_readably(limited_client.post(url, data={"body": "One more?"}))
    assert_counted_in(storage, "posting")


# --- the limiter asked only where a limit applies (issue 28) ---------------------------------


def test_a_page_without_a_limit_never_reaches_the_limiters_storage(
    limited_app, limited_client, make_user, monkeypatch
):
    """Flask-Limiter's before-request hook resolved the (empty) limits of every page:
    a tenth of a cached page's CPU. Only the guarded views ask now."""
    asked = []
    for owner, method in (
        (limiter.limiter, "hit"),
        (limiter.limiter, "test"),
        (limiter.limit_manager, "resolve_limits"),
    ):
        original = getattr(owner, method)

        def counted(*args, _original=original, _method=method, **kwargs):
            asked.append(_method)
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, method, counted)
    for path in ("/", "/questions", "/faq", "/guide"):
        assert limited_client.get(path).status_code == 200
    assert asked == []  # reading pages resolves no limit and counts nothing
    assert limited_client.get("/login").status_code == 200
    assert "hit" not in asked and "test" not in asked  # a form is read without a count
    asked.clear()
    user = make_user()
    limited_client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert asked.count("hit") == 1  # the guarded action is counted, once


def _probe_app(limiter_under_test: RouteLimiter) -> Flask:
    probe = Flask("probe")
    probe.config.update(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ENABLED=True)

    @probe.get("/unlimited")
    def unlimited():
        return "ok"

    @probe.get("/limited")
    @limiter_under_test.limit("2 per minute")
    def limited():
        return "ok"

    limiter_under_test.init_app(probe)
    return probe


def test_a_limit_on_every_request_is_still_checked_before_each_request():
    """Skipping the before-request check is only for limiters whose limits are all on
    decorated views: a default limit (RATELIMIT_DEFAULT) still holds for every route."""
    with_default = RouteLimiter(key_func=lambda: "one address", default_limits=["2 per minute"])
    client = _probe_app(with_default).test_client()
    assert with_default.limits_beyond_decorated_views()
    assert [client.get("/unlimited").status_code for _ in range(3)] == [200, 200, 429]


def test_decorated_limits_hold_while_the_before_request_check_is_skipped():
    decorated_only = RouteLimiter(key_func=lambda: "one address")
    client = _probe_app(decorated_only).test_client()
    assert not decorated_only.limits_beyond_decorated_views()
    assert [client.get("/unlimited").status_code for _ in range(3)] == [200, 200, 200]
    assert [client.get("/limited").status_code for _ in range(3)] == [200, 200, 429]
