"""Two app servers behind Debian's nginx, PgBouncer in front of PostgreSQL, Redis: the
deployment of deploy/ on loopback (tests/cluster/deployment.py starts it, once for the
module), checked as a visitor and an operator would.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from forum import create_app
from forum.extensions import db
from forum.models import OutboxMessage, User
from forum.services.mail import outbox
from tests.cluster.deploy_files import PROJECT
from tests.cluster.deployment import PASSWORD, Cluster, running_cluster
from tests.conftest import CSRF_FIELD
from tests.factories import ask_question

pytestmark = pytest.mark.slow

MESSAGES = 12
JIT_OFF_REVISION = "7c1e4b9a2f60"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with running_cluster() as started:
        yield started


@pytest.fixture(scope="module")
def cluster_app(cluster) -> Iterator[Flask]:
    """The app in this process, on the cluster's database (straight to PostgreSQL)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": cluster.direct_url})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# --- requests -----------------------------------------------------------------------------


def _get(cluster: Cluster, url: str, cookie: str | None = None, **headers) -> httpx.Response:
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    return httpx.get(url, headers=headers, verify=cluster.tls_context, timeout=30)


def _post(cluster, url, data, cookie, **headers) -> httpx.Response:
    headers["Cookie"] = f"session={cookie}"
    # As a browser sends it: over HTTPS, Flask-WTF refuses a form whose Referer is not this site.
    headers.setdefault("Referer", url)
    return httpx.post(url, data=data, headers=headers, verify=cluster.tls_context, timeout=30)


def _form(cluster: Cluster, url: str, cookie: str | None = None, **headers) -> tuple[str, str]:
    """A page's CSRF token and the session cookie that goes with it."""
    response = _get(cluster, url, cookie, **headers)
    assert response.status_code == 200, response.text[:500]
    token = CSRF_FIELD.search(response.text)
    assert token, response.text[:500]
    return token.group(1), response.cookies.get("session") or cookie


def _log_in(cluster: Cluster, base_url: str) -> str:
    token, cookie = _form(cluster, base_url + "/login")
    response = _post(
        cluster,
        base_url + "/login",
        {"email": "member@cluster.example", "password": PASSWORD, "csrf_token": token},
        cookie,
    )
    assert response.status_code == 302, response.text[:500]
    return response.cookies["session"]


# --- the checks ---------------------------------------------------------------------------


def test_jit_is_off_through_pgbouncer_without_a_startup_parameter(cluster, cluster_app):
    # No startup parameter carries it (PgBouncer would refuse one): the role's default, set
    # by the migration run as the forum's own role, an ordinary one.
    with psycopg.connect(cluster.via_pgbouncer_url, autocommit=True) as connection:
        assert connection.execute("SHOW jit").fetchone() == ("off",)

    def role_defaults() -> list[str]:
        with psycopg.connect(cluster.direct_url, autocommit=True) as connection:
            row = connection.execute(
                "SELECT setconfig FROM pg_db_role_setting"
                " WHERE setrole = current_user::regrole AND setdatabase = 0"
            ).fetchone()
            return row[0] if row else []

    assert role_defaults() == ["jit=off"]
    with cluster_app.app_context():
        downgrade(revision=JIT_OFF_REVISION + "-1")
        assert role_defaults() == []  # the downgrade puts PostgreSQL's default back
        upgrade()
    assert role_defaults() == ["jit=off"]


def test_a_session_made_through_nginx_works_on_both_servers(cluster):
    cookie = _log_in(cluster, cluster.site_url)

    for server in (0, 1):
        page = _get(cluster, cluster.app_url(server) + "/notifications", cookie)
        assert page.status_code == 200, (server, page.status_code, page.text[:300])
        assert "Clara Cluster" in page.text

    upstreams = set()
    for _ in range(6):
        page = _get(cluster, cluster.site_url + "/notifications", cookie)
        assert page.status_code == 200 and "Clara Cluster" in page.text
        upstreams.add(page.headers["X-Upstream-Address"])
    assert upstreams == {f"127.0.0.1:{port}" for port in cluster.app_ports}


def test_a_write_on_one_server_is_seen_at_once_on_the_other(cluster, cluster_app):
    with cluster_app.app_context():
        member = db.session.scalar(select(User).where(User.email == "member@cluster.example"))
        question_id = ask_question(member, title="Which notified body for a cluster test?").id
    path = f"/questions/{question_id}"
    cookie = _log_in(cluster, cluster.app_url(0))
    for _ in range(2):  # the second from server 2's page cache
        for reader in (cookie, None):
            before = _get(cluster, cluster.app_url(1) + path, reader)
            assert before.status_code == 200 and "marmoset" not in before.text

    token, cookie = _form(cluster, cluster.app_url(0) + path, cookie)
    written = _post(
        cluster,
        cluster.app_url(0) + path + "/comments",
        {"body": "A marmoset-sized comment written on the first server.", "csrf_token": token},
        cookie,
    )
    assert written.status_code == 302, written.text[:500]

    for reader in (cookie, None):
        after = _get(cluster, cluster.app_url(1) + path, reader)
        assert after.status_code == 200
        assert "A marmoset-sized comment written on the first server." in after.text


def test_two_outbox_senders_deliver_each_message_once(cluster, cluster_app):
    with cluster_app.app_context():
        for n in range(MESSAGES):
            outbox.enqueue(f"reader{n}@cluster.example", f"Message {n}", f"Body of message {n}.")
        db.session.commit()

    command = [sys.executable, "-m", "flask", "--app", "forum", "outbox", "send"]
    senders = [
        subprocess.Popen(
            command,
            cwd=PROJECT,
            env=cluster.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [sender.communicate(timeout=120)[0] for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], outputs

    expected = {f"reader{n}@cluster.example" for n in range(MESSAGES)}
    delivered = Counter(r for r in cluster.mailbox.recipients if r in expected)
    assert delivered == Counter(expected), outputs
    message_ids = [m["Message-ID"] for m in cluster.mailbox.messages if m["To"] in expected]
    assert len(set(message_ids)) == len(message_ids) == MESSAGES
    with cluster_app.app_context():
        sent = db.session.scalars(select(OutboxMessage.sent_at)).all()
        assert len(sent) == MESSAGES and all(sent)


def test_http_redirects_to_https_and_the_metrics_are_not_served_outside(cluster):
    plain = httpx.get(f"http://127.0.0.1:{cluster.http_port}/login?next=/faq", timeout=30)
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://localhost/login?next=/faq"

    assert _get(cluster, cluster.site_url + "/metrics").status_code == 403


def test_static_files_with_a_hashed_name_are_kept_a_year_the_others_an_hour(cluster):
    plain = _get(cluster, cluster.site_url + "/static/css/forum.css")
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "public, max-age=3600"
    assert "X-Upstream-Address" not in plain.headers  # nginx served it, not an app server

    hashed = _get(cluster, cluster.site_url + "/static/css/forum.0123456789ab.css")
    assert hashed.status_code == 200
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert hashed.content == plain.content
    # Not a hash (12 lowercase hex digits): the name is looked up as it is, and missing.
    assert _get(cluster, cluster.site_url + "/static/css/forum.0123456789AB.css").status_code == 404


def test_login_attempts_are_counted_across_both_servers_per_client_address(cluster):
    def attempt(base_url: str, **headers) -> int:
        token, cookie = _form(cluster, base_url + "/login", **headers)
        wrong = {"email": "member@cluster.example", "password": "wrong", "csrf_token": token}
        return _post(cluster, base_url + "/login", wrong, cookie, **headers).status_code

    # Straight to the app servers, which believe one proxy's X-Forwarded-For
    # (TRUSTED_PROXIES=1): one client, 10.1.1.1, on both servers. Five attempts a minute.
    client = {"X-Forwarded-For": "10.1.1.1"}
    statuses = [attempt(cluster.app_url(n % 2), **client) for n in range(5)]
    assert statuses == [422] * 5
    assert attempt(cluster.app_url(0), **client) == 429
    assert attempt(cluster.app_url(1), **client) == 429
    # Another client has its own budget.
    assert attempt(cluster.app_url(0), **{"X-Forwarded-For": "10.2.2.2"}) == 422

    # Through nginx, the address the app sees is the one nginx saw (here 127.0.0.1), not
    # what the client claims: claiming 10.1.1.1 does not spend that client's budget...
    assert attempt(cluster.site_url, **client) == 422
    # ...and 127.0.0.1's budget (one login spent earlier by the session test, at most) runs
    # out across both upstreams whatever the client claims.
    statuses = [attempt(cluster.site_url, **{"X-Forwarded-For": f"10.3.3.{n}"}) for n in range(6)]
    assert statuses[-1] == 429 and 422 in statuses


def test_readyz_turns_unready_without_pgbouncer_and_ready_when_it_returns(cluster):
    def readiness(expected: int) -> dict:
        deadline = time.monotonic() + 30
        while True:
            response = _get(cluster, cluster.app_url(1) + "/readyz")
            if response.status_code == expected or time.monotonic() > deadline:
                assert response.status_code == expected, response.text[:500]
                return response.json()
            time.sleep(0.5)

    assert readiness(200)["status"] == "ready"
    assert _get(cluster, cluster.site_url + "/healthz").status_code == 200

    cluster.processes["pgbouncer"].stop()
    assert readiness(503)["status"] == "unready"
    assert _get(cluster, cluster.app_url(0) + "/healthz").status_code == 200  # alive

    cluster.start_pgbouncer()
    assert readiness(200)["status"] == "ready"
    assert re.match(r"^2\d\d$", str(_get(cluster, cluster.site_url + "/").status_code))
