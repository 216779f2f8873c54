"""Every route, as every kind of reader, over public and confidential objects: the
status each gets is the one the matrix (tests/access_matrix.py) says.

The world is built once per test and the whole matrix walked in one test, so a
failure lists every mismatch at once rather than stopping at the first.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Answer, AuditEntry, CentrePage, Comment, FaqEntry, Question
from forum.services import centre_pages
from forum.services.accounts import api_tokens
from forum.services.centre_pages import PageDraft
from tests.access_matrix import (
    AUTH,
    DENY,
    DO,
    HIDE,
    LOGIN,
    MOVED,
    NOT_IN_MATRIX,
    OK,
    ROLES,
    ROWS,
    build_world,
    is_in_matrix,
)
from tests.conftest import CSRF_FIELD
from tests.fixtures.people import PASSWORD

IGNORED_METHODS = {"HEAD", "OPTIONS"}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Least privileged first: the refusals are checked before anyone's permitted actions
# (accepting, publishing, unpublishing ...) change the world.
WALK_ORDER = ("visitor", "other", "member", "expert", "chair", "admin")


def _methods(rule) -> set[str]:
    return set(rule.methods) - IGNORED_METHODS


def _rules_by_endpoint_and_method(app) -> dict[tuple[str, str], list]:
    found = defaultdict(list)
    for rule in app.url_map.iter_rules():
        for method in _methods(rule):
            found[(rule.endpoint, method)].append(rule)
    return found


def _url(rule, values: dict, query: str = "") -> str:
    missing = [name for name in rule.arguments if name not in values]
    if missing:
        raise AssertionError(f"the matrix has no value for {missing} of {rule.rule}")
    _domain, path = rule.build(
        {name: values[name] for name in rule.arguments}, append_unknown=False
    )
    return path + ("?" + query.format(**values) if query else "")


def _is_login_redirect(response) -> bool:
    return (
        response.status_code in (301, 302, 303)
        and urlsplit(response.location or "").path == "/login"
    )


def _matches(expected: str, response) -> bool:
    status = response.status_code
    if expected == OK:
        return status == 200
    if expected == LOGIN:
        return _is_login_redirect(response)
    if expected == MOVED:
        return status in (302, 303) and not _is_login_redirect(response)
    if expected == DENY:
        return status == 403
    if expected == HIDE:
        return status == 404
    if expected == AUTH:
        return status == 401
    if expected == DO:
        if status in (302, 303):
            return not _is_login_redirect(response)
        return status in (200, 400, 409, 410, 422)
    raise AssertionError(f"unknown expectation {expected!r}")


def _users(people) -> dict:
    return {
        "member": people.asker,
        "other": people.other,
        "expert": people.expert,
        "chair": people.chair,
        "admin": people.admin,
    }


def _signed_in_clients(app, people) -> dict:
    """A client per reader, logged in, with its session's CSRF token."""
    return {role: _signed_in_client(app, people, role) for role in ROLES}


def _signed_in_client(app, people, role: str) -> tuple:
    client = app.test_client()
    if role != "visitor":
        user = _users(people)[role]
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, f"{role} could not log in"
    return client, client.csrf_token()


def _api_clients(app, people) -> dict:
    """A client per reader for the API: no cookies, the reader's own token (none for visitors)."""
    clients = {}
    for role in ROLES:
        headers = {}
        if role != "visitor":
            secret = api_tokens.create(_users(people)[role], f"Matrix {role}").secret
            headers["Authorization"] = f"Bearer {secret}"
        clients[role] = (app.test_client(), headers)
    return clients


def _is_api(rule) -> bool:
    return rule.rule.startswith("/api/")


def _send(clients, api_clients, role: str, rule, url: str, method: str):
    if _is_api(rule):
        client, headers = api_clients[role]
        body = {"json": {}} if method in STATE_CHANGING else {}
        return client.open(url, method=method, headers=headers, **body)
    client, token = clients[role]
    data = {"csrf_token": token} if method in STATE_CHANGING else None
    return client.open(url, method=method, data=data)


# Each ends every session of the reader: the walk signs the reader in again after it.
SESSION_ENDING = ("auth.logout", "account.sign_out_everywhere")


def _walk_order(row) -> tuple:
    endpoint, method = row[0], row[1]
    # Reads first, then writes; logging out (here or everywhere) last, as it ends the
    # reader's session.
    return (endpoint in SESSION_ENDING, method != "GET")


def test_every_rule_and_method_of_the_url_map_has_a_row(app):
    rules = _rules_by_endpoint_and_method(app)
    listed = {(row[0], row[1]) for row in ROWS}
    missing = sorted(
        f"{endpoint} {method} {rule.rule}"
        for (endpoint, method), found in rules.items()
        for rule in found
        if is_in_matrix(rule.rule) and (endpoint, method) not in listed
    )
    stale = sorted(
        f"{endpoint} {method}" for endpoint, method in listed if (endpoint, method) not in rules
    )
    assert not missing, "routes missing from tests/access_matrix.py:\n" + "\n".join(missing)
    assert not stale, "rows naming no route any more:\n" + "\n".join(stale)


def test_the_rows_are_well_formed():
    for row in ROWS:
        assert len(row) == 4 + len(ROLES), row
        assert all(cell in (OK, MOVED, LOGIN, DENY, HIDE, DO, AUTH) for cell in row[4:]), row
    assert all(prefix.startswith("/") for prefix in NOT_IN_MATRIX)


def test_every_route_answers_each_reader_as_the_matrix_says(app, people):
    world = build_world(people)
    rules = _rules_by_endpoint_and_method(app)
    clients = _signed_in_clients(app, people)
    api_clients = _api_clients(app, people)
    mismatches, checked = [], 0
    for role in WALK_ORDER:
        column = 4 + ROLES.index(role)
        for row in sorted(ROWS, key=_walk_order):
            endpoint, method, obj, query = row[:4]
            expected = row[column]
            for rule in rules.get((endpoint, method), []):
                url = _url(rule, world.values[obj], query)
                response = _send(clients, api_clients, role, rule, url, method)
                if endpoint in SESSION_ENDING:
                    clients[role] = _signed_in_client(app, people, role)
                checked += 1
                if response.status_code >= 500 or not _matches(expected, response):
                    where = f" -> {response.location}" if response.location else ""
                    mismatches.append(
                        f"{role:7} {method:4} {url} ({obj}): expected {expected}, "
                        f"got {response.status_code}{where}"
                    )
    assert not mismatches, (
        f"{len(mismatches)} of {checked} requests differ from the matrix:\n" + "\n".join(mismatches)
    )


def _counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Question, Answer, Comment, FaqEntry, AuditEntry)
    }


def test_a_state_changing_request_without_its_csrf_token_is_refused_everywhere(app, people):
    world = build_world(people)
    clients = _signed_in_clients(app, people)
    before = _counts()
    accepted = []
    for role in ("visitor", "admin"):
        client, _token = clients[role]
        for rule in app.url_map.iter_rules():
            if not is_in_matrix(rule.rule) or _is_api(rule):
                continue  # the API takes no cookie, hence needs no CSRF token (below)
            for method in sorted(_methods(rule) & STATE_CHANGING):
                url = _url(rule, world.values["public"])
                response = client.open(url, method=method, data={"body": "Sent without a token"})
                page = response.get_data(as_text=True)
                if response.status_code != 400 or "security token" not in page:
                    accepted.append(f"{role} {method} {url}: {response.status_code}")
    assert not accepted, "accepted without a CSRF token:\n" + "\n".join(accepted)
    assert _counts() == before


def test_the_api_ignores_the_session_so_a_forged_cross_site_post_gets_nowhere(app, people):
    """The API is exempt from CSRF tokens because it never reads the session cookie: a
    signed-in admin's browser posting to it without a bearer token is a stranger."""
    world = build_world(people)
    admin, _token = _signed_in_clients(app, people)["admin"]
    before = _counts()
    for rule in app.url_map.iter_rules():
        if not _is_api(rule):
            continue
        for method in sorted(_methods(rule) & STATE_CHANGING):
            url = _url(rule, world.values["public"])
            response = admin.open(
                url,
                method=method,
                json={
                    "title": "A question posted from another site",
                    "body": "x" * 40,
                    "topics": ["regulatory-pathway"],
                    "device_class": "IIb",
                    "stage": "prototype",
                },
            )
            assert response.status_code == 401, (method, url, response.status_code)
    me = admin.get("/api/v1/me")
    assert me.status_code == 401
    assert _counts() == before


def test_while_a_new_privacy_notice_waits_every_route_but_the_notice_and_logout_leads_to_it(
    app, people
):
    """A member who has not accepted the notice's new version reaches, on every route of
    the matrix, only the notice, its acceptance, the language and logging out."""
    world = build_world(people)
    centre_pages.save(
        CentrePage.PRIVACY,
        people.admin,
        PageDraft(title_en="Privacy notice", body_en="A new version."),
        base_number=centre_pages.current(CentrePage.PRIVACY).number,
        new_privacy_version=True,
    )
    rules = _rules_by_endpoint_and_method(app)
    client = app.test_client()
    client.post("/login", data={"email": people.asker.email, "password": PASSWORD})
    accept_page = client.get("/privacy/accept")
    assert accept_page.status_code == 200
    token = CSRF_FIELD.search(accept_page.get_data(as_text=True)).group(1)
    open_while_pending = {
        "static",
        "centre_pages.show",
        "centre_pages.history",
        "centre_pages.accept_privacy",
        "language.choose",
        "language.change",
        # Not pages but the machines' probes and scrape (forum/web/health/, metrics/):
        # a session held at the notice must not make a server look unready.
        "health.alive",
        "health.ready",
        "metrics.scrape",
    }
    counts = _counts()
    wrong = []
    for endpoint, method, obj, query, *_cells in ROWS:
        if endpoint in open_while_pending or endpoint == "auth.logout":
            continue
        for rule in rules.get((endpoint, method), []):
            if _is_api(rule):
                continue  # bearer tokens only: the session, and so the notice, means nothing there
            url = _url(rule, world.values[obj], query)
            data = {"csrf_token": token} if method in STATE_CHANGING else None
            response = client.open(url, method=method, data=data)
            if response.status_code != 303 or urlsplit(response.location).path != "/privacy/accept":
                wrong.append(f"{method} {url}: {response.status_code} {response.location or ''}")
    assert not wrong, "reached while the notice waits:\n" + "\n".join(wrong)
    assert _counts() == counts  # and nothing was written
    assert client.get("/privacy").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}, csrf=False).status_code == 302
