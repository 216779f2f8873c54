"""Counting page views and unique visitors per day and section, privately and in batches.

What is kept: for each day and section, the number of page views and of unique
visitors (``VisitDay``), and the same for the whole site under the pseudo-section
``SITE``: every counted page view is also counted there, and its visitors are
deduplicated across sections, so someone who reads three sections in a day is one
unique visitor of the site that day, not three. No cookie is set for counting, no
IP address or user agent is stored, and no third party sees the request.

How a visitor is recognised within a day: the request path (the web hook,
``forum/web/infra/visits.py``) hands over the IP address and the user agent; the
counter keeps the address and the user agent's bucket (``AGENT_BUCKETS``: rotating
agents cannot multiply a visitor), never the agent, in memory only, and only until
the next flush (or the next ``MAX_PENDING_VIEWS`` views, whichever comes first),
which replaces them with ``sha256(address, bucket)``; the flush stores
``sha256(day's salt + that digest)`` as a ``VisitorMark``. The salt is random, one
per day, shared by all workers through ``VisitSalt``, and deleted with the day's
marks once the day is over, so yesterday's hashes can no longer be linked to
anyone, not even by trying every IP address. Nothing unhashed reaches the database.

Why in memory, then in batches: a write per page view would serialise every
request on SQLite and load PostgreSQL for nothing. ``VisitCounter.record`` only
appends one tuple to a queue (thread-safe without a lock, and no hashing: two
SHA-256, a time-zone lookup and a lock per view were a few per cent of a page
served from the page cache); the flushing thread folds the queue into the day's
counts and digests. No database access on the request's path at all (the
salt is needed only when flushing). Each worker process has one counter
(``app.extensions["visit_counter"]``) whose daemon thread flushes every
``VISIT_FLUSH_SECONDS``, and once more at exit.

Unique visitors are exact for a day across workers: each flush inserts its
marks (duplicates ignored) and recounts the day's marks. The one approximation:
a worker whose buffer still holds the last visits of a day that another worker
has already forgotten (just after midnight) adds those visitors without
deduplication, which is at most one flush interval's worth.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import re
import secrets
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum import metrics
from forum.extensions import db
from forum.models import VisitDay, VisitorMark, VisitSalt

log = logging.getLogger(__name__)

# The sections the figures are kept for, in the order reports list them.
SECTIONS = ("home", "questions", "faq", "guide", "clinics", "experts", "board", "search", "other")
# The whole site's row of each day, beside the sections' (never one of SECTIONS, and no
# page path maps to it): its unique visitors are deduplicated across sections, which a
# sum of the sections' figures cannot be.
SITE = "site"
# The first path segment of a counted page, to its section; anything else is "other".
_SECTION_OF_SEGMENT = {
    "": "home",
    "questions": "questions",
    "faq": "faq",
    "guide": "guide",
    "citations": "guide",  # the clause index is a way into the guide and answers
    "clinics": "clinics",
    "experts": "experts",
    "board": "board",
    "search": "search",
}
# Pages that are not visits to the forum's content: administration, assets, machines.
_NOT_COUNTED = frozenset({"admin", "static", "api", "health", "review"})

# User agents that are not people: search engines and crawlers, HTTP libraries and
# command-line tools, link previews, uptime monitors and headless browsers.
# "headless" also excludes the project's own Playwright browser tests
# (HeadlessChrome): they are not visitors and must not inflate the figures.
BOT_USER_AGENT = re.compile(
    r"bot\b|crawl|spider|slurp|archiver|scrapy|curl|wget|httpie|python-requests"
    r"|python-urllib|python-httpx|aiohttp|go-http-client|java/|okhttp|libwww|node-fetch"
    r"|axios|headless|phantomjs|puppeteer|playwright|selenium|lighthouse|pagespeed"
    r"|uptime|monitor|pingdom|statuscake|site24x7|check_http|nagios|zabbix"
    r"|facebookexternalhit|whatsapp|embedly|preview|feedfetcher|validator",
    re.IGNORECASE,
)

# Distinct visitors a counter keeps between flushes; past it (only if flushes keep
# failing) views are still counted but new visitors are not, so memory stays bounded.
MAX_BUFFERED_VISITORS = 200_000
# Views recorded and not yet folded into the counts: past it, the recording request
# folds them itself (a few milliseconds, once in that many views), so the queue, and
# how many addresses it holds unhashed, stays bounded between flushes.
MAX_PENDING_VIEWS = 10_000
# User agents whose verdicts (bot or not, bucket) are remembered: the same few
# browsers ask for most pages; a client sending a new agent each time only churns it.
KNOWN_AGENTS = 4096
# Rows per multi-row INSERT, well under SQLite's limit on bound parameters.
INSERT_CHUNK = 500
# Bulk statements over rows the flushing session has not loaded: nothing to synchronise.
_BULK = {"synchronize_session": False}


def section_for_path(path: str) -> str | None:
    """The section a page path counts in, or None for paths that are never counted."""
    segment = path.lstrip("/").split("/", 1)[0].lower()
    if segment in _NOT_COUNTED:
        return None
    return _SECTION_OF_SEGMENT.get(segment, "other")


@lru_cache(maxsize=KNOWN_AGENTS)
def is_bot(user_agent: str | None) -> bool:
    """True for requests without a user agent or from a known non-human client."""
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


# At most this many visitors per address and day. The user agent tells apart people
# sharing an address (an office, a hospital behind one NAT), but anyone can send a new
# one with each request: keyed on the agent itself, 300 requests with rotating agents
# were 300 visitors. So agents fall into a few buckets by their hash, and the address
# with its bucket is the visitor: rotating agents count at most AGENT_BUCKETS, while
# two people behind one address still count two three times in four.
AGENT_BUCKETS = 4


@lru_cache(maxsize=KNOWN_AGENTS)
def agent_bucket(user_agent: str) -> int:
    """The bucket of ``AGENT_BUCKETS`` a user agent falls in, by its hash."""
    return hashlib.sha256(user_agent.encode()).digest()[0] % AGENT_BUCKETS


def visitor_digest(address: str, user_agent: str) -> bytes:
    """The unsalted digest a counter buffers; never stored (the flush salts it)."""
    return _digest(address, agent_bucket(user_agent))


def _digest(address: str, bucket: int) -> bytes:
    return hashlib.sha256(f"{address}\n{bucket}".encode()).digest()


def salted_hash(salt: str, digest: bytes) -> str:
    """What a ``VisitorMark`` stores: only linkable to a visitor while the salt exists."""
    return hashlib.sha256(salt.encode() + digest).hexdigest()


@dataclass(frozen=True)
class FlushReport:
    views: int
    visitors: int  # the site's visitors written, each once a day whatever they read
    salts_forgotten: int

    def summary(self) -> str:
        return (
            f"Wrote {self.views} page views by {self.visitors} visitors; "
            f"forgot the salts of {self.salts_forgotten} past days."
        )


class VisitCounter:
    """One per worker process: counts in memory, writes in batches.

    ``record`` is what a request calls (no database access); ``flush`` writes what
    was counted, from the background thread, the CLI or a test. ``zone`` decides
    where a day starts (the forum's time zone). With ``app`` and
    ``flush_seconds`` > 0, the first ``record`` starts a daemon thread that
    flushes every ``flush_seconds`` and registers a last flush at exit.
    """

    def __init__(self, zone: str = "UTC", *, app=None, flush_seconds: float = 0) -> None:
        self._zone = ZoneInfo(zone)
        self._app = app
        self._flush_seconds = flush_seconds
        self._lock = threading.Lock()
        # What requests append: (day, section, address, agent bucket), folded into the
        # two below by ``_fold_pending`` (deque appends need no lock).
        self._pending: deque[tuple[date, str, str, int]] = deque()
        # The current day and the instant it ends, so a view reads the clock only.
        self._day: date | None = None
        self._day_ends = 0.0
        self._checked_in_pid: int | None = None
        self._views: Counter[tuple[date, str]] = Counter()
        self._visitors: defaultdict[tuple[date, str], set[bytes]] = defaultdict(set)
        self._buffered_visitors = 0
        self._forgotten_before: date | None = None
        self._thread: threading.Thread | None = None
        self._thread_pid: int | None = None
        self._stop = threading.Event()

    def today(self) -> date:
        return datetime.now(self._zone).date()

    # --- the request's side -------------------------------------------------

    def record(self, section: str, address: str, user_agent: str, day: date | None = None) -> None:
        """Count one page view in ``section`` by this visitor; memory only.

        The whole site's figures (``SITE``) are derived from the sections' when
        flushing; raises ValueError if ``section`` is ``SITE`` itself.
        """
        if section == SITE:
            raise ValueError("page views are recorded in a section; the site's row is derived")
        pending = self._pending
        pending.append((day or self._current_day(), section, address, agent_bucket(user_agent)))
        if self._checked_in_pid != os.getpid():
            with self._lock:
                self._start_flushing_if_due()
        if len(pending) >= MAX_PENDING_VIEWS:
            with self._lock:
                self._fold_pending()

    def pending_views(self) -> int:
        """Page views counted and not yet written."""
        with self._lock:
            return sum(self._views.values()) + len(self._pending)

    def _current_day(self) -> date:
        """Today in the counter's zone, worked out again only once the day is over."""
        now = time.time()
        if now >= self._day_ends:
            moment = datetime.fromtimestamp(now, self._zone)
            self._day = moment.date()
            midnight = datetime.combine(self._day + timedelta(days=1), datetime.min.time())
            self._day_ends = midnight.replace(tzinfo=self._zone).timestamp()
        return self._day

    def _fold_pending(self) -> None:
        """Move the recorded views into the day's counts, each visitor as its digest
        (under the lock; requests may go on appending meanwhile)."""
        pending, digests = self._pending, {}
        for _ in range(len(pending)):  # only what is there now: appends go on
            day, section, address, bucket = pending.popleft()
            key = (day, section)
            self._views[key] += 1
            digest = digests.get((address, bucket))
            if digest is None:
                digest = digests[(address, bucket)] = _digest(address, bucket)
            seen = self._visitors[key]
            if digest not in seen and self._buffered_visitors < MAX_BUFFERED_VISITORS:
                seen.add(digest)
                self._buffered_visitors += 1

    # --- the writing side ---------------------------------------------------

    def flush(self, today: date | None = None) -> FlushReport:
        """Write the buffered counts in one transaction, then forget past days' salts.

        Needs an application context. On a database error the counts go back
        into the buffer for the next flush, and the error is raised.
        """
        today = today or self.today()
        with self._lock:
            self._fold_pending()
            views, visitors = self._views, self._visitors
            self._views, self._visitors = Counter(), defaultdict(set)
            self._buffered_visitors = 0
        marks = 0
        if views or visitors:
            try:
                marks = self._write(views, visitors, today)
            except Exception:
                db.session.rollback()
                self._put_back(views, visitors)
                raise
        metrics.visit_flushes.inc()
        metrics.visits_written.inc(sum(views.values()))
        forgotten = 0
        if self._forgotten_before != today:
            forgotten = forget_old_salts(today)
            self._forgotten_before = today
        return FlushReport(sum(views.values()), marks, forgotten)

    def _write(self, views: Counter, visitors: dict, today: date) -> int:
        """Write the sections' and the site's rows; the number of site-wide marks written
        (each visitor once per day, however many sections they read)."""
        views, visitors = _with_site_rows(views, visitors)
        keys = sorted(set(views) | {key for key, seen in visitors.items() if seen})
        days = sorted({day for day, _section in keys})
        salts = {day: self._salt_for(day, today) for day in days}  # None: already forgotten
        _add_views([(day, section, views.get((day, section), 0)) for day, section in keys])
        marks = 0
        for day, section in keys:
            seen = visitors.get((day, section)) or set()
            salt = salts[day]
            if salt is None:
                # The day's marks are gone: these visitors cannot be deduplicated any more.
                db.session.execute(
                    update(VisitDay)
                    .where(VisitDay.day == day, VisitDay.section == section)
                    .values(unique_visitors=VisitDay.unique_visitors + len(seen)),
                    execution_options=_BULK,
                )
                continue
            if seen:
                _insert_ignoring_duplicates(
                    VisitorMark,
                    [
                        {"day": day, "section": section, "visitor_hash": salted_hash(salt, digest)}
                        for digest in seen
                    ],
                )
                if section == SITE:
                    marks += len(seen)
            marked = (
                select(func.count())
                .select_from(VisitorMark)
                .where(VisitorMark.day == day, VisitorMark.section == section)
                .scalar_subquery()
            )
            db.session.execute(
                update(VisitDay)
                .where(VisitDay.day == day, VisitDay.section == section)
                .values(unique_visitors=marked),
                execution_options=_BULK,
            )
        db.session.commit()
        return marks

    def _salt_for(self, day: date, today: date) -> str | None:
        """The day's salt, created if the day is not over; None if it was already forgotten.

        Read from the database at each flush (one query a day touched), not kept
        in memory: a salt deleted by another worker means that day's marks are
        gone too, and the salt then lives in one place only.
        """
        stored = db.session.scalar(select(VisitSalt.salt).where(VisitSalt.day == day))
        if stored is not None or day < today:
            return stored
        # Another worker may insert the same day's salt at the same moment: the
        # first insert wins and everyone reads it back.
        _insert_ignoring_duplicates(VisitSalt, [{"day": day, "salt": secrets.token_hex(32)}])
        return db.session.scalar(select(VisitSalt.salt).where(VisitSalt.day == day))

    def _put_back(self, views: Counter, visitors: dict) -> None:
        with self._lock:
            self._views.update(views)
            for key, seen in visitors.items():
                self._visitors[key] |= seen
            self._buffered_visitors = sum(len(seen) for seen in self._visitors.values())

    # --- the background thread ------------------------------------------------

    def _start_flushing_if_due(self) -> None:
        """Start the flushing thread on the first visit of this process (under the lock).

        Lazily, and again after a fork: a thread started in a parent process
        (gunicorn's ``--preload``) does not exist in the worker.
        """
        self._checked_in_pid = os.getpid()
        if self._app is None or self._flush_seconds <= 0:
            return
        if self._thread is not None and self._thread_pid == os.getpid():
            return
        self._thread_pid = os.getpid()
        self._thread = threading.Thread(target=self._run, name="visit-counter", daemon=True)
        self._thread.start()
        atexit.register(self._flush_at_exit)

    def _run(self) -> None:
        while not self._stop.wait(self._flush_seconds):
            self._flush_logging_errors()

    def _flush_at_exit(self) -> None:
        self._stop.set()
        if self.pending_views():
            self._flush_logging_errors()

    def _flush_logging_errors(self) -> None:
        try:
            with self._app.app_context():
                self.flush()
        except Exception:  # the counts stay buffered for the next try
            log.exception("Writing the visit counts failed; will retry")


def _with_site_rows(views: Counter, visitors: dict) -> tuple[Counter, dict]:
    """The buffered counts plus each day's ``SITE`` row: the sum of its sections' views
    and the union of their visitors (the same digest in two sections is one visitor).

    New objects: the caller's stay as they were, to be put back if the flush fails.
    """
    views, site_visitors = Counter(views), defaultdict(set)
    for (day, _section), count in list(views.items()):
        views[(day, SITE)] += count
    for (day, _section), seen in visitors.items():
        site_visitors[(day, SITE)] |= seen
    return views, {**visitors, **site_visitors}


def _add_views(rows: list[tuple[date, str, int]]) -> None:
    """Add page views to each (day, section), creating missing rows: one upsert."""
    dialect = db.session.get_bind().dialect.name
    values = [
        {"day": day, "section": section, "views": count, "unique_visitors": 0}
        for day, section, count in rows
    ]
    if dialect in ("sqlite", "postgresql"):
        statement = _dialect_insert(dialect)(VisitDay).values(values)
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=[VisitDay.day, VisitDay.section],
                set_={"views": VisitDay.views + statement.excluded.views},
            )
        )
        return
    for value in values:  # other databases: read, then add (not used in production)
        row = db.session.get(VisitDay, (value["day"], value["section"]))
        if row is None:
            db.session.add(VisitDay(**value))
        else:
            row.views += value["views"]
    db.session.flush()


def _insert_ignoring_duplicates(model, rows: list[dict]) -> None:
    """INSERT rows, skipping those whose primary key exists (also if inserted concurrently)."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        for start in range(0, len(rows), INSERT_CHUNK):
            db.session.execute(
                _dialect_insert(dialect)(model)
                .values(rows[start : start + INSERT_CHUNK])
                .on_conflict_do_nothing()
            )
        return
    keys = [column.name for column in model.__table__.primary_key.columns]
    for row in rows:
        if db.session.get(model, tuple(row[key] for key in keys)) is None:
            db.session.execute(insert(model).values(row))


def _dialect_insert(dialect: str) -> Callable:
    """The INSERT with the database's own ON CONFLICT clause."""
    return postgresql_insert if dialect == "postgresql" else sqlite_insert


def forget_old_salts(today: date) -> int:
    """Delete the salts and visitor marks of every day before ``today``; commit.

    The day's aggregates stay in ``VisitDay``. Returns the number of salts deleted.
    """
    forgotten = db.session.execute(
        delete(VisitSalt).where(VisitSalt.day < today), execution_options=_BULK
    ).rowcount
    db.session.execute(delete(VisitorMark).where(VisitorMark.day < today), execution_options=_BULK)
    db.session.commit()
    return forgotten or 0
