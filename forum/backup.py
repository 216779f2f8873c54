"""Backing up the database to one file and restoring it: ``flask --app forum backup|restore PATH``.

SQLite: the sqlite3 online backup API copies the database page by page while
the forum keeps running, so the copy is consistent even with writers busy;
a restore copies the file back the same way. PostgreSQL: ``pg_dump`` in its
custom format and ``pg_restore``, which must be at least the server's major
version (docs/operations.md). The password never goes on a command line,
where other users of the machine could read it: it is passed in PGPASSWORD.

A restore refuses a database that already holds data unless forced, and
says what it restored. The attachments' files go into ``PATH.files.tar`` beside
the database's backup and come back from it (``forum/attachment_backup.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump/pg_restore run with argument lists, no shell
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import create_engine, func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from forum import attachment_backup
from forum.attachment_storage import storage
from forum.extensions import db

# Filled in by the migrations, not by anyone using the forum: a database with
# only these is empty.
SEEDED_TABLES = frozenset(
    {
        "alembic_version",
        "topic",
        "content_generation",
        # The network's controlled vocabularies (migration e2a9c4f7b1d3).
        "network_specialisation",
        "network_capability",
    }
)
# The tables SQLite's FTS5 keeps beside a full-text table (<name>_data ...): they
# hold the index's own bookkeeping from the moment it is created, so their rows
# are not data. The full-text table itself is still counted.
FTS5_SHADOW_SUFFIXES = ("data", "idx", "content", "docsize", "config")


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message says why."""


@dataclass
class RestoreReport:
    tables: int
    rows: int
    revision: str | None

    def summary(self, path: Path, target: str) -> str:
        revision = self.revision or "unknown"
        return (
            f"Restored {path} into {target}: {self.tables} tables, {self.rows} rows, "
            f"schema revision {revision}. Run `flask --app forum db upgrade` if this "
            f"code is newer than the backup."
        )


def backup(path: Path, database_url: str) -> str:
    """Write a backup of the database at ``database_url`` to ``path``; returns a summary."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_backup(_sqlite_file(url), path)
    if url.get_backend_name() == "postgresql":
        return _pg_dump(url, path)
    raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")


def restore(path: Path, database_url: str, force: bool = False) -> RestoreReport:
    """Load the backup at ``path`` into the database at ``database_url``.

    Raises BackupError if the file is missing or not a backup, or if the
    database holds data and ``force`` is not given.
    """
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    url = make_url(database_url)
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"restoring into {url.get_backend_name()} is not supported")
    if not force:
        rows = _rows_of_data(url)
        if rows:
            raise BackupError(
                f"the database already holds data ({rows} rows outside the seeded tables); "
                f"restore into an empty database, or pass --force to replace it"
            )
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(path, _sqlite_file(url))
    else:
        _pg_restore(path, url)
    return _describe(url)


# --- SQLite ----------------------------------------------------------------


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _sqlite_backup(source: Path, path: Path) -> str:
    if not source.is_file():
        raise BackupError(f"the database file {source} does not exist")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a crash never leaves half a backup under its name.
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".partial", dir=path.parent)
    os.close(handle)
    try:
        with _sqlite(source) as origin, _sqlite(Path(temporary)) as copy:
            origin.backup(copy)
            # A single file: no -wal beside the copy to forget.
            copy.execute("PRAGMA journal_mode=DELETE")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return f"Backed up {source} to {path} ({path.stat().st_size} bytes)."


def _sqlite_restore(path: Path, target: Path) -> None:
    with _sqlite(path) as origin:
        try:
            check = origin.execute("PRAGMA quick_check").fetchone()[0]
            tables = {
                row[0]
                for row in origin.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not an SQLite backup: {error}") from None
        if check != "ok":
            raise BackupError(f"{path} is damaged: {check}")
        if "alembic_version" not in tables:
            raise BackupError(f"{path} is not a backup of the forum (no alembic_version table)")
        target.parent.mkdir(parents=True, exist_ok=True)
        with _sqlite(target) as destination:
            # Page by page into the live file, under SQLite's locks: running workers
            # see the old database or the restored one, never a mixture.
            origin.backup(destination)


class _sqlite:
    """A plain sqlite3 connection, closed on exit (sqlite3's own context manager only commits)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        self.connection = sqlite3.connect(self.path, timeout=30)
        return self.connection

    def __exit__(self, *exc) -> None:
        self.connection.close()


# --- PostgreSQL ------------------------------------------------------------


def _pg_dump(url: URL, path: Path) -> str:
    _check_client_version("pg_dump", url)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".partial")
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={temporary}",
            f"--dbname={_libpq_uri(url)}",
        ],
        url,
    )
    os.replace(temporary, path)
    return f"Backed up {_safe(url)} to {path} ({path.stat().st_size} bytes, pg_dump custom format)."


def _pg_restore(path: Path, url: URL) -> None:
    _check_client_version("pg_restore", url)
    # --clean --if-exists: the migrated-but-empty tables of a new deployment are replaced;
    # one transaction, so a failed restore leaves the database as it was.
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_libpq_uri(url)}",
            str(path),
        ],
        url,
    )


def _libpq_uri(url: URL) -> str:
    """The URL as libpq reads it, without the password (that goes in PGPASSWORD)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _safe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _run(arguments: list[str], url: URL) -> None:
    program = shutil.which(arguments[0])
    if program is None:
        raise BackupError(
            f"{arguments[0]} is not installed (Debian: apt-get install postgresql-client)"
        )
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    result = subprocess.run(  # nosec B603  # a fixed program and an argument list, no shell
        [program, *arguments[1:]],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} failed: {result.stderr.strip()}")


def _check_client_version(program: str, url: URL) -> None:
    """pg_dump and pg_restore read only servers up to their own major version."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client)")
    output = subprocess.run(  # nosec B603  # a fixed program and an argument list, no shell
        [executable, "--version"], capture_output=True, text=True, check=False
    ).stdout
    match = re.search(r"(\d+)\.", output)
    client_major = int(match.group(1)) if match else 0
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            number = connection.exec_driver_sql("SHOW server_version_num").scalar()
    finally:
        engine.dispose()
    server_major = int(number) // 10000
    if client_major < server_major:
        raise BackupError(
            f"{program} {client_major} is older than the server "
            f"(PostgreSQL {server_major}); install postgresql-client-{server_major}"
        )


# --- both ------------------------------------------------------------------


def _rows_of_data(url: URL) -> int:
    """Rows in the tables users fill (0 for a new or a freshly migrated database)."""
    if url.get_backend_name() == "sqlite" and not _sqlite_file(url).exists():
        return 0
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = (
                set(inspect(connection).get_table_names())
                - SEEDED_TABLES
                - _sqlite_shadow_tables(connection)
            )
            return sum(
                connection.scalar(select(func.count()).select_from(table(name)))
                for name in sorted(names)
            )
    finally:
        engine.dispose()


def _sqlite_shadow_tables(connection) -> set[str]:
    """The FTS5 shadow tables of an SQLite database (none on PostgreSQL).

    Named after their virtual table rather than asked of ``PRAGMA table_list``
    (SQLite 3.37+): on an older SQLite that pragma answers nothing, and a database
    holding data must never pass for empty.
    """
    if connection.dialect.name != "sqlite":
        return set()
    virtual = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
    ).scalars()
    return {f"{name}_{suffix}" for name in virtual for suffix in FTS5_SHADOW_SUFFIXES}


def _describe(url: URL) -> RestoreReport:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            rows = sum(
                connection.scalar(select(func.count()).select_from(table(name))) for name in names
            )
            revision = (
                connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if "alembic_version" in names
                else None
            )
    finally:
        engine.dispose()
    return RestoreReport(tables=len(names), rows=rows, revision=revision)


# --- commands --------------------------------------------------------------


def _database_url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path):
    """Write a consistent backup of the database to PATH (the forum may keep running)."""
    try:
        click.echo(backup(path, _database_url()))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    store = storage()
    files = attachment_backup.save(store, path)
    click.echo(
        f"Backed up {files.files} attachment files ({files.size} bytes) from "
        f"{store.describe()} to {attachment_backup.archive_path(path)}."
    )


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(path: Path, force: bool):
    """Load the backup at PATH into the database (empty, unless --force)."""
    url = _database_url()
    db.engine.dispose()  # no pooled connection keeps reading the old pages
    try:
        report = restore(path, url, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(report.summary(path, _safe(make_url(url))))
    store = storage()
    files = attachment_backup.load(store, path)
    if files is None:
        click.echo(
            f"No attachment files beside the backup ({attachment_backup.archive_path(path)}): "
            f"the attachments' rows name files that {store.describe()} may not hold."
        )
    else:
        click.echo(
            f"Restored {files.files} attachment files ({files.size} bytes) into {store.describe()}."
        )
