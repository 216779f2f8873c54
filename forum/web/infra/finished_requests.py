"""Each finished request counted, timed and written down once: the Prometheus request
counter and latency histogram (forum/metrics.py), and one access line on ``forum.access``.

The access line is the app's, not gunicorn's: it is written in the request, so it
carries the request id in the same field as every other line of that request (JSON
or text), and it is the same under gunicorn, ``flask run`` and the tests. gunicorn's
access log stays off (deploy/gunicorn.conf.py), so each request is one line.

The label is the Flask endpoint ("none" when no route matched: a 404 or 405 names
no endpoint), never the path: the number of series stays that of the routes.
The scrape of /metrics is neither counted nor logged: it would count itself.

Every response passes here, a page served from the page cache included, so the hook
is kept cheap: the metric series of each (endpoint, status) looked up once per
process, the request read once, and the access line handed to the handlers as a
record made here, with its request id, rather than through ``Logger.info``, which
would walk the stack to name the calling line (a third of the line's cost) and
leave the id to be looked up again through the request context. The line is made
only when ``forum.access`` is enabled for INFO.
"""

from __future__ import annotations

import logging
import time
from functools import cache

from flask import Flask, request

from forum import metrics
from forum.web.infra.request_ids import current_request_id

access_log = logging.getLogger("forum.access")
NO_ENDPOINT = "none"
NOT_RECORDED = frozenset({"metrics.scrape"})
# In the request's environ rather than ``g``, which a test's app context keeps across requests.
STARTED_KEY = "forum.request_started"
# A path longer than this is cut in the access line: a hostile 8 KB address would otherwise
# be copied into the log on every request.
LOGGED_PATH_CHARACTERS = 300
# Control characters (a decoded %0A, %00...) written as escapes, so a request cannot add a
# forged line to a text log.
_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)}


def register(app: Flask) -> None:
    """Installed right after the request id (``register_web``): the clock starts before
    the other hooks, and the after-request hook, registered early, runs late."""
    app.before_request(_start_clock)
    app.after_request(_record)


def _start_clock() -> None:
    request.environ[STARTED_KEY] = time.perf_counter()


def _record(response):
    endpoint = request.endpoint or NO_ENDPOINT
    if endpoint in NOT_RECORDED:
        return response
    environ = request.environ
    status = response.status_code
    _requests_counted(endpoint, status).inc()
    started = environ.get(STARTED_KEY)
    seconds = None  # a response made before the first hook: counted, not timed
    if started is not None:
        seconds = time.perf_counter() - started
        _durations_observed(endpoint).observe(seconds)
    if access_log.isEnabledFor(logging.INFO):
        _write_access_line(environ, status, seconds)
    return response


@cache
def _requests_counted(endpoint: str, status: int):
    """The request counter's series for this endpoint and status (bounded: the routes
    times the statuses they answer)."""
    return metrics.requests_total.labels(endpoint, str(status))


@cache
def _durations_observed(endpoint: str):
    return metrics.request_duration.labels(endpoint)


def _write_access_line(environ, status: int, seconds: float | None) -> None:
    """The access line, as ``access_log.info`` would write it (same logger, level,
    message and arguments), with the request id already on the record."""
    duration = "-" if seconds is None else f"{seconds * 1000:.1f}"
    record = access_log.makeRecord(
        access_log.name,
        logging.INFO,
        __file__,
        0,
        "%s %s %d %s ms",
        (environ["REQUEST_METHOD"], _loggable(request.path), status, duration),
        None,
        func="_record",
        extra={"request_id": current_request_id()},
    )
    access_log.handle(record)


def _loggable(path: str) -> str:
    """The path as the access line shows it: control characters escaped, at most
    LOGGED_PATH_CHARACTERS of it."""
    if len(path) > LOGGED_PATH_CHARACTERS:
        path = path[:LOGGED_PATH_CHARACTERS] + "..."
    return path.translate(_CONTROL)
