"""One run at a time, across processes, of a command that writes in many transactions.

``seed-demo`` goes through the services, which commit once per action: no single
transaction, hence no database lock of SQLite's or PostgreSQL's own, covers the
whole run, and two runs started together would both find a question missing and
both add it. ``exclusive_run`` makes the second run wait for the first; it then
finds everything there and adds nothing.

- PostgreSQL: a session-level advisory lock, held on a connection of its own (the
  run's own session commits freely on another) and released when the run ends, or
  by the server if the process dies.
- SQLite: an exclusive ``flock`` on a file beside the database. SQLite's write lock
  lasts one transaction only; every process writing the file runs on this machine,
  and the kernel releases the lock if the process dies.
- An in-memory SQLite database belongs to one process: nothing to coordinate.
"""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from forum.extensions import db


@contextmanager
def exclusive_run(name: str) -> Iterator[None]:
    """Wait until no other run of ``name`` holds the lock, then hold it for the block.

    ``name`` is a short word (e.g. ``seed-demo``); it names the lock file on SQLite.
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(f"forum:{name}".encode())  # a stable bigint for the name
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            connection.commit()  # the lock outlives the transaction; idle, not in one
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    lock_path = Path(database).with_name(f"{Path(database).name}.{name}.lock")
    with open(lock_path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
