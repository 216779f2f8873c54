"""Personal API tokens: created and revoked on the token page, shown once, stored hashed,
acting as their owner only; browser sessions never authenticate the API."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from forum.extensions import db, limiter
from forum.models import ApiToken, AuditEntry, Question, Role, Visibility
from forum.models.columns import utcnow
from forum.services.accounts import api_tokens
from forum.services.errors import PermissionDenied, RuleViolation
from tests.factories import ask_question

SECRET = re.compile(r"ctcc_[A-Za-z0-9_-]{43}")


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def _create_on_page(client, name: str = "report script") -> str:
    response = client.post("/account/tokens", data={"name": name})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"
    return SECRET.search(response.get_data(as_text=True)).group(0)


# --- the token page ----------------------------------------------------------------------------


def test_the_token_page_is_for_signed_in_users(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 302


def test_a_new_token_is_shown_once_and_stored_only_as_its_hash(app, client, make_user, login):
    member = make_user()
    login(member)
    secret = _create_on_page(client)
    token = db.session.scalar(select(ApiToken))
    assert token.user_id == member.id and token.name == "report script"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 2

    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "report script" in listing and token.prefix in listing and secret not in listing

    # The secret is nowhere in the database, in any column of any table.
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            assert all(secret not in str(value) for value in row), table.name
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions == ["api-token-created"]


def test_a_token_needs_a_name(client, make_user, login):
    login(make_user())
    response = client.post("/account/tokens", data={"name": "   "})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_a_token_works_until_its_owner_revokes_it(client, make_user, login):
    member = make_user()
    login(member)
    secret = _create_on_page(client)
    assert client.get("/api/v1/me", headers=bearer(secret)).get_json()["id"] == member.id
    token = db.session.scalar(select(ApiToken))
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert (
        response.status_code == 401
        and 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    )
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Revoked" in listing
    assert db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all() == [
        "api-token-created",
        "api-token-revoked",
    ]


def test_nobody_revokes_someone_elses_token(client, make_user, login):
    owner, intruder = make_user(), make_user(Role.ADMIN)
    created = api_tokens.create(owner, "mine")
    login(intruder)
    assert client.post(f"/account/tokens/{created.token.id}/revoke").status_code == 404
    with pytest.raises(PermissionDenied):
        api_tokens.revoke(created.token, intruder)
    assert client.get("/api/v1/me", headers=bearer(created.secret)).status_code == 200
    assert "mine" not in client.get("/account/tokens").get_data(as_text=True)


def test_a_token_name_is_bounded(make_user):
    with pytest.raises(RuleViolation):
        api_tokens.create(make_user(), "n" * 81)


# --- resolving a bearer secret ------------------------------------------------------------------


def test_last_used_is_recorded_at_most_once_a_minute(client, make_user, count_queries):
    created = api_tokens.create(make_user(), "script")
    assert created.token.last_used_at is None
    client.get("/api/v1/me", headers=bearer(created.secret))
    db.session.refresh(created.token)
    first_use = created.token.last_used_at
    assert first_use is not None

    with count_queries() as statements:
        client.get("/api/v1/me", headers=bearer(created.secret))
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    db.session.refresh(created.token)
    assert created.token.last_used_at == first_use

    db.session.execute(update(ApiToken).values(last_used_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    client.get("/api/v1/me", headers=bearer(created.secret))
    db.session.refresh(created.token)
    assert created.token.last_used_at > first_use - timedelta(seconds=1)
    assert utcnow() - created.token.last_used_at < timedelta(minutes=1)


@pytest.mark.parametrize("change", ["deactivated", "deleted"])
def test_a_token_of_an_account_no_longer_active_is_refused(client, make_user, change):
    member = make_user()
    created = api_tokens.create(member, "script")
    if change == "deactivated":
        member.active = False
    else:
        member.deleted_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(created.secret)).status_code == 401
    assert client.get("/api/v1/questions", headers=bearer(created.secret)).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token ctcc_x",
        "Bearer ctcc_not-a-real-token",
        "Bearer " + "x" * 500,
    ],
)
def test_a_bad_authorization_header_is_401_even_for_reads(client, header):
    response = client.get("/api/v1/questions", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="ctcc-api"')


def test_a_token_acts_with_its_owners_role_and_nothing_more(client, make_user):
    member = make_user()
    question = ask_question(make_user())
    secret = api_tokens.create(member, "script").secret
    response = client.post(
        f"/api/v1/questions/{question.id}/answers",
        headers=bearer(secret),
        json={"body": "Members do not answer, even from a script."},
        csrf=False,
    )
    assert response.status_code == 403
    assert client.get("/api/v1/review", headers=bearer(secret)).status_code == 403


# --- expiry and scope (issue 20, finding 18g) ---------------------------------------------------


def test_the_page_mints_a_read_only_token_with_a_lifetime_and_lists_both(client, make_user, login):
    login(make_user())
    form = client.get("/account/tokens").get_data(as_text=True)
    assert '<option selected value="90">90 days</option>' in form
    assert 'value="never"' in form and 'value="read-only"' in form
    response = client.post(
        "/account/tokens", data={"name": "dashboard", "lifetime": "30", "access": "read-only"}
    )
    assert response.status_code == 200
    assert "It may only read." in response.get_data(as_text=True)
    token = db.session.scalar(select(ApiToken))
    assert token.read_only
    assert abs(token.expires_at - (utcnow() + timedelta(days=30))) < timedelta(minutes=1)
    row = client.get("/account/tokens").get_data(as_text=True).split(f'id="token-{token.id}"')[1]
    row = row.split("</tr>")[0]
    assert "Only read" in row and token.expires_at.isoformat() in row


def test_a_token_made_without_choosing_reads_and_writes_and_expires_in_90_days(
    client, make_user, login
):
    login(make_user())
    _create_on_page(client, name="old script")
    token = db.session.scalar(select(ApiToken))
    assert not token.read_only
    assert abs(token.expires_at - (utcnow() + timedelta(days=90))) < timedelta(minutes=1)
    client.post("/account/tokens", data={"name": "forever", "lifetime": "never"})
    assert db.session.scalar(select(ApiToken).where(ApiToken.name == "forever")).expires_at is None


def test_a_lifetime_not_offered_is_refused(client, make_user, login):
    member = make_user()
    login(member)
    response = client.post("/account/tokens", data={"name": "odd", "lifetime": "100000"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    with pytest.raises(RuleViolation) as refused:
        api_tokens.create(member, "odd", lifetime_days=7)
    assert refused.value.field == "lifetime"


def test_a_read_only_token_reads_but_every_write_is_403(client, make_user):
    expert = make_user(Role.EXPERT)
    question = ask_question(make_user())
    secret = api_tokens.create(expert, "reader", read_only=True).secret
    me = client.get("/api/v1/me", headers=bearer(secret)).get_json()
    assert me["token"] == {"name": "reader", "read_only": True, "expires_at": None}
    assert client.get(f"/api/v1/questions/{question.id}", headers=bearer(secret)).status_code == 200
    for path, body in (
        ("/api/v1/questions", {"title": "A question from a reader token"}),
        (
            f"/api/v1/questions/{question.id}/answers",
            {"body": "An expert's answer that must not be stored."},
        ),
        (f"/api/v1/questions/{question.id}/comments", {"body": "Nor this."}),
    ):
        response = client.post(path, headers=bearer(secret), json=body, csrf=False)
        assert response.status_code == 403, path
        assert response.mimetype == "application/problem+json"
        assert "read-only" in response.get_json()["detail"]
    assert db.session.scalar(select(func.count()).select_from(Question)) == 1
    writer = api_tokens.create(expert, "writer").secret
    answered = client.post(
        f"/api/v1/questions/{question.id}/answers",
        headers=bearer(writer),
        json={"body": "An expert's answer, from a token that may write."},
        csrf=False,
    )
    assert answered.status_code == 201


def test_an_expired_token_is_refused_and_listed_as_expired(client, make_user, login):
    member = make_user()
    created = api_tokens.create(member, "short-lived", lifetime_days=30)
    assert client.get("/api/v1/me", headers=bearer(created.secret)).status_code == 200
    created.token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(created.secret))
    assert response.status_code == 401 and "expired" in response.get_json()["detail"]
    login(member)
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Expired" in listing and "Revoke “short-lived”" not in listing


def test_the_openapi_document_describes_expiry_and_read_only_tokens(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    token = spec["components"]["schemas"]["Me"]["properties"]["token"]
    assert set(token["properties"]) == {"name", "read_only", "expires_at"}
    assert "read-only" in spec["info"]["description"]
    assert "expir" in spec["components"]["securitySchemes"]["bearerAuth"]["description"]
    for path, methods in spec["paths"].items():
        if "post" in methods:
            assert "403" in methods["post"]["responses"], path
    docs = client.get("/api/v1/docs").get_data(as_text=True)
    assert "A read-only token gets 403." in docs and "30, 90 or 365 days" in docs


# --- browser sessions ---------------------------------------------------------------------------


def test_a_session_cookie_does_not_authenticate_an_api_write(client, make_user, login):
    member = make_user()
    login(member)
    assert client.get("/questions").status_code == 200  # signed in on the pages
    response = client.post(
        "/api/v1/questions",
        csrf=False,
        json={
            "title": "Do we need Ministry authorisation for a class IIb study?",
            "body": "Our non-invasive class IIb monitor is ready for a first clinical study.",
            "topics": ["regulatory-pathway"],
            "device_class": "IIb",
            "stage": "prototype",
        },
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_a_session_cookie_alone_reads_the_api_as_a_visitor(client, make_user, login):
    member = make_user()
    own = ask_question(
        member,
        title="Our confidential implant question for the board",
        visibility=Visibility.CONFIDENTIAL,
    )
    login(member)
    assert client.get(f"/questions/{own.id}").status_code == 200  # the page knows them
    assert client.get("/api/v1/me").status_code == 401
    assert client.get(f"/api/v1/questions/{own.id}").status_code == 404
    assert client.get("/api/v1/questions").get_json()["total"] == 0


# --- rate limits ---------------------------------------------------------------------------------


@pytest.fixture
def limited_app(app, database_url):
    """Conftest's ``app`` (clean tables, the cast's factories), then the same database
    with the limits on: Flask-Limiter is one object and takes its switch from the app
    bound last, so this one is built after."""
    from forum import create_app
    from tests.conftest import CsrfClient, _test_settings

    limited = create_app(
        {
            **_test_settings(database_url),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_POST": "2 per minute",
        }
    )
    limited.test_client_class = CsrfClient
    limiter.reset()
    with limited.app_context():
        yield limited
        limiter.reset()
        db.session.remove()


def test_too_many_writes_are_a_429_problem_with_retry_after(make_user, limited_app):
    expert = make_user(Role.EXPERT)
    question = ask_question(make_user())
    client = limited_app.test_client()
    secret = api_tokens.create(expert, "script").secret
    statuses = [
        client.post(
            f"/api/v1/questions/{question.id}/comments",
            headers=bearer(secret),
            json={"body": f"Clarification {n}"},
            csrf=False,
        ).status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 429]
    refused = client.post(
        f"/api/v1/questions/{question.id}/comments",
        headers=bearer(secret),
        json={"body": "One more"},
        csrf=False,
    )
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.get_json()["title"]
    # Reads are not limited, and the pages keep their HTML error pages.
    assert client.get("/api/v1/questions", headers=bearer(secret)).status_code == 200
    assert client.get("/no/such/page").mimetype == "text/html"


EXPIRY_AND_SCOPE_REVISION = "0ddcce99ec19"  # the migration that added both


def test_the_migration_keeps_existing_tokens_reading_writing_and_never_expiring(app, make_user):
    from alembic.script import ScriptDirectory
    from flask import current_app
    from flask_migrate import downgrade, upgrade

    member_id = make_user().id  # read now: later migrations' columns are gone after downgrade
    config = current_app.extensions["migrate"].migrate.get_config()
    before = (
        ScriptDirectory.from_config(config).get_revision(EXPIRY_AND_SCOPE_REVISION).down_revision
    )
    db.session.commit()
    downgrade(revision=before)
    try:
        db.session.execute(
            text(
                "INSERT INTO api_token (user_id, name, token_hash, prefix, created_at) "
                "VALUES (:user, 'old script', :hash, 'ctcc_old', :now)"
            ),
            {
                "user": member_id,
                "hash": hashlib.sha256(b"ctcc_old-secret").hexdigest(),
                "now": utcnow(),
            },
        )
        db.session.commit()
        db.session.remove()
    finally:
        upgrade()
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "old script"))
    assert token.read_only is False and token.expires_at is None and token.is_active
