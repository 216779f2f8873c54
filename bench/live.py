"""The benchmark of a live forum: the pages as readers meet them once the forum runs.

The first server of a run (bench/run.py) serves every page from a warm page cache
with rate limits off. Readers of a live forum meet three other things, each loaded
here on a server of its own over the same database, and each row given as a share
of the run's reference bare route (the first server's):

- **the page cache off** (PAGE_CACHE_SECONDS=0): what every reader gets after a
  write has emptied the cache; otherwise as deployed;
- **as deployed**: rate limits on (counted in each worker's memory, or in Redis when
  REDIS_URL is set), visits counted, the page cache on;
- **a mixed load**, on the deployed server: readers over every main page while a
  writer (bench/writer.py) posts answers and comments about once a second through
  the real forms, each write emptying the cached pages.

Question pages are read in turn over a sample of public questions, not one, so a
row reads many rows of the database, as readers do.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, func, select

from bench import load, server
from bench.browser import Browser
from bench.figures import (
    LiveFigures,
    MixedFigures,
    PageFigures,
    QuestionSample,
    ServerRows,
)
from bench.writer import MARKER, Writer
from forum.extensions import db
from forum.models import Answer, Comment, Question, Role, User, Visibility

# What every reader of a deployed forum goes through. VISIT_COUNTING is the production
# default; it is said here so a change of the default does not change what is measured.
DEPLOYED = {"RATELIMIT_ENABLED": "true", "VISIT_COUNTING": "true"}
UNCACHED = {**DEPLOYED, "PAGE_CACHE_SECONDS": "0"}
# Groups of rows --rows chooses from (bench/run.py adds its own).
GROUPS = ("uncached", "deployed", "mixed")
QUESTION_SAMPLE = 200
WRITERS = 4  # experts taking turns: at one write a second, 15 a minute each
WRITE_INTERVAL_SECONDS = 1.0
WARM_UP_SECONDS = 2
WARM_UP_LIMIT_SECONDS = 30  # a warm-up over every path stops sooner, once done


def question_sample(first_path: str, count: int) -> QuestionSample:
    """``first_path``, then the ``count`` most answered public questions open to replies
    (inside an app context): the pages richest in texts, which a visitor and a member
    both may open."""
    rows = db.session.execute(
        select(Question.id, Question.answer_count)
        .where(
            Question.visibility == Visibility.PUBLIC,
            # Open to replies, so every write of the mixed load is one the forum takes.
            Question.locked_at.is_(None),
            Question.moderation_state.is_(None),
            Question.removed_at.is_(None),
        )
        .order_by(Question.answer_count.desc(), Question.id)
        .limit(count)
    ).all()
    paths = [first_path] + [
        f"/questions/{row.id}" for row in rows if f"/questions/{row.id}" != first_path
    ]
    counts = [row.answer_count for row in rows] or [0]
    return QuestionSample(paths, min(counts), max(counts))


def writer_accounts(count: int, password: str) -> list[tuple[str, str]]:
    """The bench's experts who write in the mixed load (inside an app context). Experts,
    because only they answer, and a young member's account has a daily budget."""
    emails = db.session.scalars(
        select(User.email)
        .where(User.role == Role.EXPERT, User.active, User.email.like("bench%@bench.example"))
        .order_by(User.id)
        .limit(count)
    ).all()
    return [(email, password) for email in emails]


def rate_limit_storage() -> str:
    """Where the deployed servers count rate limits, as the results say it."""
    if os.environ.get("REDIS_URL"):
        return "in Redis at REDIS_URL, shared by the workers"
    return "in each worker's memory: no REDIS_URL, as with one server"


def pages(sample: QuestionSample) -> dict[str, list[str]]:
    return {
        "home": ["/"],
        "question list": ["/questions"],
        f"a question, {len(sample.paths):,} in turn": sample.paths,
        "FAQ": ["/faq"],
        "guide": ["/guide"],
    }


def mixed_paths(sample: QuestionSample) -> list[str]:
    """Half question pages, each a different one, half the other main pages in turn."""
    others = ["/", "/questions", "/faq", "/guide"]
    return [path for n, question in enumerate(sample.paths) for path in (question, others[n % 4])]


def measure(
    database_url: str,
    *,
    groups: set[str],
    sample: QuestionSample,
    member: tuple[str, str],
    writers: list[tuple[str, str]],
    seconds: int,
    log_dir: Path,
) -> LiveFigures:
    """Load the live rows ``groups`` names, each server started and stopped in turn."""
    figures = LiveFigures(rate_limit_storage=rate_limit_storage(), questions=sample)
    read = pages(sample)
    if "uncached" in groups:
        print(f"   page cache off: {seconds} s a row")
        with server.gunicorn(
            database_url, log_path=log_dir / "gunicorn-uncached.log", settings=UNCACHED
        ) as (base_url, _pid):
            figures.uncached = _server_rows(
                base_url, read, signed_in(base_url, member), seconds, cached=False
            )
    if groups & {"deployed", "mixed"}:
        with server.gunicorn(
            database_url, log_path=log_dir / "gunicorn-deployed.log", settings=DEPLOYED
        ) as (base_url, pid):
            reader = signed_in(base_url, member)
            cookie = reader.cookie_header
            if "deployed" in groups:
                print(f"   as deployed: {seconds} s a row")
                figures.deployed = _server_rows(base_url, read, reader, seconds, cached=True)
            else:
                check_pages(base_url, reader, [mixed_paths(sample)])
                _warm_up(base_url, mixed_paths(sample), cookie, every_path=True)
            if "mixed" in groups:
                print(f"   mixed load: {seconds} s a row, a write every {WRITE_INTERVAL_SECONDS} s")
                figures.mixed = _mixed(base_url, database_url, sample, cookie, writers, seconds)
            figures.worker_memory_mb = server.worker_memory_mb(pid)
    return figures


def signed_in(base_url: str, member: tuple[str, str]) -> Browser:
    browser = Browser(base_url)
    browser.log_in(*member)
    return browser


def check_pages(base_url: str, member: Browser, path_sets: list[list[str]]) -> None:
    """Each row's first pages answer 200 to a visitor and to the member, or RuntimeError.

    wrk counts a redirect as a page served: a member sent to the privacy notice, or a
    page moved, would otherwise be measured as a fast page."""
    visitor = Browser(base_url)
    for paths in path_sets:
        for path in paths[:3]:
            visitor.read(path)
            member.read(path)


def _warm_up(base_url: str, paths: list[str], cookie: str, *, every_path: bool) -> None:
    """Ask the paths logged out and in before they are measured.

    A worker's first rendering of a page at scale costs far more than the next ones
    (its statements, Markdown, templates). ``every_path`` goes over all the paths
    several times (each of the two workers then most likely kept each page, for
    visitors and for the member), just before the row, well within the cache's 60 s;
    otherwise a few seconds of load warm what the workers share between pages.
    """
    for reader in (None, cookie):
        if every_path:
            load.warm(base_url, paths, passes=8, limit_seconds=WARM_UP_LIMIT_SECONDS, cookie=reader)
        else:
            load.run(base_url, paths, seconds=WARM_UP_SECONDS, cookie=reader)


def _server_rows(
    base_url: str, read: dict[str, list[str]], member: Browser, seconds: int, *, cached: bool
) -> ServerRows:
    check_pages(base_url, member, list(read.values()))
    cookie = member.cookie_header
    _warm_up(base_url, ["/_bench/bare"], cookie, every_path=False)
    rows = ServerRows(bare=load.run(base_url, ["/_bench/bare"], seconds=seconds))
    for name, paths in read.items():
        _warm_up(base_url, paths, cookie, every_path=cached)
        rows.pages.append(
            PageFigures(
                name=name,
                logged_out=load.run(base_url, paths, seconds=seconds),
                logged_in=load.run(base_url, paths, seconds=seconds, cookie=cookie),
            )
        )
    return rows


def _mixed(
    base_url: str,
    database_url: str,
    sample: QuestionSample,
    cookie: str,
    writers: list[tuple[str, str]],
    seconds: int,
) -> MixedFigures:
    paths = mixed_paths(sample)
    writer = Writer(base_url, writers, sample.paths, interval_seconds=WRITE_INTERVAL_SECONDS)
    before = _written_texts(database_url)
    writer.start()
    try:
        readers = PageFigures(
            name=f"readers: home, list, FAQ, guide and {len(sample.paths):,} questions in turn",
            logged_out=load.run(base_url, paths, seconds=seconds),
            logged_in=load.run(base_url, paths, seconds=seconds, cookie=cookie),
        )
    finally:
        writes = writer.stop()
    writes.found_in_database = _written_texts(database_url) - before
    return MixedFigures(readers=readers, writes=writes)


def _written_texts(database_url: str) -> int:
    """The writer's answers and comments in the database: each a write it was told done."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            answers = connection.scalar(
                select(func.count()).select_from(Answer).where(Answer.body.like(f"{MARKER} %"))
            )
            comments = connection.scalar(
                select(func.count()).select_from(Comment).where(Comment.body.like(f"{MARKER} %"))
            )
    finally:
        engine.dispose()
    return answers + comments
