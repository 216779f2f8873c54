"""The process's Prometheus metrics: the objects the code counts with, and their exposition.

A support module, below both layers: the web layer counts requests and page-cache
lookups, the services count outbox failures and visit flushes, each by importing
the metric it moves from here (nothing here imports either layer).

Several gunicorn workers: with PROMETHEUS_MULTIPROC_DIR set (before the process
imports prometheus_client, as gunicorn's environment is), each worker writes its
values to files in that folder, and a scrape, whichever worker answers it, sums the
files of every worker (``MultiProcessCollector``). The folder is emptied when
gunicorn starts, and a dead worker's live values are dropped (deploy/gunicorn.conf.py's
``on_starting`` and ``child_exit``); its counters stay counted. Without it (``flask run``, the tests), the values are this process's.

What is read from the database at scrape time (the outbox's messages by status) is
not a metric object here but a collector the scrape adds (forum/web/metrics/).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.registry import Collector

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# A page is budgeted in milliseconds; the upper buckets catch exports and stalls.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# The ``*_created`` series (each series' creation time) say nothing an alert needs, and
# the multiprocess mode has none: both modes show the same series without them.
disable_created_metrics()

# The objects live in their own registry, not prometheus_client's global one: exposed
# as this process's values only when there is no multiprocess folder (see ``exposition``).
REGISTRY = CollectorRegistry(auto_describe=True)

requests_total = Counter(
    "forum_http_requests",
    "Requests answered, by Flask endpoint (none: no route matched) and status code.",
    ["endpoint", "status"],
    registry=REGISTRY,
)
request_duration = Histogram(
    "forum_http_request_duration_seconds",
    "Time from the request's first hook to its response, by Flask endpoint.",
    ["endpoint"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
page_cache_hits = Counter(
    "forum_page_cache_hits", "Pages served from the page cache.", registry=REGISTRY
)
page_cache_misses = Counter(
    "forum_page_cache_misses",
    "Cacheable page requests the page cache did not have, so rendered.",
    registry=REGISTRY,
)
outbox_delivery_failures = Counter(
    "forum_outbox_delivery_failures",
    "Failed delivery attempts of outbox messages (each retry counts).",
    registry=REGISTRY,
)
visit_flushes = Counter(
    "forum_visit_flushes", "Flushes of the counted page views to the database.", registry=REGISTRY
)
visits_written = Counter(
    "forum_visits_written", "Page views written to the database by flushes.", registry=REGISTRY
)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROCESS_DIR_VARIABLE) or None


def exposition(extra_collectors: Iterable[Collector] = ()) -> bytes:
    """The metrics in Prometheus's text format: every worker's when a multiprocess
    folder is set, else this process's, then what ``extra_collectors`` read now."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    for collector in extra_collectors:
        registry.register(collector)
    return generate_latest(registry)


class _ThisProcess(Collector):
    """This process's metric objects, as one collector of a scrape's registry."""

    def collect(self):
        return REGISTRY.collect()
