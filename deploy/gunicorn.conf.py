"""gunicorn's settings for the forum: `gunicorn -c deploy/gunicorn.conf.py` (the systemd
unit and the cluster test start it so). Each setting says why; the environment
chooses what differs between servers (GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_THREADS,
LOG_FORMAT, LOG_LEVEL, PROMETHEUS_MULTIPROC_DIR).

gunicorn's master runs this file, and must not import the ``forum`` package: its
``__init__`` imports the whole app, and workers forked from a master holding it would
run that code forever, even after `systemctl reload` (SIGHUP) meant to start them on
a new release. The one module it needs, forum/app_logging.py (which imports nothing
of forum), is loaded from its file under another name (``_forum_module``).
"""

import importlib.util
import os
import shutil
from pathlib import Path

from prometheus_client import multiprocess


def _forum_module(name: str):
    """forum/<name>.py run on its own, without the package's ``__init__``."""
    package = importlib.util.find_spec("forum")  # finds the package without importing it
    path = Path(package.submodule_search_locations[0]) / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"gunicorn_master_forum_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


app_logging = _forum_module("app_logging")

# The app factory, so the command line needs no argument.
wsgi_app = "forum:create_app()"

# Loopback by default: nginx in front terminates TLS and serves the static files; a
# server reached by a balancer on another host sets e.g. GUNICORN_BIND=10.0.0.5:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")


def _default_workers() -> int:
    # gunicorn's rule of thumb (2 x cores + 1), capped: each worker holds its own page
    # cache (PAGE_CACHE_MEGABYTES, ~150 MB a worker in all) and its own database pool,
    # and past 8 a server gains little but connections (docs/operations.md: PgBouncer).
    return min(2 * (os.cpu_count() or 1) + 1, 8)


workers = int(os.environ.get("WEB_CONCURRENCY") or _default_workers())

# Threads: a request waiting on the database or on a slow client does not hold up the
# worker's other requests; the app is thread-safe (the page cache and the visit counter
# take locks; tests/load/test_load.py runs it so). Two keeps each worker's database
# connections within its pool.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 2)

# A search of a few thousand characters travels in the address (docs/operations.md, Logs).
limit_request_line = 8190

# A request still running after 30 s is stuck (the slowest pages take well under a
# second): the worker is replaced, and gunicorn's error log says so.
timeout = 30
# On SIGTERM (systemctl stop) and SIGHUP (systemctl reload), requests in progress get
# this long to finish; the systemd unit's TimeoutStopSec must exceed it.
graceful_timeout = 30
# nginx opens its connections per request unless told otherwise; a few seconds serves
# a balancer that reuses them, without holding threads for idle clients.
keepalive = 5

# Not preloaded: each worker imports and builds the app itself. gc.freeze() runs at the
# end of create_app in each worker (forum/__init__.py), so copy-on-write sharing would
# add little; and without preloading, `systemctl reload` (SIGHUP) starts workers on the
# newly installed code, gracefully, while a preloaded master would keep the old code
# until a full restart (hence also the module docstring). No database connection, no
# visit-flushing thread, is ever made before a fork either.
preload_app = False

# Workers' heartbeat files in memory: a busy or slow disk cannot make a healthy worker
# look stuck (gunicorn's own advice for containers and VMs).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Proxy headers are the app's business: ProxyFix, configured by TRUSTED_PROXIES, decides
# which X-Forwarded-For/-Proto hops to believe (rate limits and /metrics key on the
# address it gives). gunicorn trusting them as well, from its own list, would be a second
# rule that could disagree, so it trusts none.
forwarded_allow_ips = ""
secure_scheme_headers = {}

# The error log through the forum's format (text or JSON, as LOG_FORMAT says), on stderr
# for the journal. No access log from gunicorn: the app writes one line per request on
# forum.access, with the request id in the same field as its other lines
# (forum/web/infra/finished_requests.py); gunicorn's would duplicate each request.
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
accesslog = None
logconfig_dict = app_logging.gunicorn_logconfig(os.environ)

# The control socket (gunicorn >= 25.1) defaults to one path per user: two servers on
# one machine (the cluster test, a blue/green switch) would fight over it; systemd
# manages the process instead.
control_socket_disable = True


def on_starting(server):
    """Prometheus multiprocess mode (forum/metrics.py): the folder starts empty, else a
    previous run's values would be added to this run's (worker pids come again). Its
    contents, not the folder: it may be systemd's RuntimeDirectory, which the service's
    user may fill but not recreate."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    for entry in path.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def child_exit(server, worker):
    """A worker that exited (stopped, timed out, recycled): its live gauges no longer
    count; its counters' totals stay in the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
