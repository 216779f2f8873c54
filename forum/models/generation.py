"""The content generation: one counter that every committed change to the content bumps.

Rendered pages are cached under the generation they were rendered at
(forum/web/infra/page_cache.py), so a cached page is never served after any change
was committed, by any worker, without a message bus between the workers.

The counter is bumped inside the committing transaction, just before COMMIT:
readers see the new number exactly when they can see the new rows. Taking the
row lock last, at commit time, keeps writers from deadlocking on it.
"""

from __future__ import annotations

from sqlalchemy import Integer, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from forum.extensions import db

# Tables whose changes no cached page shows: bumping for them would only
# empty the cache (visit counts are flushed every minute; a token's last use
# is recorded as it is used).
UNSHOWN_TABLES = frozenset(
    {
        "visit_day",
        "visitor_mark",
        "visit_salt",
        "api_token",
        "outbox_message",
        "content_generation",
    }
)
_CHANGED = "content_changed"


class ContentGeneration(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)  # the one row has id 1
    value: Mapped[int] = mapped_column(Integer, default=0)


_READ_GENERATION = "SELECT value FROM content_generation WHERE id = 1"


def current_generation() -> int | None:
    """The counter, or None if its row is missing (then nothing may be cached).

    Read on a connection of its own, in plain SQL and outside a transaction: it
    is the only query of a page served from the cache, and the ORM session's
    machinery, or a BEGIN and ROLLBACK around it (two more round trips to
    PostgreSQL), would cost more than the page.
    """
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return connection.exec_driver_sql(_READ_GENERATION).scalar()


def _shows(instance) -> bool:
    return getattr(instance, "__tablename__", None) not in UNSHOWN_TABLES


def _note_flushed_changes(session: Session, _flush_context) -> None:
    # After a flush the new, dirty and deleted sets still hold what was flushed.
    if any(_shows(instance) for instance in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


def _note_bulk_statements(orm_execute_state) -> None:
    state = orm_execute_state
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in UNSHOWN_TABLES:
            state.session.info[_CHANGED] = True


def _bump_before_commit(session: Session) -> None:
    pending = any(_shows(instance) for instance in (*session.new, *session.dirty, *session.deleted))
    if session.info.pop(_CHANGED, False) or pending:
        session.execute(
            update(ContentGeneration)
            .where(ContentGeneration.id == 1)
            .values(value=ContentGeneration.value + 1)
        )


def _forget(session: Session, *_args) -> None:
    session.info.pop(_CHANGED, None)


def track_content_changes() -> None:
    """Listen on every ORM session (idempotent: listeners are registered once)."""
    for name, listener in (
        ("after_flush", _note_flushed_changes),
        ("do_orm_execute", _note_bulk_statements),
        ("before_commit", _bump_before_commit),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
