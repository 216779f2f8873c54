"""Whether this process can serve: the database answers, its schema is the code's, and
Redis answers when one is configured. Asked by /readyz (forum/web/health/).

Each check answers within a couple of seconds whatever the other side does. A
refused connection fails at once; a silent one is bounded: PostgreSQL is asked over
a connection of its own (not the pool's, which a busy worker may have in use) with a
connect timeout, and the whole check runs in a thread the caller waits for at most
``timeout`` seconds. That thread covers the case no timeout of the driver does:
PgBouncer accepting the connection and holding the query while its server is gone.
At most one such check is pending per process; a probe arriving meanwhile is told so.

A reason is short and fixed ("unreachable", "timed out"...), never the driver's
message: that names hosts and users, and the answer is public. The full error
goes to the log.
"""

from __future__ import annotations

import ast
import logging
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

OK = "ok"
CHECK_SECONDS = 2.0


@dataclass(frozen=True)
class Readiness:
    """Each check's outcome: "ok", or a short reason."""

    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        return all(outcome == OK for outcome in self.checks.values())


def check(
    engine: Engine,
    migrations_directory: str,
    redis_url: str | None,
    timeout: float = CHECK_SECONDS,
) -> Readiness:
    """Check the database (reachable, migrations at head) and Redis when ``redis_url``."""
    database, migrations = _check_database(engine, migrations_directory, timeout)
    checks = {"database": database, "migrations": migrations}
    if redis_url:
        checks["redis"] = _check_redis(redis_url, timeout)
    return Readiness(checks)


@cache
def migration_heads(directory: str) -> frozenset[str]:
    """The head revisions of the migrations folder (those no other revision follows),
    read once per process from the files' ``revision`` and ``down_revision``, without
    Alembic: importing it would cost every probed worker some 11 MB
    (forum/schema_migrations.py). tests/unit/test_readiness.py compares it with Alembic's."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in sorted(Path(directory, "versions").glob("*.py")):
        names = _module_constants(path, ("revision", "down_revision"))
        if isinstance(names.get("revision"), str):
            revisions.add(names["revision"])
            down = names.get("down_revision")
            followed.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - followed)


def _module_constants(path: Path, names: tuple[str, ...]) -> dict:
    """The literal values a module assigns to ``names`` at its top level."""
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names:
            found[target.id] = ast.literal_eval(value)
    return found


# --- the database ------------------------------------------------------------------------


@dataclass
class _PendingCheck:
    finished: threading.Event
    outcome: tuple[str, str] | None = None


_pending_lock = threading.Lock()
_pending: _PendingCheck | None = None


def _check_database(engine: Engine, directory: str, timeout: float) -> tuple[str, str]:
    global _pending
    with _pending_lock:
        if _pending is not None and not _pending.finished.is_set():
            return "still waiting for the previous check", "not checked"
        pending = _pending = _PendingCheck(threading.Event())
    heads = migration_heads(directory)
    worker = threading.Thread(
        target=_run_database_check,
        args=(pending, engine, heads, timeout),
        name="readiness-database-check",
        daemon=True,  # never keeps a stopping worker waiting
    )
    worker.start()
    if not pending.finished.wait(timeout):
        log.warning("Readiness: the database did not answer within %.1f s", timeout)
        return f"timed out after {timeout:g} s", "not checked"
    return pending.outcome


def _run_database_check(
    pending: _PendingCheck, engine: Engine, heads: frozenset[str], timeout: float
) -> None:
    try:
        pending.outcome = _database_and_migrations(engine, heads, timeout)
    except Exception:  # noqa: BLE001 - whatever it is, the probe gets an answer
        log.exception("Readiness: the database check failed")
        pending.outcome = ("error", "not checked")
    finally:
        pending.finished.set()


def _database_and_migrations(
    engine: Engine, heads: frozenset[str], timeout: float
) -> tuple[str, str]:
    probe = _probe_engine(engine.url, timeout) if engine.dialect.name == "postgresql" else engine
    try:
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
            try:
                applied = frozenset(
                    connection.scalars(text("SELECT version_num FROM alembic_version"))
                )
            except SQLAlchemyError:
                return OK, "no migration applied (run the database upgrade)"
    except OperationalError as error:
        log.warning("Readiness: the database is unreachable: %s", error.orig or error)
        return "unreachable", "not checked"
    except SQLAlchemyError as error:
        log.warning("Readiness: the database check failed: %s", error)
        return "error", "not checked"
    return OK, _compare_revisions(applied, heads)


def _compare_revisions(applied: frozenset[str], heads: frozenset[str]) -> str:
    if applied == heads:
        return OK
    return (
        f"database at {', '.join(sorted(applied)) or 'none'}, code at "
        f"{', '.join(sorted(heads))} (run the database upgrade)"
    )


@cache
def _probe_engine(url: URL, timeout: float) -> Engine:
    """A pool-less engine for the probes: its own short-lived connection each time, with
    libpq's connect timeout (whole seconds, at least 1). One per process and database."""
    return create_engine(
        url, poolclass=NullPool, connect_args={"connect_timeout": max(1, int(timeout))}
    )


# --- Redis ---------------------------------------------------------------------------------


def _check_redis(url: str, timeout: float) -> str:
    # Here, not at the top: redis (and the cryptography it imports) costs some 4 MB in
    # every worker, and only a forum with REDIS_URL set gets here.
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    except ValueError:
        return "cannot check this kind of URL"
    try:
        client.ping()
    except redis.TimeoutError:
        log.warning("Readiness: Redis did not answer within %.1f s", timeout)
        return f"timed out after {timeout:g} s"
    except redis.RedisError as error:
        log.warning("Readiness: Redis is unreachable: %s", error)
        return "unreachable"
    finally:
        client.close()
    return OK
