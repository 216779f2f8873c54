"""deploy/gunicorn.conf.py for real: two workers, Prometheus's multiprocess folder, the
forum's log format for gunicorn's own lines and the app's.

gunicorn is started on a free port and stopped by its PID; requests go on fresh
connections, so both workers answer some. /metrics, whichever worker answers it,
must count every worker's requests: the sum equals what each worker's file holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from flask_migrate import upgrade
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families

from forum import create_app
from forum.config import PROJECT_ROOT
from forum.extensions import db
from tests import processes

pytestmark = pytest.mark.slow

WORKERS = 2
MAX_REQUESTS = 300  # far more than it takes for both workers to have answered


@pytest.fixture
def migrated_sqlite(tmp_path) -> str:
    url = "sqlite:///" + str(tmp_path / "forum.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "gunicorn-test-secret"})
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()
    return url


@pytest.fixture
def gunicorn(migrated_sqlite, tmp_path):
    port = processes.free_port()
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    # A previous run's values, which on_starting must clear.
    (metrics_dir / "counter_999999.db").write_bytes(b"stale")
    log_path = tmp_path / "gunicorn.log"
    environment = {
        **os.environ,
        "DATABASE_URL": migrated_sqlite,
        "FORUM_ENV": "development",
        "SECRET_KEY": "gunicorn-test-secret",
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "LOG_FORMAT": "json",
        "VISIT_COUNTING": "0",
    }
    environment.pop("FORUM_TEST_DATABASE_URL", None)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_serving(process, base_url, log_path)
            yield base_url, metrics_dir, log_path
        finally:
            processes.stop(process)


def _wait_until_serving(process, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited at start:\n{log_path.read_text()[-4000:]}")
        try:
            if httpx.get(base_url + "/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(
        f"gunicorn did not answer within a minute:\n{log_path.read_text()[-4000:]}"
    )


def _alive_requests_per_worker(metrics_dir: Path) -> dict[str, float]:
    """Each worker's own count of /healthz answers, read from its file."""
    counts = {}
    for path in metrics_dir.glob("counter_*.db"):
        total = 0.0
        for key, value, _timestamp, _position in MmapedDict.read_all_values_from_file(str(path)):
            _metric, sample, labels, _help = json.loads(key)
            if sample == "forum_http_requests_total" and labels.get("endpoint") == "health.alive":
                total += value
        counts[path.name] = total
    return counts


def _scraped_alive_requests(base_url: str) -> float:
    text = httpx.get(base_url + "/metrics", timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "forum_http_requests_total"
        and sample.labels == {"endpoint": "health.alive", "status": "200"}
    )


def test_metrics_sum_every_workers_requests_and_every_line_is_json(gunicorn):
    base_url, metrics_dir, log_path = gunicorn
    assert not (metrics_dir / "counter_999999.db").exists()  # emptied at start

    sent = 0
    for _ in range(MAX_REQUESTS):
        sent += 1
        response = httpx.get(base_url + "/healthz", headers={"X-Request-ID": "probe-1"}, timeout=5)
        assert response.headers["X-Request-ID"] == "probe-1"
        answered = [count for count in _alive_requests_per_worker(metrics_dir).values() if count]
        if len(answered) == WORKERS:
            break
    per_worker = _alive_requests_per_worker(metrics_dir)
    assert len([count for count in per_worker.values() if count]) == WORKERS, per_worker

    # Whichever worker answers the scrape, it reports both workers' requests summed.
    for _ in range(4):
        assert _scraped_alive_requests(base_url) == sum(per_worker.values())

    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    loggers = {line["logger"] for line in lines}
    assert "gunicorn.error" in loggers  # the master's and workers' own lines, as JSON
    assert sum("Booting worker" in line["message"] for line in lines) == WORKERS
    access = [line for line in lines if line["logger"] == "forum.access"]
    assert len(access) == sum(per_worker.values())  # the scrapes are not written down
    assert len([line for line in access if line["request_id"] == "probe-1"]) == sent
    assert "gunicorn.access" not in loggers  # one access line a request, the app's
