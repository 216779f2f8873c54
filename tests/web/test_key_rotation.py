"""Rotating SECRET_KEY: what was signed with the old key keeps working while the old key is
listed in SECRET_KEY_FALLBACKS, everything new is signed with the new key, and nothing
signed with the old key works once it is removed (forum/signing_keys.py)."""

from __future__ import annotations

import pytest

from forum import create_app
from forum.config import settings_from_environment
from forum.extensions import db
from forum.models import OrganisationKind
from forum.services.accounts import password_reset, profile, registration
from forum.services.accounts.password_reset import TokenProblem
from forum.settings_readers import ConfigurationError
from forum.signing_keys import signing_keys
from tests.conftest import CsrfClient, _test_settings
from tests.fixtures.people import PASSWORD

OLD_KEY = "the-old-key-which-signed-everything-so-far"
NEW_KEY = "the-new-key-which-signs-from-now-on-123456"
PRODUCTION_KEY = "a-production-key-of-at-least-32-characters"
FORM_EXPIRED = "Your form expired or was sent without its security token."


@pytest.fixture
def server(app, database_url, tmp_path):
    """A server over the test's database, started with the given keys (as after a deploy)."""
    started = []

    def start(secret_key: str, fallbacks: tuple[str, ...] = ()):
        started_app = create_app(
            {
                **_test_settings(database_url),
                "SECRET_KEY": secret_key,
                "SECRET_KEY_FALLBACKS": list(fallbacks),
                "ATTACHMENTS_DIR": str(tmp_path / "files"),
            }
        )
        started_app.test_client_class = CsrfClient
        started.append(started_app)
        return started_app

    yield start
    for started_app in started:
        with started_app.app_context():
            db.engine.dispose()


def browser_of(forum_app, cookies: dict[str, str]) -> CsrfClient:
    """A browser holding these cookies, talking to ``forum_app``."""
    client = forum_app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def cookie(client: CsrfClient, name: str) -> str:
    held = client.get_cookie(name)
    assert held is not None, f"no {name} cookie"
    return held.value


def signed_in(client: CsrfClient) -> bool:
    response = client.get("/account")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def log_in(client: CsrfClient, user, remember: bool = False) -> None:
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302


def test_a_session_cookie_made_under_the_old_key_works_until_the_fallback_is_removed(
    server, make_user
):
    user = make_user()
    before = server(OLD_KEY).test_client()
    log_in(before, user)
    session = {"session": cookie(before, "session")}

    assert signed_in(browser_of(server(NEW_KEY, (OLD_KEY,)), session))
    assert not signed_in(browser_of(server(NEW_KEY), session))


def test_a_session_started_after_the_rotation_is_signed_with_the_new_key(server, make_user):
    rotated = server(NEW_KEY, (OLD_KEY,)).test_client()
    log_in(rotated, make_user())
    session = {"session": cookie(rotated, "session")}
    assert signed_in(browser_of(server(NEW_KEY), session))
    assert not signed_in(browser_of(server(OLD_KEY), session))


def test_a_remember_cookie_made_under_the_old_key_signs_in_and_is_renewed_under_the_new(
    server, make_user
):
    user = make_user()
    before = server(OLD_KEY).test_client()
    log_in(before, user, remember=True)
    remembered = {"remember_token": cookie(before, "remember_token")}  # the browser was closed

    rotated = browser_of(server(NEW_KEY, (OLD_KEY,)), remembered)
    assert signed_in(rotated)
    renewed = cookie(rotated, "remember_token")
    assert renewed != remembered["remember_token"]
    # The renewed cookie needs no fallback; the old one, without its fallback, is refused.
    assert signed_in(browser_of(server(NEW_KEY), {"remember_token": renewed}))
    assert not signed_in(browser_of(server(NEW_KEY), remembered))


def test_a_remember_cookie_under_the_current_key_is_left_as_it_is(server, make_user):
    before = server(NEW_KEY, (OLD_KEY,)).test_client()
    log_in(before, make_user(), remember=True)
    remembered = {"remember_token": cookie(before, "remember_token")}
    browser = browser_of(server(NEW_KEY, (OLD_KEY,)), remembered)
    response = browser.get("/account")
    assert response.status_code == 200
    assert not any(
        header.startswith("remember_token=") for header in response.headers.getlist("Set-Cookie")
    )


def test_a_password_reset_link_made_under_the_old_key_works_until_the_fallback_is_removed(
    server, make_user
):
    user = make_user()
    with server(OLD_KEY).app_context():
        token = password_reset.make_token(user)
    link = f"/password/reset/{token}"
    assert server(NEW_KEY, (OLD_KEY,)).test_client().get(link).status_code == 200
    refused = server(NEW_KEY).test_client().get(link)
    assert refused.status_code != 200
    assert "This link" in refused.get_data(as_text=True)


def test_a_registration_link_made_under_the_old_key_works_until_the_fallback_is_removed(server):
    pending = registration.PendingRegistration(
        email="newcomer@example.org",
        display_name="Nina Newcomer",
        organisation_name="Newcomer Devices",
        organisation_kind=OrganisationKind.START_UP,
        locale=None,
    )
    with server(OLD_KEY).app_context():
        token = registration.make_token(pending)
    link = f"/register/finish/{token}"
    finish_page = server(NEW_KEY, (OLD_KEY,)).test_client().get(link)
    assert finish_page.status_code == 200
    assert "newcomer@example.org" in finish_page.get_data(as_text=True)
    assert server(NEW_KEY).test_client().get(link).status_code != 200


def test_an_email_change_link_made_under_the_old_key_is_read_after_the_rotation(server, make_user):
    user = make_user()
    user.pending_email = "moved@example.org"  # as request_email_change leaves it
    db.session.commit()
    with server(OLD_KEY).app_context():
        token = profile.make_token(user, "moved@example.org")
    with server(NEW_KEY, (OLD_KEY,)).app_context():
        assert profile.change_for_token(token, user).new_email == "moved@example.org"
    with server(NEW_KEY).app_context(), pytest.raises(profile.EmailLinkError) as refused:
        profile.change_for_token(token, user)
    assert refused.value.problem == TokenProblem.INVALID


def test_a_form_rendered_before_the_rotation_can_be_sent_after_it(server, make_user):
    user = make_user()
    before = server(OLD_KEY).test_client()
    form_token = before.csrf_token()  # the login page, opened before the deploy
    held = {"session": cookie(before, "session")}
    form = {"email": user.email, "password": PASSWORD, "csrf_token": form_token}

    rotated = browser_of(server(NEW_KEY, (OLD_KEY,)), held)
    assert rotated.post("/login", data=form, csrf=False).status_code == 302
    # Without the fallback the form cannot be trusted: the friendly "expired" page.
    refused = browser_of(server(NEW_KEY), held).post("/login", data=form, csrf=False)
    assert refused.status_code == 400
    assert FORM_EXPIRED in refused.get_data(as_text=True)


def test_the_key_list_signs_with_the_current_key_last():
    config = {"SECRET_KEY": NEW_KEY, "SECRET_KEY_FALLBACKS": [OLD_KEY, "older"]}
    assert signing_keys(config) == [OLD_KEY, "older", NEW_KEY]
    assert signing_keys({"SECRET_KEY": NEW_KEY}) == [NEW_KEY]


def test_fallback_keys_are_read_from_a_comma_or_space_separated_list():
    settings = settings_from_environment(
        {"FORUM_ENV": "development", "SECRET_KEY_FALLBACKS": f" {OLD_KEY}, {PRODUCTION_KEY}\n"},
        "/tmp/instance",
    )
    assert settings["SECRET_KEY_FALLBACKS"] == [OLD_KEY, PRODUCTION_KEY]


def test_production_refuses_a_weak_fallback_key_as_it_refuses_a_weak_secret_key():
    environment = {"FORUM_ENV": "production", "SECRET_KEY": PRODUCTION_KEY}
    with pytest.raises(ConfigurationError, match="^SECRET_KEY_FALLBACKS is too weak"):
        settings_from_environment(
            {**environment, "SECRET_KEY_FALLBACKS": f"{OLD_KEY} secret"}, "/tmp/instance"
        )
    accepted = settings_from_environment(
        {**environment, "SECRET_KEY_FALLBACKS": OLD_KEY}, "/tmp/instance"
    )
    assert accepted["SECRET_KEY_FALLBACKS"] == [OLD_KEY]
