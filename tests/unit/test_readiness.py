"""The readiness checks' bounds (forum/services/readiness.py): a database that holds the
query is reported, not waited for, and probes do not pile up behind it."""

from __future__ import annotations

import socket
import threading

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from forum.extensions import db
from forum.resources import migrations_dir
from forum.services import readiness


@pytest.fixture(autouse=True)
def settled():
    """After each test, its database check has finished: the next test's is not told
    to wait for it."""
    yield
    pending = readiness._pending
    if pending is not None:
        assert pending.finished.wait(30)


def test_a_database_check_that_does_not_finish_is_reported_and_not_repeated(app, monkeypatch):
    release = threading.Event()

    def held(_engine, _heads, _timeout):
        release.wait(30)  # PgBouncer holding the query while its server is gone
        return readiness.OK, readiness.OK

    monkeypatch.setattr(readiness, "_database_and_migrations", held)
    directory = app.extensions["migrate"].directory
    try:
        first = readiness.check(db.engine, directory, None, timeout=0.2)
        second = readiness.check(db.engine, directory, None, timeout=0.2)
    finally:
        release.set()
    assert first.checks == {"database": "timed out after 0.2 s", "migrations": "not checked"}
    assert second.checks == {
        "database": "still waiting for the previous check",
        "migrations": "not checked",
    }
    assert not first.ready and not second.ready


def test_the_check_after_a_held_one_finished_runs_again(app, monkeypatch):
    directory = app.extensions["migrate"].directory
    release = threading.Event()
    finished = threading.Event()
    real = readiness._database_and_migrations

    def held_once(engine, heads, timeout):
        release.wait(30)
        finished.set()
        return real(engine, heads, timeout)

    monkeypatch.setattr(readiness, "_database_and_migrations", held_once)
    assert not readiness.check(db.engine, directory, None, timeout=0.2).ready
    release.set()
    assert finished.wait(30)
    monkeypatch.setattr(readiness, "_database_and_migrations", real)
    assert readiness._pending.finished.wait(30)
    assert readiness.check(db.engine, directory, None).ready


def test_a_server_that_accepts_and_never_speaks_is_not_ready(app):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections complete in the backlog; nothing ever answers
        port = silent.getsockname()[1]
        url = f"postgresql+psycopg://forum:secret@127.0.0.1:{port}/forum"
        engine = create_engine(url)
        outcome = readiness.check(engine, app.extensions["migrate"].directory, None, timeout=1)
        engine.dispose()
    assert not outcome.ready
    assert outcome.checks["database"] in ("unreachable", "timed out after 1 s")


# --- the heads of the migrations, read without Alembic ----------------------------------


def test_the_heads_read_from_the_files_are_alembics(app):
    directory = str(migrations_dir())
    assert readiness.migration_heads(directory) == frozenset(ScriptDirectory(directory).get_heads())


def test_heads_follow_merges_branches_and_annotated_revisions(tmp_path):
    versions = tmp_path / "versions"
    versions.mkdir()
    files = {
        "first.py": 'revision = "a1"\ndown_revision = None\n',
        "second.py": 'revision: str = "b2"\ndown_revision: str | None = "a1"\n',
        "branch.py": '"""A branch."""\nrevision = "c3"\ndown_revision = "a1"\n',
        "merge.py": 'revision = "d4"\ndown_revision = ("b2", "c3")\n',
        "other_branch.py": 'revision = "e5"\ndown_revision = "a1"\nbranch_labels = None\n',
    }
    for name, text in files.items():
        (versions / name).write_text(text)
    (tmp_path / "script.py.mako").write_text("")
    heads = readiness.migration_heads(str(tmp_path))
    assert heads == {"d4", "e5"}
    assert heads == frozenset(ScriptDirectory(str(tmp_path)).get_heads())
