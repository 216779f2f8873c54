"""Whole rendered pages, cached per worker, per reader, per generation of what they show.

A read page costs a few milliseconds of queries and template rendering; a
cached one costs one primary-key query. The key says everything the page
depends on:

- the path and query string, and the language it is rendered in;
- the reader: "anonymous", or the signed-in user's id and session token as the
  signed session cookie carries them, and the raw CSRF token of the session
  (pages carry forms whose tokens belong to it), so one reader's page is never
  served to another, and confidential questions stay with those who may open them;
- the content generation (forum/models/generation.py), bumped by every commit
  that changes a shown table no content area claims, so no page outlives a change,
  in any worker;
- the generations of the content areas the page declares it reads
  (``cached_page(areas=("faq",))``, forum/models/content_areas.py; a page that
  declares none reads every area): an answer moves "questions", so the FAQ and the
  guide stay cached. A signed-in reader's page also reads "question_headers" (the
  header counts their unread news about questions they may still see);
- for a page of one thread (``cached_page(thread="question_id")``: a question's
  page), that question's thread generation, read in the same query, in place of the
  "questions" area: an answer on one question retires its page and the lists, and the
  other questions' pages stay. Such a page also reads the "threads" area, moved by a
  write in a thread that could not be told (forum/models/content_areas.py);
- for a signed-in reader, their own page generation too, bumped by a commit that
  changes only what they alone see (their notifications read, their e-mail
  settings): their pages are retired, everyone else's stay. A visitor's page and
  a document depend on the content generation alone.

A signed-in reader's page is found without loading their account: every change
to an account (role, password, deactivation, language) is a change of the user
table, which moves the content generation, so an entry kept under "user 7, token T" at the
current generation was rendered for the account exactly as it still is. The
account is loaded (by Flask-Login, as on any page) only to render a page. A
session Flask-Login would act on first (a "remember me" cookie to turn into a
session, or a session used from another browser) is never served from the cache.

Entries also expire after PAGE_CACHE_SECONDS, for the text that moves with
the clock ("3 hours ago", review-due dates). Only a plain 200 HTML response is
kept, and never one that flashed a message, changed the session or set a
cookie. PAGE_CACHE_SECONDS = 0 turns the cache off.

Each page is also kept gzip-compressed, made once when it is stored, for the
readers whose browsers accept it (all do): the FAQ at a thousand entries is a
megabyte of HTML, a tenth of that compressed, and compressing it on every
request would cost more than serving it.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import partial, wraps

from flask import Response, current_app, request, session
from flask_babel import get_locale

from forum import metrics
from forum.extensions import login_manager
from forum.models.content_areas import ALL_AREAS, AREAS, QUESTION_HEADERS, THREADS
from forum.models.generation import page_generations


@dataclass(frozen=True)
class _Entry:
    body: bytes
    gzipped: bytes
    content_type: str
    expires_at: float

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped)


class PageCache:
    """A thread-safe LRU of rendered pages, bounded in bytes.

    Emptied when the content generation moves; when an area's generation moves, the
    entries kept under its older number are dropped, and every other entry stays.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._areas_of: dict[tuple, dict[str, int]] = {}  # each entry's areas' generations
        self._bytes = 0
        self._generation: int | None = None
        self._area_generations: dict[str, int] = {}  # the newest seen of each area
        self._lock = threading.Lock()

    def get(
        self, key: tuple, generation: int, areas: dict[str, int] | None = None
    ) -> _Entry | None:
        with self._lock:
            self._follow(generation, areas or {})
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires_at < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(
        self, key: tuple, generation: int, entry: _Entry, areas: dict[str, int] | None = None
    ) -> None:
        areas = areas or {}
        with self._lock:
            self._follow(generation, areas)
            if generation != self._generation or entry.size > self.max_bytes:
                return  # rendered before a newer change another request has seen, or huge
            if any(value < self._area_generations.get(area, 0) for area, value in areas.items()):
                return  # rendered before a newer change in one of its areas
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._areas_of[key] = areas
            self._bytes += entry.size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_in_bytes(self) -> int:
        return self._bytes

    def _drop(self, key: tuple) -> None:
        self._bytes -= self._entries.pop(key).size
        del self._areas_of[key]

    def _follow(self, generation: int, areas: dict[str, int]) -> None:
        if self._generation is None or generation > self._generation:
            self._entries.clear()
            self._areas_of.clear()
            self._bytes = 0
            self._generation = generation
            self._area_generations = {}
        moved = {
            area: value
            for area, value in areas.items()
            if value > self._area_generations.get(area, 0)
        }
        if not moved:
            return
        self._area_generations.update(moved)
        # One pass over the entries per area change seen by this worker: a write costs
        # each worker that much once, and the stale pages stop taking the cache's room.
        stale = [
            key
            for key, kept in self._areas_of.items()
            if any(kept.get(area, value) < value for area, value in moved.items())
        ]
        for key in stale:
            self._drop(key)


def init_page_cache(app) -> None:
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_MEGABYTES"] * 1024 * 1024)


def _declared(areas: tuple[str, ...] | None) -> tuple[str, ...]:
    if areas is None:
        return ALL_AREAS  # a page that declares nothing depends on everything
    unknown = set(areas) - set(AREAS)
    if unknown:
        raise ValueError(f"no such content area: {sorted(unknown)}")
    return tuple(sorted(set(areas)))


def cached_page(view=None, *, areas: tuple[str, ...] | None = None, thread: str | None = None):
    """Serve the view's page from the cache when this reader saw it at these generations.

    ``areas``: the content areas (forum/models/content_areas.py) whose tables the page
    reads, besides the tables no area claims; None, every area.
    tests/web/test_page_areas.py fails for a page that reads outside its areas.

    ``thread``: the view's argument naming the one question whose thread the page shows
    (and no other thread's rows: not a list, not another question's title); the page is
    then kept under that thread's generation and the "threads" area, and ``areas`` must
    not name "questions".
    """
    if view is None:
        return partial(cached_page, areas=areas, thread=thread)
    page_areas = _declared(areas)
    if thread is not None:
        if "questions" in page_areas:
            raise ValueError("a page of one thread is kept under its thread, not 'questions'")
        page_areas = tuple(sorted({*page_areas, THREADS}))
    reader_areas = tuple(sorted({*page_areas, QUESTION_HEADERS}))

    @wraps(view)
    def serve(*args, **kwargs):
        seconds = current_app.config["PAGE_CACHE_SECONDS"]
        if not seconds or request.method != "GET":
            return view(*args, **kwargs)
        # Read first, so a page costs the same queries whether or not it may be kept.
        user_id = _signed_in_user_id()
        generations = page_generations(user_id, kwargs[thread] if thread else None)
        if generations is None or "_flashes" in session:
            return view(*args, **kwargs)
        reader = _reader_key()
        if reader is None:
            return view(*args, **kwargs)
        cache: PageCache = current_app.extensions["page_cache"]
        # The header of a signed-in reader's page counts their news about questions.
        shown = page_areas if user_id is None else reader_areas
        areas_now = dict(zip(shown, generations.of(shown), strict=True))
        # Under the reader's own generation: once it moves, their older pages are
        # never looked up again (they age out of the LRU), and no one else's go.
        # A thread's generation is in the key alone: a page kept under an older one is
        # never looked up again and ages out of the LRU (a per-thread entry among the
        # areas would keep one number per question ever read in each worker).
        key = (
            request.full_path,
            reader,
            generations.own,
            generations.thread,
            *areas_now.values(),
        )
        entry = cache.get(key, generations.content, areas_now)
        if entry is not None:
            metrics.page_cache_hits.inc()
            return _page_from(entry)
        metrics.page_cache_misses.inc()

        response = current_app.make_response(view(*args, **kwargs))
        if not _keepable(response):
            return response
        entry = _entry_of(response, seconds)
        cache.put(key, generations.content, entry, areas_now)
        return _page_from(entry)

    serve.page_areas = page_areas
    serve.page_thread = thread
    return serve


def cached_document(view=None, *, areas: tuple[str, ...] | None = None):
    """Serve a public document (a feed, the sitemap) kept once for every reader.

    Such a view builds what a visitor sees whoever asks, so the key is the path, the
    query string, the language and the generations of ``areas`` (as ``cached_page``'s)
    alone, and the document keeps its own content type. It carries a weak ETag of its
    text: a feed reader polling it gets a 304 while nothing changed, with or without
    the server's cache.
    """
    if view is None:
        return partial(cached_document, areas=areas)
    page_areas = _declared(areas)

    @wraps(view)
    def serve(*args, **kwargs):
        seconds = current_app.config["PAGE_CACHE_SECONDS"]
        generations = page_generations(None)
        cache: PageCache = current_app.extensions["page_cache"]
        keeping = bool(seconds) and generations is not None
        entry = None
        if keeping:
            areas_now = dict(zip(page_areas, generations.of(page_areas), strict=True))
            key = ("document", request.full_path, str(get_locale()), *areas_now.values())
            entry = cache.get(key, generations.content, areas_now)
            (metrics.page_cache_misses if entry is None else metrics.page_cache_hits).inc()
        if entry is None:
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.direct_passthrough:
                return response
            entry = _entry_of(response, seconds)
            if keeping:
                cache.put(key, generations.content, entry, areas_now)
        response = _page_from(entry)
        response.vary.add("Accept-Language")  # without ?lang=, the reader's language
        # The ETag names the text, not its encoding: weak, as RFC 9110 asks of that.
        response.set_etag(hashlib.sha256(entry.body).hexdigest()[:32], weak=True)
        return response.make_conditional(request)

    serve.page_areas = page_areas
    return serve


def _entry_of(response: Response, seconds: float) -> _Entry:
    """A rendered response as kept: its body plain and gzip-compressed, for ``seconds``."""
    body = response.get_data()
    return _Entry(
        body,
        gzip.compress(body, compresslevel=6),
        response.content_type,
        time.monotonic() + seconds,
    )


def _page_from(entry: _Entry) -> Response:
    """The kept page, compressed for a browser that accepts gzip."""
    if request.accept_encodings["gzip"]:
        response = Response(entry.gzipped, status=200, content_type=entry.content_type)
        response.content_encoding = "gzip"
    else:
        response = Response(entry.body, status=200, content_type=entry.content_type)
    response.vary.add("Accept-Encoding")
    return response


def _reader_key() -> tuple | None:
    """Who the page is for, and in which language, read from the request alone; None
    when only Flask-Login can tell (it may sign the reader in or out first)."""
    csrf_raw = session.get("csrf_token", "")
    signed_in_as = session.get("_user_id")  # "<id>:<session token>", see load_user_for_session
    if signed_in_as is None:
        if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
            return None
        return ("anonymous", csrf_raw, str(get_locale()))
    if _session_protection_applies() or _signed_in_user_id() is None:
        return None
    # The language follows the account, then these two (forum._select_locale); the
    # account is as it was when the entry was kept, so these complete the choice.
    return (
        "user",
        signed_in_as,
        csrf_raw,
        session.get("locale"),
        request.headers.get("Accept-Language", ""),
    )


def _signed_in_user_id() -> int | None:
    """The signed-in reader's id as the session names it; None for a visitor (or
    an id that is not one, which only Flask-Login can then judge)."""
    signed_in_as = session.get("_user_id")
    if signed_in_as is None:
        return None
    user_id = str(signed_in_as).partition(":")[0]
    return int(user_id) if user_id.isdigit() else None


def _session_protection_applies() -> bool:
    """Whether Flask-Login would mark this session (or, "strong", end it) as used
    from another browser: its own test, on the session's identifier."""
    mode = current_app.config.get("SESSION_PROTECTION", login_manager.session_protection)
    return (
        mode in ("basic", "strong")
        and session.get("_id") != login_manager._session_identifier_generator()
    )


def _keepable(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and not session.modified
    )
