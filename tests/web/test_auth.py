"""Registering, logging in and out, roles, and the create-user command."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    ApiToken,
    ExpertArea,
    Organisation,
    OrganisationKind,
    OutboxMessage,
    Role,
    User,
)
from forum.services.accounts import credentials
from forum.services.errors import RuleViolation
from tests.factories import registration_link
from tests.fixtures.people import PASSWORD

REGISTRATION = {
    "display_name": "Lucia Ferraro",
    "email": "Lucia.Ferraro@Example.org",
    "organisation_name": "Orobie Devices S.r.l.",
    "organisation_kind": "start-up",
    "province": "BG",  # a new organisation in Italy names its province
}
NEW_PASSWORD = {"password": "a-long-enough-password", "confirm": "a-long-enough-password"}


def _register(client, **overrides):
    """Register as a person would: the form, then the e-mailed link with a password."""
    form = {**REGISTRATION, **overrides}
    sent = client.post("/register", data=form)
    assert sent.status_code == 200 and "Check your e-mail" in sent.get_data(as_text=True)
    return client.post(registration_link(form["email"]), data=NEW_PASSWORD)


def _users() -> int:
    return db.session.scalar(select(db.func.count()).select_from(User))


def test_register_creates_a_member_of_their_organisation_through_the_emailed_link(client):
    sent = client.post("/register", data=REGISTRATION)
    assert sent.status_code == 200 and "Check your e-mail" in sent.get_data(as_text=True)
    assert _users() == 0  # nothing is made before the inbox is proven
    link = registration_link(REGISTRATION["email"])
    form = client.get(link)
    assert form.status_code == 200 and 'name="password"' in form.get_data(as_text=True)
    assert "Lucia Ferraro (lucia.ferraro@example.org)" in form.get_data(as_text=True)

    response = client.post(link, data=NEW_PASSWORD)

    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "lucia.ferraro@example.org"))
    assert user.role == Role.MEMBER
    assert user.organisation.name == "Orobie Devices S.r.l."
    assert user.organisation.kind == OrganisationKind.START_UP
    home = client.get("/").get_data(as_text=True)
    assert "Lucia Ferraro" in home and "Log out" in home
    client.post("/logout")
    used = client.get(link)
    assert used.status_code == 400 and "This account exists already" in used.get_data(as_text=True)
    assert _users() == 1


def test_register_joins_an_existing_organisation_whatever_its_case(client):
    _register(client)
    client.post("/logout")
    _register(client, email="second@example.org", organisation_name="orobie devices s.r.l.")
    assert _users() == 2
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 1


def test_registering_a_taken_email_answers_as_for_a_new_one_and_tells_the_owner(client, make_user):
    """Issue 20, finding 11: the form must not tell who is registered."""
    owner = make_user()
    taken = client.post("/register", data={**REGISTRATION, "email": owner.email.upper()})
    new = client.post("/register", data={**REGISTRATION, "email": "someone.new@example.org"})

    def text(response):  # the page without the address typed in
        return (
            response.get_data(as_text=True)
            .replace(owner.email.upper(), "")
            .replace("someone.new@example.org", "")
        )

    assert taken.status_code == new.status_code == 200
    assert text(taken) == text(new)
    assert _users() == 1
    notes = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == owner.email)
    ).all()
    assert len(notes) == 1 and "tried to register" in notes[0].subject
    assert "/register/finish/" not in notes[0].body and "/password/forgot" in notes[0].body
    assert registration_link("someone.new@example.org")


def test_registering_does_the_same_work_whether_or_not_the_address_is_taken(
    client, make_user, count_queries
):
    """Issue 20, finding 11: the same statements either way, so the time does not tell."""
    owner = make_user()

    def statements(email: str) -> list[str]:
        with count_queries() as log:
            client.post("/register", data={**REGISTRATION, "email": email})
        return [statement.split()[0] for statement in log]

    assert statements(owner.email) == statements("someone.new@example.org")


def test_register_refuses_a_short_password_beside_the_field(client):
    client.post("/register", data=REGISTRATION)
    response = client.post(
        registration_link(REGISTRATION["email"]), data={"password": "short", "confirm": "short"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="password-error"' in page and "at least 12 characters" in page
    assert _users() == 0
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 0


def test_a_registration_link_that_is_tampered_with_or_expired_says_so(app, client):
    client.post("/register", data=REGISTRATION)
    link = registration_link(REGISTRATION["email"])
    for bad in (
        link[:-2] + ("AA" if not link.endswith("AA") else "BB"),
        "/register/finish/not-a-token",
    ):
        response = client.post(bad, data=NEW_PASSWORD)
        assert response.status_code == 400
        assert "This link is not valid" in response.get_data(as_text=True)
    app.config["REGISTRATION_LINK_MAX_AGE"] = -1
    expired = client.post(link, data=NEW_PASSWORD)
    assert expired.status_code == 400 and "This link has expired" in expired.get_data(as_text=True)
    assert _users() == 0


def test_the_admins_outbox_hides_the_token_of_a_registration_link(client, login, make_user):
    client.post("/register", data=REGISTRATION)
    link = registration_link(REGISTRATION["email"])
    message_id = db.session.scalar(select(OutboxMessage.id))
    login(make_user(Role.ADMIN))
    page = client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    assert "/register/finish/[hidden]" in page
    assert link.rsplit("/", 1)[1] not in page


@pytest.mark.parametrize(
    "email, password, refused_with",
    [
        ("lucia.ferraro@example.org", "tidal-moss-7", None),  # 12 characters
        ("lucia.ferraro@example.org", "tidal-moss7", "at least 12 characters"),  # 11
        ("lucia.ferraro@example.org", "Password1234", "one of the most used passwords"),
        ("lucia.ferraro@example.org", "QWERTY123456", "one of the most used passwords"),
        ("lucia.ferraro@example.org", "lucia.ferraro-2026", "its part before the @"),
        ("Lucia.Ferraro@Example.org", "my LUCIA_FERRARO pass", "its part before the @"),
        ("lucia.ferraro@example.org", "ferraro-lucia-26", None),  # not the address as written
        ("al@example.org", "al-writes-here-26", None),  # too short a local part to look for
    ],
)
def test_password_rules(app, email, password, refused_with):
    if refused_with is None:
        credentials.check_password_strength(password, email)
        return
    with pytest.raises(RuleViolation) as refusal:
        credentials.check_password_strength(password, email)
    assert refusal.value.field == "password" and refused_with in str(refusal.value.message)


def test_the_common_passwords_are_long_enough_to_need_the_list(app):
    assert all(
        len(password) >= credentials.MIN_PASSWORD_LENGTH and password == password.casefold()
        for password in credentials.COMMON_PASSWORDS
    )


def test_register_refuses_a_common_password_or_the_address_beside_the_field(client):
    client.post("/register", data=REGISTRATION)
    link = registration_link(REGISTRATION["email"])
    form = client.get(link).get_data(as_text=True)
    assert "At least 12 characters, not your e-mail address or a common password." in form
    for password, reason in (
        ("password123456", "one of the most used passwords"),
        ("LuciaFerraro-1990", "its part before the @"),
    ):
        response = client.post(link, data={"password": password, "confirm": password})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="password-error"' in page and reason in page
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 0


def test_register_refuses_mismatched_passwords_and_unknown_kinds(client):
    response = client.post("/register", data={**REGISTRATION, "organisation_kind": "pharma"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="organisation_kind-error"' in page
    client.post("/register", data=REGISTRATION)
    mismatch = client.post(
        registration_link(REGISTRATION["email"]),
        data={**NEW_PASSWORD, "confirm": "something-different"},
    )
    assert mismatch.status_code == 422
    assert "The passwords do not match." in mismatch.get_data(as_text=True)
    assert _users() == 0


def test_login_with_a_wrong_password_says_so_without_saying_which(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "wrong-password-1"})
    assert response.status_code == 422
    assert "The e-mail or the password is not right." in response.get_data(as_text=True)
    unknown = client.post(
        "/login", data={"email": "nobody@example.org", "password": "whatever-123"}
    )
    assert "The e-mail or the password is not right." in unknown.get_data(as_text=True)


def test_login_is_case_insensitive_on_email_and_logout_needs_post(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_inactive_users_cannot_log_in(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422


def test_login_follows_a_local_next_but_never_another_site(client, make_user):
    user = make_user()
    for target, expected in [
        ("/questions?mine=1", "/questions?mine=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ]:
        client.post("/logout")
        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "next": target}
        )
        assert response.headers["Location"] == expected, target


def test_changing_the_session_token_signs_the_user_out_everywhere(client, make_user, login):
    user = make_user()
    login(user)
    assert client.get("/questions/ask").status_code == 200
    user.session_token = "rotated"
    db.session.commit()
    assert client.get("/questions/ask").status_code == 302


# --- sessions end on the server (issue 20, findings 3 and 14) ----------------------------------


def _copy_cookies(source, target, *names: str) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, name
        target.set_cookie(name, cookie.value)


def test_logout_ends_the_session_on_the_server_and_its_remember_me_cookie(app, make_user):
    user = make_user()
    browser = app.test_client()
    browser.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    stolen_session, stolen_remember = app.test_client(), app.test_client()
    _copy_cookies(browser, stolen_session, "session")
    _copy_cookies(browser, stolen_remember, "remember_token")
    assert stolen_session.get("/account").status_code == 200
    for _ in range(2):  # the page cache keeps the signed-in list under this session
        assert user.display_name in stolen_session.get("/questions").get_data(as_text=True)
    token_before = user.session_token

    assert browser.post("/logout").status_code == 302

    db.session.refresh(user)
    assert user.session_token != token_before
    # Not from the page cache either: the new token moved the content generation.
    cached = stolen_session.get("/questions").get_data(as_text=True)
    assert user.display_name not in cached and 'href="/login' in cached
    for copy in (stolen_session, stolen_remember):
        assert copy.get("/account").status_code == 302  # to the login page
        assert copy.get("/account/export").status_code == 302
        minted = copy.post("/account/tokens", data={"name": "kept after logout"})
        assert minted.status_code == 302 and "/login" in minted.location
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id)) is None


def test_sign_out_everywhere_ends_every_session_this_one_too(app, client, login, make_user):
    user = make_user()
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    login(user)
    page = client.get("/account").get_data(as_text=True)
    assert 'action="/account/sign-out-everywhere"' in page

    response = client.post("/account/sign-out-everywhere")

    assert response.status_code == 302 and response.location == "/"
    assert "signed out on every device" in client.get("/").get_data(as_text=True)
    assert client.get("/account").status_code == 302
    assert elsewhere.get("/account").status_code == 302
    refused = client.post("/account/sign-out-everywhere", csrf=False)
    assert refused.status_code == 400


def test_logging_in_starts_a_new_session_with_a_new_csrf_token(app, client, make_user):
    user = make_user()
    # An attacker who planted this pre-login session (and so knows its CSRF token)...
    planted = client.csrf_token()
    client.get("/language?locale=it&next=/")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session["locale"] == "it"  # the visitor's language is all that carries over
    # ... cannot use the token once the victim signed in: the session is a new one.
    assert client.csrf_token() != planted
    forged = client.post("/account/sign-out-everywhere", data={"csrf_token": planted}, csrf=False)
    assert forged.status_code == 400
    assert client.get("/account").status_code == 200


def test_create_user_command_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "expert@example.org",
            "--name",
            "Eva Expert",
            "--role",
            "expert",
            "--area",
            "clinical",
            "--chair",
            "--password-stdin",
        ],
        input="a-secret-password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "expert@example.org"))
    assert (user.role, user.area, user.is_chair) == (Role.EXPERT, ExpertArea.CLINICAL, True)
    assert "a-secret-password" not in result.output
    assert user.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")


def test_create_user_command_refuses_bad_input_with_a_message(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "member",
            "--password-stdin",
        ],
        input="short\n",
    )
    assert weak.exit_code != 0 and "at least 12 characters" in weak.output
    no_area = runner.invoke(
        args=[
            "create-user",
            "--email",
            "b@example.org",
            "--name",
            "B",
            "--role",
            "expert",
            "--password-stdin",
        ],
        input="long-enough-pass\n",
    )
    assert no_area.exit_code != 0 and "An expert needs an area." in no_area.output
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 0


def test_the_login_and_registration_forms_label_every_input(client):
    login_page = client.get("/login").get_data(as_text=True)
    assert '<label for="email">Email</label>' in login_page
    assert '<label for="password">Password</label>' in login_page
    assert ">Log in</button>" in login_page
    register_page = client.get("/register").get_data(as_text=True)
    for field in ("display_name", "email", "organisation_name", "organisation_kind"):
        assert f'<label for="{field}">' in register_page, field
    assert ">Register</button>" in register_page
    client.post("/register", data=REGISTRATION)
    finish_page = client.get(registration_link(REGISTRATION["email"])).get_data(as_text=True)
    for field in ("password", "confirm"):
        assert f'<label for="{field}">' in finish_page, field
    assert ">Create my account</button>" in finish_page
