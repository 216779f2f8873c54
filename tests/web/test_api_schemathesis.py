"""Schemathesis against the OpenAPI document: the demo centre, each role, every operation.

The app is built once for the module over the test database with the demo data
(forum/demo, through the services) and served over real HTTP on 127.0.0.1
(tests/live_server.py); a token is made for an admin, an expert and a member;
the visitor sends none. For every operation Schemathesis
generates requests from the document (valid ones and invalid ones), each sent
as all four callers, and checks that no response is a server error and that
each has a documented status, a documented content type and a body that fits
its schema. Bounded and derandomised, so a run is the same every time.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from forum import create_app
from forum.demo.seed import seed_demo
from forum.extensions import db
from forum.models import Question, Role, User
from forum.services.accounts import api_tokens
from forum.web.api import openapi
from tests.conftest import _empty_tables, _test_settings
from tests.live_server import LiveServer

# A tenth of `make check`'s time with the demo it seeds: left to `make test` (and CI).
pytestmark = pytest.mark.slow

MAX_EXAMPLES = 12  # per operation and mode; each example is sent as all four callers
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def demo_app(database_url, seeded_ids):
    app = create_app(_test_settings(database_url))
    with app.app_context():
        _empty_tables(seeded_ids)
        seed_demo()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def callers(demo_app) -> dict[str, dict]:
    """Headers for a visitor (none) and for a token of a demo member, expert and admin."""
    headers = {"visitor": {}}
    for role in (Role.MEMBER, Role.EXPERT, Role.ADMIN):
        user = db.session.scalars(select(User).where(User.role == role).order_by(User.id)).first()
        secret = api_tokens.create(user, "schemathesis").secret
        headers[role.value] = {"Authorization": f"Bearer {secret}"}
    return headers


@pytest.fixture(scope="module")
def api_schema(demo_app):
    server = LiveServer(demo_app).start()
    try:
        yield schemathesis.openapi.from_url(server.url("/api/v1/openapi.json"))
    finally:
        server.stop()


def _runs() -> list[tuple[str, str, GenerationMode]]:
    """Each operation with valid input, and with invalid input where it takes any."""
    runs = []
    for path, methods in openapi.document()["paths"].items():
        for method, operation in methods.items():
            runs.append((path, method.upper(), GenerationMode.POSITIVE))
            if operation.get("parameters") or operation.get("requestBody"):
                runs.append((path, method.upper(), GenerationMode.NEGATIVE))
    return runs


RUNS = _runs()


@pytest.mark.parametrize(
    "path, method, mode", RUNS, ids=[f"{m} {p} {mode.value}" for p, m, mode in RUNS]
)
def test_the_api_keeps_to_its_document_for_every_caller(api_schema, callers, path, method, mode):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        for headers in callers.values():
            case.call_and_validate(headers=headers, checks=CHECKS)

    check()


def test_every_demo_object_fits_the_document_for_every_caller(api_schema, callers):
    """Random ids rarely name a demo row: read every question, FAQ entry, clinic and
    release by its real id, so each schema is checked against the richest content."""
    from forum.models import Clinic, FaqEntry, GuideRelease

    reads = [
        ("/questions/{question_id}", "question_id", Question.id),
        ("/faq/{entry_id}", "entry_id", FaqEntry.id),
        ("/clinics/{clinic_id}", "clinic_id", Clinic.id),
        ("/guide/releases/{version}", "version", GuideRelease.version),
        ("/guide/releases/{version}.md", "version", GuideRelease.version),
    ]
    statuses = set()
    for path, name, column in reads:
        operation = api_schema[path]["GET"]
        for value in db.session.scalars(select(column)):
            case = operation.Case(path_parameters={name: value})
            for headers in callers.values():
                statuses.add(case.call_and_validate(headers=headers, checks=CHECKS).status_code)
    assert statuses == {200, 404}  # confidential questions are 404 to the visitor
    # Every demo referral (every state, contacts released or not): 401 without a token,
    # 404 to members other than the one who asked.
    from forum.models import Facilitation

    operation = api_schema["/referrals/{facilitation_id}"]["GET"]
    statuses = set()
    for value in db.session.scalars(select(Facilitation.id)):
        case = operation.Case(path_parameters={"facilitation_id": value})
        for headers in callers.values():
            statuses.add(case.call_and_validate(headers=headers, checks=CHECKS).status_code)
    assert statuses == {200, 401, 404}


def test_the_documented_examples_are_accepted_and_answered_as_documented(api_schema, callers):
    from forum.models import Visibility

    # A public question anyone may answer: not hidden, removed or locked by the moderators
    # (the demo has all three, and ids are random, so the first by id could be one).
    public = db.session.scalars(
        select(Question.id)
        .where(
            Question.visibility == Visibility.PUBLIC,
            Question.moderation_state.is_(None),
            Question.removed_at.is_(None),
            Question.locked_at.is_(None),
        )
        .order_by(Question.id)
    ).first()
    writes = [
        ("/questions", {}, "member"),
        ("/questions/{question_id}/answers", {"question_id": public}, "expert"),
        ("/questions/{question_id}/comments", {"question_id": public}, "admin"),
    ]
    for path, parameters, role in writes:
        operation = api_schema[path]["POST"]
        example = openapi.document()["paths"][path]["post"]["requestBody"]["content"][
            "application/json"
        ]["example"]
        case = operation.Case(
            path_parameters=parameters, body=example, media_type="application/json"
        )
        response = case.call_and_validate(headers=callers[role], checks=CHECKS)
        assert response.status_code == 201, response.text
