"""The jit migration's role setting, written by two migrations at once (PostgreSQL).

Two databases migrated by one role at the same moment (the suite's two PostgreSQL
workers, two servers' first start) both write the role's one settings row. This ran
the suite's CI into "tuple concurrently updated"; an advisory lock did not order them,
being per database. It runs on the PostgreSQL server the suite uses, in both of CI's
passes, with a role of its own so the suite's role is never touched.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from forum.config import PROJECT_ROOT, normalise_database_url

MIGRATION = PROJECT_ROOT / "migrations" / "versions" / "7c1e4b9a2f60_jit_off_for_the_role.py"


def _migration():
    spec = importlib.util.spec_from_file_location("jit_off_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _server_url():
    configured = os.environ.get("FORUM_TEST_DATABASE_URL", "")
    if configured.startswith("postgres"):
        return make_url(normalise_database_url(configured)).set(database="postgres")
    return make_url("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def role_url() -> Iterator:
    """A login role of this test's own (trust auth), dropped after."""
    server = create_engine(_server_url(), isolation_level="AUTOCOMMIT")
    name = f"forum_jit_test_{os.getpid()}"
    with server.connect() as connection:
        connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE ROLE "{name}" LOGIN'))
    try:
        yield _server_url().set(username=name, password=None)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        server.dispose()


def _role_settings(connection: Connection) -> list[str]:
    return connection.scalar(
        text(
            "SELECT coalesce((SELECT setconfig FROM pg_db_role_setting"
            " WHERE setdatabase = 0 AND setrole = current_user::regrole), '{}')"
        )
    )


def _two_at_once(url, wanted: bool) -> None:
    """The first transaction writes the setting and holds it until the second is waiting
    on its row; then it commits, and the second must still succeed."""
    set_role_jit_off = _migration().set_role_jit_off
    engine = create_engine(url)
    failures: list[BaseException] = []
    try:
        with engine.connect() as first, engine.connect() as second:
            second_pid = second.scalar(text("SELECT pg_backend_pid()"))
            second.commit()
            set_role_jit_off(first, wanted)

            def migrate_second() -> None:
                try:
                    set_role_jit_off(second, wanted)
                    second.commit()
                except BaseException as error:  # reported by the main thread below
                    failures.append(error)

            thread = threading.Thread(target=migrate_second)
            thread.start()
            with engine.connect() as watcher:
                deadline = time.monotonic() + 10
                while not watcher.scalar(
                    text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": second_pid},
                ):
                    assert time.monotonic() < deadline, "the second write never waited"
                    watcher.rollback()
                    time.sleep(0.02)
            first.commit()
            thread.join(10)
            assert not thread.is_alive()
            assert failures == []
            return _role_settings(first)
    finally:
        engine.dispose()


def test_two_migrations_at_once_both_set_and_both_reset_the_roles_jit(role_url):
    # The row does not exist yet: both insert it.
    assert _two_at_once(role_url, wanted=True) == ["jit=off"]
    # It exists: both take the setting out of it.
    assert _two_at_once(role_url, wanted=False) == []
