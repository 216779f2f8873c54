"""Fixtures: a fresh app per test over a clean database, built by the real migrations.

The suite runs on SQLite by default and on PostgreSQL when
FORUM_TEST_DATABASE_URL is set (``.ci/run`` does both). The schema is built
once per run with ``flask db upgrade``; before each test every table is
emptied, except the rows the migrations seeded (topics, the network's vocabularies, the
content generation's counter).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import Table, create_engine, delete, event, make_url, text, update

from forum import create_app
from forum.config import PROJECT_ROOT, normalise_database_url
from forum.extensions import db
from forum.locales import compile_stale
from forum.models import Capability, Question, Specialisation, Topic
from tests.work_stealing import WholeFileWorkStealing

# Fixtures by domain, beside the core ones below.
pytest_plugins = ["tests.fixtures.compile_once", "tests.fixtures.people"]

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# The suite's layers: a folder of tests/ each, and a marker of the same name that `make
# check` selects by. The marker comes from the folder, so a new file cannot forget it.
LAYERS = ("unit", "web", "browser", "load", "cluster", "packaging")
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if TESTS not in item.path.parents:
            continue
        layer = item.path.relative_to(TESTS).parts[0]
        if layer not in LAYERS:
            raise pytest.UsageError(
                f"{item.path.relative_to(TESTS.parent)}: a test file goes in its layer's "
                f"folder, one of {', '.join('tests/' + name for name in LAYERS)}"
            )
        item.add_marker(layer)


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: absent under -p no:xdist
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``--dist worksteal`` that keeps the files of tests/work_stealing.py on one worker."""
    if config.getvalue("dist") == "worksteal":
        return WholeFileWorkStealing(config, log)
    return None


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
        if not connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _test_settings(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
    }


# The tables whose rows the migrations seed: a test starts with them (controlled vocabularies).
SEEDED_TABLES = (Topic, Specialisation, Capability)


@pytest.fixture(scope="session")
def seeded_ids(database_url) -> dict[str, frozenset[int]]:
    """Build the schema from empty with the migrations, once per run; the ids of the rows
    they seeded, by table."""
    app = create_app(_test_settings(database_url))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                # A commit then returns before its WAL reaches the disk: 0.8 ms rather than
                # 7 ms here, and the suite commits tens of thousands of times (every test
                # empties the tables, every form and each demo seeding commits). For the
                # test database's later connections only; a server crash could lose the
                # last commits of a database that is rebuilt at every run anyway.
                name = connection.scalar(text("SELECT current_database()"))
                connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        seeded = {
            model.__table__.name: frozenset(db.session.scalars(db.select(model.id)))
            for model in SEEDED_TABLES
        }
        db.session.remove()
        db.engine.dispose()
    return seeded


@cache
def _tables_to_empty() -> list[Table]:
    """Every table, children before parents, but the migration's one counter row's (its
    value only ever grows)."""
    return [
        table for table in reversed(db.metadata.sorted_tables) if table.name != "content_generation"
    ]


def _empty_tables(seeded_ids: dict[str, frozenset[int]]) -> None:
    tables = _tables_to_empty()
    # A test fills a few of the sixty tables: one query names those with rows, and only
    # they are emptied, rather than a statement for every table before every test.
    quoted = db.engine.dialect.identifier_preparer.format_table
    filled = set(
        db.session.scalars(
            text(
                " UNION ALL ".join(
                    f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM {quoted(table)})"
                    for table in tables
                )
            )
        )
    )
    if "question" in filled:
        db.session.execute(update(Question).values(accepted_answer_id=None))
    for table in tables:
        if table.name in seeded_ids:
            db.session.execute(delete(table).where(table.c.id.not_in(seeded_ids[table.name])))
        elif table.name in filled:
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
def app(database_url, seeded_ids, tmp_path):
    # Each test's attachments in its own folder, gone with it.
    app = create_app({**_test_settings(database_url), "ATTACHMENTS_DIR": str(tmp_path / "files")})
    app.test_client_class = CsrfClient
    with app.app_context():
        _empty_tables(seeded_ids)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


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
