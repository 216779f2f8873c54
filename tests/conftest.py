"""Fixtures: a fresh app per test over a clean database, built by the real migrations.

The suite runs on SQLite by default and on PostgreSQL when
FORUM_TEST_DATABASE_URL is set (``.ci/run`` does both). The schema is built
once per run with ``flask db upgrade``; before each test every table is
emptied, except the topics and the content generation row the migration seeded.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, delete, event, make_url, text, update

from forum import create_app
from forum.config import PROJECT_ROOT, normalise_database_url
from forum.extensions import db
from forum.locales import compile_stale
from forum.models import ExpertArea, Question, Role, Topic, User
from forum.services.accounts import creation
from tests.factories import People

PASSWORD = "correct-horse-battery"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile any catalogue whose .mo is missing or older than its .po (``make test`` does
    it too), so a run straight from pytest still offers every language."""
    compile_stale(PROJECT_ROOT / "forum" / "translations")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """SQLite: a file in this run's temporary directory (each xdist worker has its own).
    PostgreSQL: FORUM_TEST_DATABASE_URL's database, or under xdist ``<it>_<worker>``,
    created when missing, so workers never share tables."""
    configured = os.environ.get("FORUM_TEST_DATABASE_URL")
    if configured:
        return _database_of_this_worker(normalise_database_url(configured))
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "forum-test.sqlite3")


def _database_of_this_worker(url: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _test_settings(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
    }


@pytest.fixture(scope="session")
def seeded_topic_ids(database_url) -> set[int]:
    """Build the schema from empty with the migrations, once per run."""
    app = create_app(_test_settings(database_url))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        topic_ids = set(db.session.scalars(db.select(Topic.id)))
        db.session.remove()
        db.engine.dispose()
    return topic_ids


def _empty_tables(seeded_topic_ids: set[int]) -> None:
    db.session.execute(update(Question).values(accepted_answer_id=None))
    for table in reversed(db.metadata.sorted_tables):
        if table.name == "topic":
            db.session.execute(delete(table).where(table.c.id.not_in(seeded_topic_ids)))
        elif table.name == "content_generation":
            continue  # the migration's one counter row; its value only ever grows
        else:
            db.session.execute(delete(table))
    db.session.commit()


class CsrfClient(FlaskClient):
    """A test client that sends the session's CSRF token with every form, as a browser would.

    Pass ``csrf=False`` to post without it.
    """

    def open(self, *args, **kwargs):
        # Each request gets its own app context, hence its own ``g`` and database
        # session, as in production; the test's own session then starts afresh
        # so it reads what the request committed.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.rollback()
        return response

    def csrf_token(self) -> str:
        page = self.get("/login").get_data(as_text=True)
        return CSRF_FIELD.search(page).group(1)

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            data = dict(kwargs.get("data") or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def app(database_url, seeded_topic_ids):
    app = create_app(_test_settings(database_url))
    app.test_client_class = CsrfClient
    with app.app_context():
        _empty_tables(seeded_topic_ids)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.MEMBER, area: ExpertArea | None = None,
             chair: bool = False, name: str | None = None) -> User:
        number = next(counter)
        if role == Role.EXPERT and area is None:
            area = ExpertArea.RESEARCH
        return creation.create_user(
            email=f"{role.value}{number}@example.org",
            display_name=name or f"{role.value.title()} {number}",
            password=PASSWORD,
            role=role,
            area=area,
            is_chair=chair,
        )

    return make


@pytest.fixture
def login(client):
    def log_in(user: User, password: str = PASSWORD):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return log_in


class StatementLog(list):
    """The statements' texts, which most tests read, with each one's parameters beside
    them in ``parameters`` (to run a statement again, under EXPLAIN say)."""

    def __init__(self):
        super().__init__()
        self.parameters: list = []


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a ``with`` block."""

    @contextmanager
    def counting() -> Iterator[StatementLog]:
        statements = StatementLog()

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)
            statements.parameters.append(parameters)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def people(make_user) -> People:
    """The curation tests' cast (test modules with a cast of their own override it)."""
    return People(
        admin=make_user(Role.ADMIN, name="Giulia Admin"),
        asker=make_user(name="Anna Asker"),
        other=make_user(name="Otto Other"),
        expert=make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Elena Research"),
        chair=make_user(Role.EXPERT, ExpertArea.UNIVERSITY, chair=True, name="Marco Chair"),
        clinical=make_user(Role.EXPERT, ExpertArea.CLINICAL, name="Paolo Clinical"),
    )
