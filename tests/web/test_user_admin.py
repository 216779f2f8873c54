"""Admins manage accounts: the list with search and filters, roles, expert areas and the
chair, deactivation and reactivation, each audited and told to the person by e-mail."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update

from forum.extensions import db
from forum.models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    ExpertArea,
    OrganisationKind,
    OutboxMessage,
    Role,
    User,
    Visibility,
)
from forum.services.accounts import (
    api_tokens,
    creation,
    credentials,
    deletion,
    profile,
    user_admin,
)
from forum.services.errors import PermissionDenied, RuleViolation
from tests.factories import ask_question
from tests.fixtures.people import PASSWORD

SECRET_TITLE = "Unreleased implantable sensor: which pathway?"


def _signed_in_client(app, user: User):
    """A second browser, logged in as ``user``."""
    other = app.test_client()
    response = other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return other


def _page_queries(statements: list[str]) -> list[str]:
    """What a request ran besides reading the generation and loading the reader."""
    return [
        statement
        for statement in statements
        if "content_generation" not in statement
        and not re.search(r'FROM "?user"?\s+WHERE', statement)
    ]


def _warm(browser, url: str, count_queries) -> str:
    """Visit until the page comes from the page cache; returns it."""
    for _ in range(4):
        with count_queries() as statements:
            response = browser.get(url)
        assert response.status_code == 200
        if not _page_queries(statements):
            return response.get_data(as_text=True)
    raise AssertionError(f"{url} was never served from the cache")


def _audit(action: AuditAction, user: User) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == action.value,
                AuditEntry.subject_type == "User",
                AuditEntry.subject_id == user.id,
            )
        )
    )


def _mail_to(user: User) -> OutboxMessage | None:
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == user.email)
        .order_by(OutboxMessage.id.desc())
    ).first()


def _error_beside(page: str, field_id: str) -> str:
    """The error text tied to a field (``aria-describedby`` points at it)."""
    found = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert found, f"no error beside {field_id}"
    assert f'aria-describedby="{field_id}-error"' in page or re.search(
        rf'aria-describedby="[^"]*{field_id}-error', page
    )
    return found.group(1)


# --- who may ---------------------------------------------------------------------------


def _user_pages(user_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", "/admin"),
        ("GET", "/admin/users"),
        ("GET", f"/admin/users/{user_id}"),
        ("POST", f"/admin/users/{user_id}"),
        ("POST", f"/admin/users/{user_id}/deactivate"),
        ("POST", f"/admin/users/{user_id}/reactivate"),
    ]


def _send(client, method: str, url: str, data: dict | None = None):
    """A GET, or a POST with the session's CSRF token as a browser sends it."""
    return client.post(url, data=data or {}) if method == "POST" else client.get(url)


def test_visitors_are_sent_to_log_in(client, make_user):
    target = make_user()
    for method, url in _user_pages(target.id):
        response = _send(client, method, url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT])
def test_members_and_experts_get_403_and_change_nothing(client, make_user, login, role):
    target = make_user()
    login(make_user(role))
    for method, url in _user_pages(target.id):
        data = {"role": "admin", "reason": "Taking over"} if method == "POST" else None
        assert _send(client, method, url, data).status_code == 403, url
    db.session.refresh(target)
    assert target.role == Role.MEMBER and target.active
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_the_service_refuses_non_admins(make_user):
    member, target = make_user(), make_user()
    with pytest.raises(PermissionDenied):
        user_admin.change_role(member, target, Role.ADMIN, None, False)
    with pytest.raises(PermissionDenied):
        user_admin.deactivate(member, target, "No reason")
    with pytest.raises(PermissionDenied):
        user_admin.list_users(member, user_admin.UserFilters())


def test_the_admin_index_and_navigation_link_to_the_users(client, make_user, login):
    login(make_user(Role.ADMIN))
    assert 'href="/admin/users"' in client.get("/admin").get_data(as_text=True)
    assert 'href="/admin/users"' in client.get("/admin/audit").get_data(as_text=True)
    page = client.get("/admin/users").get_data(as_text=True)
    assert re.search(r'href="/admin/users" aria-current="page"', page)


# --- the list --------------------------------------------------------------------------


def test_the_list_shows_each_account_and_never_a_secret(client, make_user, login):
    admin = make_user(Role.ADMIN, name="Giulia Admin")
    organisation = creation.get_or_create_organisation("Brianza Medtech", OrganisationKind.SME)
    member = creation.create_user(
        email="anna@brianza.example",
        display_name="Anna Colombo",
        password=PASSWORD,
        organisation=organisation,
    )
    chair = make_user(Role.EXPERT, ExpertArea.UNIVERSITY, chair=True, name="Marco Chair")
    secret = api_tokens.create(member, "Script").secret
    login(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    row = re.search(r"<tr>\s*<td><a [^>]*>Anna Colombo</a></td>(.*?)</tr>", page, re.S).group(1)
    assert "anna@brianza.example" in row and "Brianza Medtech" in row and "Member" in row
    assert "Active" in row and member.created_at.strftime("%Y") in row
    chair_row = re.search(r"Marco Chair</a></td>(.*?)</tr>", page, re.S).group(1)
    assert "Expert" in chair_row and "University" in chair_row and "Chair" in chair_row
    for user in (admin, member, chair):
        assert user.password_hash not in page and user.session_token not in page
    assert secret not in page and secret[:12] not in page
    assert "scrypt" not in page and "pbkdf2" not in page


def test_the_list_searches_names_and_addresses_and_filters_role_and_status(
    client, make_user, login
):
    login(make_user(Role.ADMIN, name="Giulia Admin"))
    anna = creation.create_user(
        email="anna.colombo@brianza.example", display_name="Anna Colombo", password=PASSWORD
    )
    make_user(name="Otto Other")
    elena = make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Elena Research")
    paolo = make_user(Role.EXPERT, ExpertArea.CLINICAL, name="Paolo Clinical")
    paolo.active = False
    db.session.commit()

    def names(query: str) -> set[str]:
        page = client.get(f"/admin/users?{query}").get_data(as_text=True)
        return set(re.findall(r'<td><a href="/admin/users/\d+">([^<]+)</a></td>', page))

    assert names("q=colombo") == {"Anna Colombo"}
    assert names("q=BRIANZA.example") == {"Anna Colombo"}  # the address, any case
    assert names("q=anna+colombo") == {"Anna Colombo"}  # every word, in name or address
    assert names("q=anna+research") == set()
    assert names("q=%25") == set()  # a LIKE wildcard is a plain character
    assert names("role=expert") == {"Elena Research", "Paolo Clinical"}
    assert names("role=expert&status=active") == {"Elena Research"}
    assert names("status=inactive") == {"Paolo Clinical"}
    assert names("role=member&q=o") == {"Anna Colombo", "Otto Other"}
    assert anna.id and elena.id


@pytest.mark.parametrize(
    "query, field_id",
    [("role=wizard", "role"), ("status=asleep", "status"), ("q=" + "x" * 201, "q")],
)
def test_a_bad_filter_gets_a_message_beside_its_field(client, make_user, login, query, field_id):
    login(make_user(Role.ADMIN))
    response = client.get(f"/admin/users?{query}")
    assert response.status_code == 400
    assert _error_beside(response.get_data(as_text=True), field_id)


def test_the_list_runs_a_fixed_number_of_queries_whatever_the_number_of_users(
    client, make_user, login, count_queries
):
    organisation = creation.get_or_create_organisation("Ateneo", OrganisationKind.UNIVERSITY)
    login(make_user(Role.ADMIN))
    counts = []
    for added in (3, 60):  # then more than a page
        for _ in range(added):
            user = make_user(Role.EXPERT, ExpertArea.REGULATORY)
            user.organisation = organisation
        db.session.commit()
        with count_queries() as statements:
            page = client.get("/admin/users").get_data(as_text=True)
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert "Page 1 of 2" in page
    assert len(re.findall(r'<td><a href="/admin/users/\d+">', page)) == user_admin.PER_PAGE
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert len(re.findall(r'<td><a href="/admin/users/\d+">', second)) == 64 - user_admin.PER_PAGE


# --- roles -----------------------------------------------------------------------------


def test_an_expert_demoted_to_member_stops_seeing_confidential_questions_at_once(
    app, client, make_user, login, count_queries
):
    admin, asker = make_user(Role.ADMIN), make_user(name="Anna Asker")
    expert = make_user(Role.EXPERT, ExpertArea.RESEARCH, chair=True, name="Elena Research")
    secret = ask_question(asker, title=SECRET_TITLE, visibility=Visibility.CONFIDENTIAL)
    token = api_tokens.create(expert, "Script").secret
    browser = _signed_in_client(app, expert)
    # Kept in the page cache for the expert before the change.
    assert SECRET_TITLE in _warm(browser, f"/questions/{secret.id}", count_queries)
    assert SECRET_TITLE in _warm(browser, "/questions", count_queries)

    login(admin)
    response = client.post(
        f"/admin/users/{expert.id}", data={"role": "member", "area": "research", "is_chair": "y"}
    )
    assert response.status_code == 302

    assert browser.get(f"/questions/{secret.id}").status_code == 404
    assert SECRET_TITLE not in browser.get("/questions").get_data(as_text=True)
    assert browser.get("/dashboard").status_code == 403
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get(f"/api/v1/questions/{secret.id}", headers=headers).status_code == 404
    assert api.get("/api/v1/me", headers=headers).get_json()["role"] == "member"
    db.session.refresh(expert)
    # A member has no area and does not chair: the form's expert values are cleared.
    assert (expert.role, expert.area, expert.is_chair) == (Role.MEMBER, None, False)


def test_a_role_change_is_audited_and_mailed_in_the_persons_language(client, make_user, login):
    admin = make_user(Role.ADMIN, name="Giulia Admin")
    member = make_user(name="Paolo Rossi")
    profile.set_locale(member, "it")
    login(admin)
    response = client.post(
        f"/admin/users/{member.id}", data={"role": "expert", "area": "clinical", "is_chair": "y"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The role of Paolo Rossi is saved." in page
    db.session.refresh(member)
    assert (member.role, member.area, member.is_chair) == (Role.EXPERT, ExpertArea.CLINICAL, True)
    [entry] = _audit(AuditAction.USER_ROLE_CHANGED, member)
    assert entry.actor_id == admin.id
    assert entry.detail == "member -> expert (clinical, chair)"
    history = page[page.index('id="history-heading"') :]
    assert "role, expert area or chair changed" in history and "Giulia Admin" in history
    mail = _mail_to(member)
    assert mail.subject == "[CTCC forum] Il tuo ruolo è cambiato"
    assert "Esperto" in mail.body and "presidente del comitato" in mail.body


def test_saving_the_same_role_records_nothing(client, make_user, login):
    login(make_user(Role.ADMIN))
    expert = make_user(Role.EXPERT, ExpertArea.RESEARCH)
    response = client.post(f"/admin/users/{expert.id}", data={"role": "expert", "area": "research"})
    assert response.status_code == 302
    assert _audit(AuditAction.USER_ROLE_CHANGED, expert) == []
    assert _mail_to(expert) is None


def test_an_expert_needs_an_area_the_form_comes_back_with_the_message_beside_it(
    client, make_user, login
):
    login(make_user(Role.ADMIN))
    member = make_user()
    response = client.post(f"/admin/users/{member.id}", data={"role": "expert", "area": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _error_beside(page, "area") == "An expert needs an area."
    assert re.search(r'value="expert"[^>]*checked|checked[^>]*value="expert"', page)  # kept
    db.session.refresh(member)
    assert member.role == Role.MEMBER
    assert _audit(AuditAction.USER_ROLE_CHANGED, member) == []


def test_a_missing_or_unknown_role_is_refused_beside_the_field(client, make_user, login):
    login(make_user(Role.ADMIN))
    member = make_user()
    for data in ({}, {"role": "superuser"}):
        response = client.post(f"/admin/users/{member.id}", data=data)
        assert response.status_code == 422
        assert _error_beside(response.get_data(as_text=True), "role")
    db.session.refresh(member)
    assert member.role == Role.MEMBER


def test_an_admin_cannot_remove_their_own_admin_role(client, make_user, login):
    admin = make_user(Role.ADMIN)
    make_user(Role.ADMIN)  # not the last admin: the refusal is about oneself
    login(admin)
    response = client.post(f"/admin/users/{admin.id}", data={"role": "member"})
    assert response.status_code == 422
    assert "You cannot remove your own admin role" in _error_beside(
        response.get_data(as_text=True), "role"
    )
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN


def test_an_admin_demotes_another_admin(make_user):
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    user_admin.change_role(first, second, Role.MEMBER, None, False)
    assert second.role == Role.MEMBER
    [entry] = _audit(AuditAction.USER_ROLE_CHANGED, second)
    assert entry.detail == "admin -> member"


@pytest.mark.parametrize("action", ["demote", "deactivate"])
def test_the_last_active_admin_is_never_demoted_nor_deactivated(make_user, action):
    """Two admins acting on each other at once: the second to act finds the other gone
    and is refused, so the centre keeps one active admin."""
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    # ``second``'s request has loaded its account ...
    acting = db.session.get(User, second.id)
    db.session.expunge(acting)
    db.session.rollback()
    # ... when another request, committed first, deactivates ``second``.
    with db.engine.begin() as other_request:
        other_request.execute(update(User).where(User.id == second.id).values(active=False))
    with pytest.raises(RuleViolation, match="last active admin") as refused:
        if action == "demote":
            user_admin.change_role(acting, first, Role.MEMBER, None, False)
        else:
            user_admin.deactivate(acting, first, "Leaving")
    assert refused.value.field == ("role" if action == "demote" else "reason")
    db.session.rollback()
    first = db.session.get(User, first.id)
    assert first.role == Role.ADMIN and first.active


# --- deactivation ----------------------------------------------------------------------


def test_deactivation_signs_out_every_session_and_stops_the_api_tokens(
    app, client, make_user, login, count_queries
):
    admin = make_user(Role.ADMIN, name="Giulia Admin")
    expert = make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Elena Research")
    secret = api_tokens.create(expert, "Script").secret
    headers = {"Authorization": f"Bearer {secret}"}
    api = app.test_client()
    assert api.get("/api/v1/me", headers=headers).status_code == 200
    phone, laptop = _signed_in_client(app, expert), _signed_in_client(app, expert)
    _warm(laptop, "/questions", count_queries)  # a page kept for the old session
    old_session = expert.get_id()

    login(admin)
    response = client.post(
        f"/admin/users/{expert.id}/deactivate", data={"reason": "Left the board in March."}
    )
    assert response.status_code == 302
    assert "signed out everywhere" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )

    for browser in (phone, laptop):
        response = browser.get("/account")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
        assert 'class="signed-in-as"' not in browser.get("/questions").get_data(as_text=True)
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert credentials.load_user_for_session(old_session) is None
    db.session.refresh(expert)
    assert not expert.active and expert.get_id() != old_session
    assert all(
        token.revoked_at is not None
        for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == expert.id))
    )
    [entry] = _audit(AuditAction.USER_DEACTIVATED, expert)
    assert entry.actor_id == admin.id
    assert entry.detail == "Left the board in March. (API tokens revoked: 1)"
    mail = _mail_to(expert)
    assert "deactivated" in mail.subject and "Left the board in March." in mail.body


def test_an_inactive_account_cannot_log_in_and_is_told_why(app, client, make_user):
    admin, member = make_user(Role.ADMIN), make_user()
    user_admin.deactivate(admin, member, "Duplicate account")
    response = client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert response.status_code == 422
    assert "This account is deactivated" in _error_beside(response.get_data(as_text=True), "email")
    # A wrong password learns nothing about the account.
    response = client.post("/login", data={"email": member.email, "password": "wrong-password-1"})
    page = response.get_data(as_text=True)
    assert "deactivated" not in page and "The e-mail or the password is not right." in page


def test_the_session_loader_refuses_an_inactive_account_even_with_its_token(make_user):
    member = make_user()
    session_id = member.get_id()
    assert credentials.load_user_for_session(session_id) == member
    member.active = False  # changed without the service: no new token
    db.session.commit()
    assert credentials.load_user_for_session(session_id) is None


def test_deactivation_needs_a_reason_given_beside_the_field(client, make_user, login):
    login(make_user(Role.ADMIN))
    member = make_user()
    for reason in ("", "   ", "x" * 501):
        response = client.post(f"/admin/users/{member.id}/deactivate", data={"reason": reason})
        assert response.status_code == 422
        assert _error_beside(response.get_data(as_text=True), "reason")
    db.session.refresh(member)
    assert member.active
    assert _audit(AuditAction.USER_DEACTIVATED, member) == []


def test_an_admin_cannot_deactivate_themselves(client, make_user, login):
    admin = make_user(Role.ADMIN)
    make_user(Role.ADMIN)
    login(admin)
    response = client.post(f"/admin/users/{admin.id}/deactivate", data={"reason": "Holiday"})
    assert response.status_code == 422
    assert "You cannot deactivate your own account" in _error_beside(
        response.get_data(as_text=True), "reason"
    )
    assert client.get("/admin/users").status_code == 200  # still signed in, still an admin


def test_reactivation_lets_the_person_back_in_with_old_tokens_still_revoked(
    app, client, make_user, login
):
    admin, member = make_user(Role.ADMIN), make_user()
    secret = api_tokens.create(member, "Script").secret
    user_admin.deactivate(admin, member, "Suspicious activity")
    login(admin)
    response = client.post(
        f"/admin/users/{member.id}/reactivate", data={"reason": "Checked with the person."}
    )
    assert response.status_code == 302
    _signed_in_client(app, member)
    assert (
        app.test_client()
        .get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        .status_code
        == 401
    )
    [entry] = _audit(AuditAction.USER_REACTIVATED, member)
    assert entry.detail == "Checked with the person."
    assert "active again" in _mail_to(member).subject


def test_an_account_its_owner_deleted_cannot_be_reactivated_or_changed(make_user):
    admin, member = make_user(Role.ADMIN), make_user()
    deletion.delete_account(member, PASSWORD)
    with pytest.raises(RuleViolation, match="deleted by its owner"):
        user_admin.reactivate(admin, member, "Asked to come back")
    with pytest.raises(RuleViolation, match="deleted by its owner"):
        user_admin.change_role(admin, member, Role.EXPERT, ExpertArea.SME, False)


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, suffix", [("GET", ""), ("POST", ""), ("POST", "/deactivate"), ("POST", "/reactivate")]
)
def test_an_unknown_account_is_404(client, make_user, login, method, suffix):
    login(make_user(Role.ADMIN))
    for user_id in (999_999, 2**31, 2**63):
        response = _send(
            client, method, f"/admin/users/{user_id}{suffix}", {"reason": "x", "role": "member"}
        )
        assert response.status_code == 404


def test_the_edit_page_has_a_label_for_every_input(client, make_user, login):
    login(make_user(Role.ADMIN))
    member = make_user()
    page = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page)
    assert {"role-0", "area", "is_chair", "reason"} <= set(ids)
    for field_id in ids:
        assert f'for="{field_id}"' in page, field_id
    assert re.search(r"<fieldset[^>]*>\s*<legend>Role</legend>", page)  # the radio buttons' group
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (the CSP)
    assert page.count('id="csrf_token"') <= 1
