"""Where an uncached page's time goes: a profile of pages served in-process from the
benchmark's database, with the page cache off, as the analysis quotes it.

    python -m bench.profile [--database sqlite|postgresql] [--requests 20]
                            [--member EMAIL PASSWORD] [PATH ...]

Run it after ``make bench`` (it reads the database the benchmark built, never builds one).
Each page is asked a few times to warm the caches a worker keeps (compiled statements,
templates, the guide's memo), then ``--requests`` times under cProfile. Printed per page:
the CPU per request, the shares of the pieces the analysis names (templates, the
database driver's round trips, the ORM building objects, Markdown), and the functions
with the most time of their own.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from dataclasses import dataclass

from bench.browser import csrf_token
from bench.run import DATA

DEFAULT_PATHS = ["/", "/questions", "/faq", "/guide"]
# The database `make bench` builds on PostgreSQL (bench/run.py's --postgres-url default).
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/forum_bench"

# (label, how the function is named in the profile: file fragment, function name).
# Cumulative times, so they overlap: a template's time includes the queries it causes.
PIECES = [
    ("templates (Jinja render, all included)", "jinja2/environment.py", "render"),
    ("SQL round trips (driver execute)", "sqlalchemy/engine/default.py", "do_execute"),
    ("ORM objects built from rows", "sqlalchemy/orm/loading.py", "instances"),
    ("statement compilation", "sqlalchemy/sql/compiler.py", "__init__"),
    ("Markdown rendered", "forum/markdown_render.py", "render_markdown"),
]


@dataclass
class PageProfile:
    path: str
    reader: str
    cpu_ms: float
    stats: pstats.Stats


def _database_url(database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{DATA / 'forum-bench.sqlite3'}"
    return POSTGRES_URL


def _app(database_url: str):
    os.environ.update(
        {
            "FORUM_ENV": "production",
            "SECRET_KEY": "benchmark-only-secret-long-enough-for-production",
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": "false",
            "PAGE_CACHE_SECONDS": "0",
        }
    )
    from forum import create_app

    return create_app()


def _signed_in(app, email: str, password: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = csrf_token(page)
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return client


def profile_page(client, path: str, reader: str, requests: int) -> PageProfile:
    for _ in range(3):
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    cpu_ms = (time.process_time() - started) * 1000 / requests
    return PageProfile(path, reader, cpu_ms, pstats.Stats(profiler))


def _cumulative(stats: pstats.Stats, file_part: str, name: str) -> float:
    return sum(
        cumulative
        for (file, _line, function), (_calls, _primitive, _own, cumulative, _callers) in (
            stats.stats.items()
        )
        if function == name and file_part in file
    )


def report(page: PageProfile, requests: int, top: int) -> str:
    stats = page.stats
    total = stats.total_tt or 1e-9
    lines = [
        f"## {page.path} ({page.reader}): {page.cpu_ms:.1f} ms CPU a request, "
        f"{total * 1000 / requests:.1f} ms under the profiler"
    ]
    for label, file_part, name in PIECES:
        share = _cumulative(stats, file_part, name) / total
        lines.append(f"   {share:6.1%}  {label}")
    buffer = io.StringIO()
    stats.stream = buffer
    stats.sort_stats("tottime").print_stats(top)
    table = buffer.getvalue().split("ncalls", 1)[-1].splitlines()[1 : top + 1]
    lines.append("   own time, most first (calls, own s, cumulative s, function):")
    lines += ["   " + " ".join(row.split()) for row in table if row.strip()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--member", nargs=2, metavar=("EMAIL", "PASSWORD"))
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    options = parser.parse_args(argv)
    app = _app(_database_url(options.database))
    readers = [("visitor", app.test_client())]
    if options.member:
        readers.append(("member", _signed_in(app, *options.member)))
    for reader, client in readers:
        for path in options.paths:
            page = profile_page(client, path, reader, options.requests)
            print(report(page, options.requests, options.top), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
