"""The content generations: counters that committed changes bump, so no cached page outlives one.

Rendered pages are cached under the generations they were rendered at
(forum/web/infra/page_cache.py), so a cached page is never served after a change
its reader could see was committed, by any worker, without a message bus between
the workers. There are three kinds of counter:

- the content generation, one row, bumped by every commit that changes a shown
  table no content area claims (forum/models/content_areas.py): it empties every
  cached page;
- an area's generation, one row per area (created at its first bump), bumped by a
  commit that writes in that area: it retires the pages that declared the area
  (an answer moves "questions", and the FAQ and the guide stay);
- a thread's generation, one row per question (created at its first bump), bumped
  by a commit that writes in that question's thread (forum/models/thread_links.py):
  it retires that question's page, and the "questions" area moved with it retires the
  lists; the other questions' pages stay;
- a user's page generation, one row per user (created at their first bump),
  bumped by a commit that changes only rows no one but that user ever sees
  (PRIVATE_TABLES below): it retires that user's cached pages and no one else's.
  A member marking their notifications read no longer empties the cache of every
  worker on every server.

Counters are bumped inside the committing transaction, just before COMMIT:
readers see the new number exactly when they can see the new rows. Taking the
row locks last, at commit time, in one order (areas by name, then threads by question
id, then users by id),
keeps writers from deadlocking on them.

A commit that moves the content generation bumps it alone: that already retires
every cached page, the areas' and the private ones included. A commit that writes
in areas and in private tables bumps both kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import ForeignKey, Integer, String, event, inspect, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from forum.extensions import db
from forum.models.content_areas import AREA_OF_TABLE, THREADS, areas_of_change, cascaded_tables
from forum.models.thread_links import THREAD_TABLES, threads_in_database, threads_of

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
        "user_page_generation",
        "area_generation",
        "thread_generation",
    }
)

# Tables whose rows only their owner ever sees, each with the column naming the
# owner. A table belongs here only if NO page another reader can open reflects it,
# counts included; every table not named here or above is shown (the safe default).
#
# - notification: the header's unread count, the notifications list and the pages
#   that mark news read on opening are all the recipient's own; no list, count or
#   admin page shows another person's notifications (the data export is the
#   person's own download, never cached).
# - email_opt_out: the e-mail settings page of its owner shows it, and nothing else
#   does; the mailer reads it, no page.
#
# Audited and left shown, because other readers see them: topic_follow (the experts'
# directory lists each expert's topics), helpful_mark (its count is public), flag
# (the moderators' queue), survey_response and survey_answer (the admins' results),
# law_change_flag (the admins' review list), invitation and stance (the board's
# pages), audit_entry (the admins' log), and the user row itself (bylines, the
# admins' lists; a change of one's language or e-mail frequency is rare).
PRIVATE_TABLES: dict[str, str] = {
    "notification": "user_id",
    "email_opt_out": "user_id",
}

_CHANGES = "content_changes"
_OWNERS_OPTION = "page_generation_owners"
_THREADS_OPTION = "page_generation_threads"


class ContentGeneration(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)  # the one row has id 1
    value: Mapped[int] = mapped_column(Integer, default=0)


class UserPageGeneration(db.Model):
    """One user's page generation: moved by changes only they can see.

    Not a column of the user row: a change of that row is itself a shown change.
    The row goes with its user, whose deletion is a shown change (the content
    generation moves, so no page kept under the old number is served again).
    """

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[int] = mapped_column(Integer, default=0)


class AreaGeneration(db.Model):
    """One content area's generation (forum/models/content_areas.py): moved by every
    commit that writes in the area; a row missing is an area never written (0)."""

    area: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class ThreadGeneration(db.Model):
    """One question's thread generation: moved by every commit that writes in its thread.

    No foreign key to the question: the row outlives a question deleted, so the deletion's
    own bump retires its page, and an id SQLite gives again to a new question carries on
    from the old number instead of starting again at one a page was kept under.
    """

    question_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Generations(NamedTuple):
    """What a page's cache key depends on, read in one query."""

    content: int
    own: int  # the reader's page generation; 0 for a visitor
    areas: dict[str, int]  # a missing area is at 0
    thread: int = 0  # the asked question's thread generation (0: none asked, or never moved)

    def of(self, areas: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.areas.get(area, 0) for area in areas)


_READ_GENERATION = "SELECT value FROM content_generation WHERE id = 1"
# The area rows are few (one per area): reading them all is one index scan.
_READ_AREA_GENERATIONS = (
    "SELECT 'content', '', value FROM content_generation WHERE id = 1"
    " UNION ALL SELECT 'area', area, value FROM area_generation"
)
_READ_READER_GENERATIONS = (
    "SELECT 'content', '', value FROM content_generation WHERE id = 1"
    " UNION ALL SELECT 'area', area, value FROM area_generation"
    " UNION ALL SELECT 'own', '', value FROM user_page_generation WHERE user_id = :user_id"
)
_READ_THREAD_GENERATION = (
    " UNION ALL SELECT 'thread', '', value FROM thread_generation WHERE question_id = :question_id"
)
# By (signed in, a page of one thread): the thread's counter is read in the same query.
_READ_GENERATIONS_OF = {
    (True, False): text(_READ_READER_GENERATIONS),
    (False, True): text(_READ_AREA_GENERATIONS + _READ_THREAD_GENERATION),
    (True, True): text(_READ_READER_GENERATIONS + _READ_THREAD_GENERATION),
}
# Plain SQL both databases speak (SQLite 3.24+, PostgreSQL 9.5+). On PostgreSQL a
# second transaction inserting the same new row waits for the first, then updates
# it: two concurrent commits both count.
_BUMP_USER_GENERATION = text(
    "INSERT INTO user_page_generation (user_id, value) VALUES (:user_id, 1)"
    " ON CONFLICT (user_id) DO UPDATE SET value = user_page_generation.value + 1"
)
_BUMP_AREA_GENERATION = text(
    "INSERT INTO area_generation (area, value) VALUES (:area, 1)"
    " ON CONFLICT (area) DO UPDATE SET value = area_generation.value + 1"
)
_BUMP_THREAD_GENERATION = text(
    "INSERT INTO thread_generation (question_id, value) VALUES (:question_id, 1)"
    " ON CONFLICT (question_id) DO UPDATE SET value = thread_generation.value + 1"
)


def current_generation() -> int | None:
    """The content generation alone, or None if its row is missing (then nothing may
    be cached); read as ``page_generations`` reads it."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return connection.exec_driver_sql(_READ_GENERATION).scalar()


def page_generations(user_id: int | None, question_id: int | None = None) -> Generations | None:
    """The content generation, every area's, the reader's own (0 for a visitor, or a
    user never bumped) and, for a page of one thread, ``question_id``'s thread
    generation; None if the content generation's row is missing.

    Read in one query on a connection of its own, in plain SQL and outside a
    transaction: it is the only query of a page served from the cache, and the ORM
    session's machinery, or a BEGIN and ROLLBACK around it (two more round trips to
    PostgreSQL), would cost more than the page.
    """
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if user_id is None and question_id is None:  # the driver's own call, uncompiled
            rows = connection.exec_driver_sql(_READ_AREA_GENERATIONS).all()
        else:
            statement = _READ_GENERATIONS_OF[(user_id is not None, question_id is not None)]
            rows = connection.execute(
                statement, {"user_id": user_id, "question_id": question_id}
            ).all()
    content, own, thread, areas = None, 0, 0, {}
    for kind, area, value in rows:
        if kind == "content":
            content = value
        elif kind == "own":
            own = value or 0
        elif kind == "thread":
            thread = value or 0
        else:
            areas[area] = value or 0
    return None if content is None else Generations(content, own, areas, thread)


def private_to(statement, *user_ids: int):
    """Name the owners of the rows a bulk INSERT, UPDATE or DELETE on a private table
    writes, so its commit bumps their page generations only.

    The caller vouches that the statement touches those users' rows and no one
    else's. A bulk statement on a private table without owners moves the content
    generation, as any other write does.
    """
    return statement.execution_options(**{_OWNERS_OPTION: frozenset(user_ids)})


def in_threads(statement, *question_ids: int):
    """Name the questions whose threads a bulk INSERT, UPDATE or DELETE on a thread's
    table (forum/models/thread_links.py) writes in, so its commit retires those threads'
    pages only.

    The caller vouches that the statement writes rows of those threads and of no other.
    A bulk statement on a thread's table without them moves every thread's pages.
    """
    return statement.execution_options(**{_THREADS_OPTION: frozenset(question_ids)})


@dataclass
class _Changes:
    """What the transaction has written so far: content no area claims (``shown``),
    content in these areas and in these questions' threads, these owners' private rows."""

    shown: bool = False
    areas: set[str] = field(default_factory=set)
    threads: set[int] = field(default_factory=set)
    unplaced: set[tuple[str, tuple]] = field(default_factory=set)  # looked up at commit
    owners: set[int] = field(default_factory=set)

    def note_threads(self, threads: frozenset[int] | None, instance=None) -> None:
        """Threads written in; None when not known, which retires every thread's pages,
        unless ``instance``, a row still in the database, tells at commit."""
        if threads is not None:
            self.threads |= threads
            return
        state = inspect(instance) if instance is not None else None
        # A row inserted by this flush has its key in its columns, not yet its identity.
        identity = state and (
            state.identity
            or tuple(
                state.dict.get(state.mapper.get_property_by_column(column).key)
                for column in state.mapper.primary_key
            )
        )
        if identity and None not in identity and not state.deleted:
            self.unplaced.add((state.mapper.local_table.name, identity))
        else:
            self.areas.add(THREADS)


def _changes_of(session: Session) -> _Changes:
    return session.info.setdefault(_CHANGES, _Changes())


def _note_instance(session: Session, changes: _Changes, instance, changed_columns) -> None:
    """Note a flushed row; ``changed_columns`` as ``areas_of_change`` takes them."""
    table = instance.__table__.name
    _note_secondary_rows(session, changes, instance)
    if table in UNSHOWN_TABLES:
        return
    if table in AREA_OF_TABLE:
        changes.areas |= areas_of_change(table, changed_columns)
        in_thread = table in THREAD_TABLES
        if in_thread:
            deleted = changed_columns is None
            changes.note_threads(threads_of(session, instance), None if deleted else instance)
        if changed_columns is None:
            _note_cascades(changes, table, threads_known=in_thread)
        return
    owner_column = PRIVATE_TABLES.get(table)
    owners = _owners_of(instance, owner_column) if owner_column else None
    if owners:
        changes.owners |= owners
    else:  # shown, or an owner the flush cannot tell without a query: everyone's pages go
        changes.shown = True


def _note_cascades(changes: _Changes, table: str, *, threads_known: bool) -> None:
    """The rows a deletion in an area changes through the database's own foreign keys.

    ``threads_known``: the deleted rows are of a thread, whose threads are noted; the rows
    of a thread's tables their deletion reaches are then in the same threads (every key
    between those tables stays in one thread: tests/web/test_thread_pages.py).
    """
    for cascaded in cascaded_tables(table):
        if cascaded in AREA_OF_TABLE:
            changes.areas |= areas_of_change(cascaded, None)
            if cascaded in THREAD_TABLES and not threads_known:
                changes.note_threads(None)
        elif cascaded not in UNSHOWN_TABLES:  # a private row's owner is unknown here too
            changes.shown = True


def _note_secondary_rows(session: Session, changes: _Changes, instance) -> None:
    """The link rows a changed collection writes (a question's topics): they have no
    instance of their own for the flush to show."""
    state = inspect(instance)
    for relationship in state.mapper.relationships:
        secondary = relationship.secondary
        if secondary is None or not state.attrs[relationship.key].history.has_changes():
            continue
        if secondary.name in AREA_OF_TABLE:
            changes.areas |= areas_of_change(secondary.name, None)
            if secondary.name in THREAD_TABLES:  # a question's topics: its own thread
                if instance.__table__.name in THREAD_TABLES:
                    changes.note_threads(threads_of(session, instance), instance)
                else:
                    changes.note_threads(None)
        elif secondary.name not in UNSHOWN_TABLES:
            changes.shown = True


def _changed_columns(instance) -> set[str]:
    """The names of the columns of a flushed dirty instance whose value changed."""
    state = inspect(instance)
    return {
        attribute.columns[0].name
        for attribute in state.mapper.column_attrs
        if state.attrs[attribute.key].history.has_changes()
    }


def _owners_of(instance, owner_column: str) -> set[int] | None:
    """The owner the row has, and the one it had if that changed; None if not loaded."""
    state = inspect(instance)
    if owner_column not in state.dict:
        return None
    history = state.attrs[owner_column].history
    owners = {state.dict[owner_column], *history.deleted} - {None}
    return owners or None


def _note_flushed_changes(session: Session, _flush_context) -> None:
    # After a flush the new, dirty and deleted sets still hold what was flushed.
    changes = _changes_of(session)
    for instance in session.new:
        _note_instance(session, changes, instance, ())
    for instance in session.dirty:
        _note_instance(session, changes, instance, _changed_columns(instance))
    for instance in session.deleted:
        _note_instance(session, changes, instance, None)


def _note_bulk_statements(orm_execute_state) -> None:
    state = orm_execute_state
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table in UNSHOWN_TABLES:
        return
    changes = _changes_of(state.session)
    owners = state.execution_options.get(_OWNERS_OPTION)
    if table in AREA_OF_TABLE:
        # An insertion names no row another area shows; an update or deletion, whose rows
        # and columns are not looked at, counts as changing the headers too.
        changes.areas |= areas_of_change(table, () if state.is_insert else None)
        in_thread = table in THREAD_TABLES
        if in_thread:
            changes.note_threads(state.execution_options.get(_THREADS_OPTION))
        if state.is_delete:
            _note_cascades(changes, table, threads_known=in_thread)
    elif table in PRIVATE_TABLES and owners:
        changes.owners |= owners
    else:
        changes.shown = True


def _bump_before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # so the flush listener has seen every change before we count
    changes = session.info.pop(_CHANGES, None)
    if changes is None:
        return
    if changes.unplaced and not changes.shown:
        changes.note_threads(threads_in_database(session, changes.unplaced))
    if changes.shown:
        session.execute(
            update(ContentGeneration)
            .where(ContentGeneration.id == 1)
            .values(value=ContentGeneration.value + 1)
        )
        return
    # One statement per row, in one order (areas by name, then threads by question id,
    # then users by id): two writers then take the row locks in the same order and
    # cannot deadlock.
    for area in sorted(changes.areas):
        session.execute(_BUMP_AREA_GENERATION, {"area": area})
    for question_id in sorted(changes.threads):
        session.execute(_BUMP_THREAD_GENERATION, {"question_id": question_id})
    if changes.owners:
        session.execute(
            _BUMP_USER_GENERATION, [{"user_id": owner} for owner in sorted(changes.owners)]
        )


def _forget(session: Session, *_args) -> None:
    session.info.pop(_CHANGES, None)


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
