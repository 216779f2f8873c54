"""GET /metrics: the Prometheus text format, for the monitoring server only.

Served when METRICS_ENABLED, to a client whose address (after ProxyFix, so the
visitor's behind TRUSTED_PROXIES) is in METRICS_ALLOWED_IPS, or that presents
METRICS_TOKEN as a bearer token. A wrong token is refused even from an allowed
address. Anyone else gets the plain 404 of a page that does not exist: the
endpoint's existence is nobody else's business.

The scrape is not counted as a request (forum/web/infra/finished_requests.py), not
rate limited, never stored by a cache, and the outbox figures are read at scrape
time (``OutboxCollector``), so they are the database's, whichever worker answers.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from forum import metrics
from forum.extensions import db, limiter
from forum.services.mail import outbox

bp = Blueprint("metrics", __name__)
log = logging.getLogger(__name__)


@bp.get("/metrics")
@limiter.exempt
def scrape():
    if not current_app.config["METRICS_ENABLED"] or not _client_allowed():
        abort(404)
    response = Response(metrics.exposition([OutboxCollector()]), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def _client_allowed() -> bool:
    token = current_app.config["METRICS_TOKEN"]
    presented = request.headers.get("Authorization", "")
    if presented:
        return token is not None and hmac.compare_digest(
            presented.encode(), f"Bearer {token}".encode()
        )
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # an IPv4 client of a server listening on [::]
    return any(address in network for network in current_app.config["METRICS_ALLOWED_IPS"])


class OutboxCollector(Collector):
    """The outbox's messages by status, one query at scrape time: ``queued`` is the
    depth (waiting to be sent), ``failed`` the messages given up on."""

    def collect(self):
        try:
            summary = outbox.outbox_summary()
        except SQLAlchemyError as error:
            # The process's own metrics are still worth a scrape while the database is
            # away: the outbox's are left out (alert on their absence, and on /readyz).
            log.warning("Metrics: the outbox could not be read: %s", error)
            db.session.rollback()
            return
        family = GaugeMetricFamily(
            "forum_outbox_messages",
            "Outbox messages by status, read at scrape time.",
            labels=["status"],
        )
        for status, count in summary.items():
            family.add_metric([status.value], count)
        yield family
