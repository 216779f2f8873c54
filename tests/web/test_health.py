"""/healthz (alive) and /readyz (database reachable, migrations at head, Redis when set).

The paths, the status codes and the ``status`` field are a contract: the cluster test
and the deploy files' load balancing rely on them.
"""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from forum import create_app
from forum.extensions import db
from tests import processes
from tests.conftest import _test_settings


def _app_with(database_url: str, **settings):
    return create_app({**_test_settings(database_url), **settings})


def test_healthz_answers_alive_without_a_query_a_cookie_or_a_cache(client, count_queries):
    with count_queries() as statements:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert statements == []
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_when_the_database_answers_at_the_migrations_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_a_database_that_cannot_be_reached_is_unready_and_healthz_still_answers(app):
    # PostgreSQL on a port where nothing listens, whichever database the suite runs on:
    # the password must not appear in the answer either.
    url = f"postgresql+psycopg://forum:s3cret-password@127.0.0.1:{processes.free_port()}/forum"
    unreachable = _app_with(url)
    client = unreachable.test_client()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json == {
        "status": "unready",
        "checks": {"database": "unreachable", "migrations": "not checked"},
    }
    assert "s3cret" not in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200  # alive: a restart would not help


def test_migrations_behind_the_code_make_it_unready_naming_both_revisions(app, client):
    head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    previous = ScriptDirectory(app.extensions["migrate"].directory).get_revision(head).down_revision
    db.session.execute(text("UPDATE alembic_version SET version_num = :rev"), {"rev": previous})
    db.session.commit()
    try:
        response = client.get("/readyz")
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :rev"), {"rev": head})
        db.session.commit()

    assert response.status_code == 503
    assert response.json["status"] == "unready"
    assert response.json["checks"]["database"] == "ok"
    migrations = response.json["checks"]["migrations"]
    assert f"database at {previous}" in migrations and f"code at {head}" in migrations


def test_a_redis_that_cannot_be_reached_makes_it_unready(app, database_url):
    unready = _app_with(database_url, REDIS_URL=f"redis://127.0.0.1:{processes.free_port()}/0")
    response = unready.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {
        "status": "unready",
        "checks": {"database": "ok", "migrations": "ok", "redis": "unreachable"},
    }


def test_a_redis_that_answers_is_checked_and_ready(app, database_url):
    ready = _app_with(database_url, REDIS_URL="redis://127.0.0.1:6379/7")
    response = ready.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["redis"] == "ok"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_probes_are_open_to_a_member_held_at_the_privacy_notice(client, people, login, path):
    login(people.asker)
    with client.session_transaction() as session:
        session["privacy_acceptance_pending"] = True
    assert client.get("/questions").status_code == 303  # the hold is in force
    assert client.get(path).status_code == 200
