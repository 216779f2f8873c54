"""The Prometheus metrics (forum/metrics.py) and GET /metrics (forum/web/metrics/).

The counters belong to the process, shared by every app a test builds: each test
reads a value before and after what it does, and checks the difference.
"""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from prometheus_client.parser import text_string_to_metric_families

from forum import create_app
from forum.extensions import db
from forum.services import visits
from forum.services.mail import outbox
from tests import processes
from tests.conftest import _test_settings
from tests.factories import ask_question

OUTSIDER = {"REMOTE_ADDR": "203.0.113.9"}  # a documentation address: never an allowed one


def _samples(client, **kwargs) -> dict[tuple, float]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def _value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_by_endpoint_and_status_and_timed(client):
    before = _samples(client)
    client.get("/questions")
    client.get("/questions")
    client.get("/no-such-page")
    after = _samples(client)

    def moved(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert moved("forum_http_requests_total", endpoint="questions.index", status="200") == 2
    assert moved("forum_http_requests_total", endpoint="none", status="404") == 1
    assert moved("forum_http_request_duration_seconds_count", endpoint="questions.index") == 2
    assert (
        moved("forum_http_request_duration_seconds_bucket", endpoint="questions.index", le="+Inf")
        == 2
    )
    # The scrape counts neither itself nor the previous scrape.
    assert moved("forum_http_requests_total", endpoint="metrics.scrape", status="200") == 0


def test_page_cache_hits_and_misses_are_counted(client, people):
    ask_question(people.asker, title="Is a pilot study a clinical investigation?")
    before = _samples(client)
    for _ in range(4):  # the first visits set up the session; then the page is kept
        assert client.get("/questions").status_code == 200
    after = _samples(client)
    hits = _value(after, "forum_page_cache_hits_total") - _value(
        before, "forum_page_cache_hits_total"
    )
    misses = _value(after, "forum_page_cache_misses_total") - _value(
        before, "forum_page_cache_misses_total"
    )
    assert hits >= 1 and misses >= 1
    assert hits + misses == 4


def test_outbox_depth_and_failures_are_read_from_the_database(app, client):
    for address in ("anna@example.org", "marco@example.org"):
        outbox.enqueue(address, "A new answer", "Hello")
    db.session.commit()
    samples = _samples(client)
    assert _value(samples, "forum_outbox_messages", status="queued") == 2
    assert _value(samples, "forum_outbox_messages", status="failed") == 0

    closed_port = processes.free_port()  # no mail server listens there
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port, MAIL_TIMEOUT=2)
    failures_before = _value(samples, "forum_outbox_delivery_failures_total")
    outbox.deliver_due()
    after = _samples(client)
    assert _value(after, "forum_outbox_delivery_failures_total") - failures_before == 2
    assert _value(after, "forum_outbox_messages", status="queued") == 2  # waiting to retry


def test_visit_flushes_and_the_visits_written_are_counted(app, client):
    counter = visits.VisitCounter()
    before = _samples(client)
    counter.record("questions", "198.51.100.1", "Firefox")
    counter.record("faq", "198.51.100.2", "Firefox")
    counter.flush()
    after = _samples(client)
    assert (
        _value(after, "forum_visit_flushes_total") - _value(before, "forum_visit_flushes_total")
        == 1
    )
    written = _value(after, "forum_visits_written_total") - _value(
        before, "forum_visits_written_total"
    )
    assert written == 2


def test_metrics_are_refused_to_an_address_not_allowed(client):
    response = client.get("/metrics", environ_base=OUTSIDER)
    assert response.status_code == 404
    assert "forum_http_requests_total" not in response.get_data(as_text=True)


def test_the_token_opens_metrics_to_any_address_and_a_wrong_one_to_none(app, client):
    app.config["METRICS_TOKEN"] = "scrape-token-7f3c"
    assert (
        client.get(
            "/metrics", environ_base=OUTSIDER, headers={"Authorization": "Bearer wrong"}
        ).status_code
        == 404
    )
    # A wrong token is refused even from an allowed address.
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert _samples(
        client, environ_base=OUTSIDER, headers={"Authorization": "Bearer scrape-token-7f3c"}
    )


def test_without_a_token_configured_a_presented_one_opens_nothing(client):
    assert client.get("/metrics", headers={"Authorization": "Bearer None"}).status_code == 404


@pytest.mark.parametrize(
    ("allowed", "address", "status"),
    [
        ("10.1.0.0/16", "10.1.4.7", 200),
        ("10.1.0.0/16", "10.2.4.7", 404),
        ("127.0.0.1", "::ffff:127.0.0.1", 200),  # IPv4 through a server listening on [::]
    ],
)
def test_allowed_addresses_may_be_networks(app, client, allowed, address, status):
    app.config["METRICS_ALLOWED_IPS"] = (ip_network(allowed),)
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": address}).status_code == status


def test_metrics_can_be_turned_off(app, client):
    app.config["METRICS_ENABLED"] = False
    assert client.get("/metrics").status_code == 404


def test_a_scrape_while_the_database_is_away_still_gives_the_process_metrics(app):
    closed_port = processes.free_port()
    away = create_app(
        {
            **_test_settings(f"postgresql+psycopg://forum@127.0.0.1:{closed_port}/forum"),
            "METRICS_ENABLED": True,
        }
    )
    client = away.test_client()
    client.get("/healthz")
    samples = _samples(client)
    assert _value(samples, "forum_http_requests_total", endpoint="health.alive", status="200") >= 1
    assert not any(name == "forum_outbox_messages" for name, _labels in samples)
