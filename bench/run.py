"""`make bench`: build the database at scale on each backend, load the pages, write the table.

    python -m bench [--scale 1.0] [--databases sqlite,postgresql] [--seconds 10]
                    [--live-seconds 8] [--rows cached,search,uncached,deployed,mixed]

Each backend gets a fresh database (bench/.data/forum-bench.sqlite3, and the
PostgreSQL database named in --postgres-url, dropped and created again), built
by the migrations and bench/dataset.py. The app then runs under gunicorn with a
fixed configuration (bench/server.py) and wrk loads each page for the same time,
logged out and logged in, next to a bare route in the same server; the ratio of
a page's throughput to the bare route's is the figure the targets are set on.
Then the live forum's rows (bench/live.py): the page cache off, as deployed, and
readers under a writer, each on a server of its own over the same database.
bench/report.py writes the tables.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from bench import dataset, live, load, report, server
from bench.figures import BackendFigures, PageFigures
from forum import create_app
from forum.demo.search_queries import RELEVANCE_SET
from forum.extensions import db
from forum.models import GuideSection, Role, User
from forum.services.guide import editing, publishing
from forum.services.review import export as review_export
from forum.services.review import figures as review
from forum.services.review import period as review_period
from forum.services.review.export import ExportFormat

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
# The groups of rows --rows chooses from: the first server's pages and searches, then
# the live forum's (bench/live.py).
GROUPS = ("cached", "search", *live.GROUPS)

# Common searches, asked again and again by many readers: after the first time
# each is a results page from the page cache, as a popular search is in production.
SEARCH_QUERIES = [
    "ethics committee opinion",
    "informed consent wearable",
    "sample size pilot",
    "comitato etico",
    "insurance cover",
    "serious adverse events reporting",
    "substantial modification",
    "software diagnostico",
    "site selection knee implant",
    "notifica al Ministero",
]
# Searches nobody made before in the run, so none comes from the cache: what the
# engine itself costs. More than a run can ask in its seconds, so none repeats.
NEW_SEARCHES = 3_000
# Searches in members' own words (the synthetic queries use only the synthetic texts'
# vocabulary, all of it common): the demo's relevance set, whose words are a mix of
# common and rare at scale, and words that are rare at scale (the exact ranking). A
# query that looked common to PostgreSQL's planner took seconds before 2026-12-04.
RARE_QUERIES = [
    "vigilance reporting",
    "hemophilia",
    "MDR Article 82",
    "GDPR pseudonymisation",
    "zebrafish",
    "ISO 14155 monitoring",
    "notified body fees",
    "PMCF plan",
    "class IIb software",
    "investigator brochure template",
]
# Each asked this many times, each time with a different unused parameter, so that no
# answer comes from the page cache: more than a run can ask in its seconds.
MEMBERS_QUERY_ROUNDS = 40


@dataclass(frozen=True)
class Plan:
    """What a run loads, and for how long."""

    seconds: int
    live_seconds: int
    rows: frozenset[str]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("SCALE", 1.0)))
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="sqlite, postgresql, or both"
    )
    parser.add_argument("--seconds", type=int, default=10, help="per row of the first server")
    parser.add_argument(
        "--live-seconds", type=int, default=8, help="per row of the live forum (bench/live.py)"
    )
    parser.add_argument(
        "--rows",
        default=",".join(GROUPS),
        help=f"the groups of rows to load, of {', '.join(GROUPS)}",
    )
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/forum_bench"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args(argv)
    rows = frozenset(group.strip() for group in args.rows.split(",") if group.strip())
    if not rows <= set(GROUPS):
        parser.error(f"unknown rows: {', '.join(sorted(rows - set(GROUPS)))}")
    plan = Plan(seconds=args.seconds, live_seconds=args.live_seconds, rows=rows)

    scale = dataset.Scale().times(args.scale)
    DATA.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results = []
    for database in args.databases.split(","):
        url = _fresh_database(database.strip(), args.postgres_url)
        results.append(_measure(database.strip(), url, scale, plan))
    minutes = (time.monotonic() - started) / 60
    args.output.write_text(
        report.render(
            results, scale, args.scale, plan.seconds, plan.live_seconds, run_minutes=minutes
        )
    )
    print(f"wrote {args.output} after {minutes:.0f} min")
    return 0


def _fresh_database(database: str, postgres_url: str) -> str:
    if database == "sqlite":
        path = DATA / "forum-bench.sqlite3"
        for leftover in DATA.glob("forum-bench.sqlite3*"):
            leftover.unlink()
        return f"sqlite:///{path}"
    if database == "postgresql":
        url = make_url(postgres_url)
        name = url.database
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name or ""):
            raise SystemExit(f"unusable benchmark database name: {name!r}")
        admin = url.set(drivername="postgresql", database="postgres")
        with psycopg.connect(
            admin.render_as_string(hide_password=False), autocommit=True
        ) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        return url.render_as_string(hide_password=False)
    raise SystemExit(f"unknown database {database!r}: use sqlite or postgresql")


def _measure(database: str, url: str, scale: dataset.Scale, plan: Plan) -> BackendFigures:
    print(f"== {database}: building the database")
    os.environ.update(
        FORUM_ENV="production",
        SECRET_KEY="benchmark-only-secret-long-enough-for-production",
        DATABASE_URL=url,
    )
    app = create_app()
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        targets = dataset.build(scale, progress=lambda text: print(f"   {text}"))
        build_seconds = time.perf_counter() - started
        review_seconds = _time_review_export()
        release_seconds = _time_guide_release()
        sample = live.question_sample(targets.question_path, live.QUESTION_SAMPLE)
        writers = live.writer_accounts(live.WRITERS, dataset.PASSWORD)
        db.session.remove()
        db.engine.dispose()
    _settle(database, url)

    pages = {
        "home": ["/"],
        "question list": ["/questions"],
        "question, 10 answers + board answer": [targets.question_path],
        "FAQ": ["/faq"],
        "guide": ["/guide"],
        "search": [load.search_path(query) for query in SEARCH_QUERIES],
    }
    if "cached" not in plan.rows:
        pages = {}
    new_searches = [load.search_path(query) for query in dataset.search_queries(NEW_SEARCHES)]
    # Visitors and the member are cached apart, so both may ask the first half; one
    # request at a time asks the second half.
    new_in_parallel, new_one_at_a_time = (
        new_searches[: NEW_SEARCHES // 2],
        new_searches[NEW_SEARCHES // 2 :],
    )
    seconds = plan.seconds
    print(f"== {database}: loading the pages, {seconds} s each")
    with server.gunicorn(url, log_path=DATA / f"gunicorn-{database}.log") as (base_url, pid):
        member = live.signed_in(base_url, (targets.member_email, targets.member_password))
        live.check_pages(base_url, member, list(pages.values()))
        cookie = member.cookie_header
        # Warm every worker's caches, for visitors and for the member alike: a page
        # rendered for the first time at this scale costs seconds, not milliseconds.
        for paths in [["/_bench/bare"], *pages.values()]:
            load.run(base_url, paths, seconds=2)
            load.run(base_url, paths, seconds=2, cookie=cookie)
        if "search" in plan.rows:
            # Members' words reach texts the synthetic queries never do (the demo's guide,
            # its questions): a worker's first reading of them (word stems) is warmed too,
            # with rounds the measurement does not ask.
            load.run(base_url, _members_searches(first_round=MEMBERS_QUERY_ROUNDS), seconds=2)
        figures = BackendFigures(
            database=database,
            build_seconds=build_seconds,
            bare=load.run(base_url, ["/_bench/bare"], seconds=seconds),
            review_export_seconds=review_seconds,
            guide_release_seconds=release_seconds,
        )
        for name, paths in pages.items():
            figures.pages.append(
                PageFigures(
                    name=name,
                    logged_out=load.run(base_url, paths, seconds=seconds),
                    logged_in=load.run(base_url, paths, seconds=seconds, cookie=cookie),
                )
            )
        if "search" in plan.rows:
            figures.search_uncached = PageFigures(
                name="search, every query new",
                logged_out=load.run(base_url, new_in_parallel, seconds=seconds),
                logged_in=load.run(base_url, new_in_parallel, seconds=seconds, cookie=cookie),
            )
            # Search latency as one user sees it, one request at a time, each a query the
            # engine has to rank: the p99 target.
            figures.search_sequential = load.run(
                base_url, new_one_at_a_time, seconds=seconds, connections=1
            )
            figures.search_members = load.run(
                base_url, _members_searches(), seconds=seconds, connections=1
            )
        figures.worker_memory_mb = server.worker_memory_mb(pid)
    live_groups = set(plan.rows & set(live.GROUPS))
    if live_groups:
        print(f"== {database}: the live forum ({', '.join(sorted(live_groups))})")
        figures.live = live.measure(
            url,
            groups=live_groups,
            sample=sample,
            member=(targets.member_email, targets.member_password),
            writers=writers,
            seconds=plan.live_seconds,
            log_dir=DATA,
        )
    return figures


def _settle(database: str, url: str) -> None:
    """Bring the freshly loaded database to the state a running forum's is in.

    A bulk load of gigabytes leaves work that PostgreSQL does later, in the background:
    vacuuming (hint bits, the visibility map) and the checkpoint that writes the loaded
    pages out, which otherwise lands in the middle of the measured rows and moves their
    p99 by tens of milliseconds from one run to the next. In production both happened
    long ago. SQLite folds its write-ahead log into the database file.
    """
    print(f"== {database}: settling (VACUUM ANALYZE and CHECKPOINT, or the WAL checkpoint)")
    if database == "postgresql":
        address = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(address, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")
            connection.execute("CHECKPOINT")
    else:
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()


def _members_searches(first_round: int = 0) -> list[str]:
    queries = [query for query, _ in RELEVANCE_SET] + RARE_QUERIES
    return [
        f"{load.search_path(query)}&round={number}"
        for number in range(first_round, first_round + MEMBERS_QUERY_ROUNDS)
        for query in queries
    ]


def _time_review_export() -> float:
    started = time.perf_counter()
    period = review_period.parse_period(None, None, date.today())
    review_export.export(review.build_review(period), ExportFormat.XLSX)
    return time.perf_counter() - started


def _time_guide_release() -> float:
    """One edit, then the release that freezes the whole guide: what an admin waits for."""
    admin = db.session.scalars(select(User).where(User.role == Role.ADMIN).limit(1)).one()
    section = db.session.scalars(select(GuideSection).order_by(GuideSection.id).limit(1)).one()
    number = max(revision.number for revision in section.revisions)
    editing.edit_section(
        section,
        admin,
        title=section.title,
        body=section.body + "\n\nChecked for release 2.0.",
        note="benchmark edit",
        base_number=number,
    )
    started = time.perf_counter()
    publishing.release("2.0", "Benchmark: a release timed at scale.", admin)
    return time.perf_counter() - started
