"""Which thread a written row belongs to, so its commit retires that thread's pages only.

A question page shows one thread: the question, its answers, comments, files, revisions,
board answers and their stances, its invitations and flags. Each such row names its
thread through a column, directly (``question_id``) or through a parent row
(``helpful_mark.answer_id`` -> ``answer.question_id``). The flush listener
(forum/models/generation.py) reads those columns as the session holds them and moves the
thread's own generation. A row whose columns the session no longer holds (expired by an
earlier commit, then changed without being read) is looked up at commit, one query a
row; a row gone by then, or a parent not in the session, cannot be placed, and the commit
moves every thread's pages instead (the "threads" area): correct, only coarser.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from forum.extensions import db
from forum.models.content_areas import AREAS

QUESTION = "question"
THREAD_TABLES = AREAS["questions"]

# For each table of a thread (but the question's topics, a link table written through
# its question), the columns that lead to its thread, in order, each with the table it
# points to: "question" is the thread itself; None, a row of no thread (a guide
# proposal's file). The first column that holds a value decides.
THREAD_LINKS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "question": (("id", QUESTION),),
    "answer": (("question_id", QUESTION),),
    "comment": (("question_id", QUESTION),),
    "helpful_mark": (("answer_id", "answer"),),
    "revision": (("question_id", QUESTION), ("answer_id", "answer")),
    "attachment": (
        ("question_id", QUESTION),
        ("answer_id", "answer"),
        ("guide_proposal_id", None),
    ),
    "board_answer": (("question_id", QUESTION),),
    "board_revision": (("board_answer_id", "board_answer"),),
    "stance": (("board_answer_id", "board_answer"),),
    "invitation": (("question_id", QUESTION),),
    "flag": (
        ("question_id", QUESTION),
        ("answer_id", "answer"),
        ("comment_id", "comment"),
        ("stance_id", "stance"),
    ),
}


@cache
def _model_of(table: str):
    return next(
        mapper.class_ for mapper in db.Model.registry.mappers if mapper.local_table.name == table
    )


def threads_of(session: Session, instance) -> frozenset[int] | None:
    """The questions whose threads a flushed row of a thread's table is in (the one it
    left too, if it moved); empty for a row of no thread; None when the session cannot
    tell (a column expired, a parent row not loaded)."""
    state = inspect(instance)
    table = state.mapper.local_table
    primary_key = list(state.mapper.primary_key)
    for column, target in THREAD_LINKS[table.name]:
        key = state.mapper.get_property_by_column(table.c[column]).key
        if key in state.dict:
            values = {state.dict[key], *state.attrs[key].history.deleted} - {None}
        elif table.c[column] in primary_key and state.identity is not None:
            # Expired with the rest of the row after a commit, but its identity holds it.
            values = {state.identity[primary_key.index(table.c[column])]}
        else:
            return None  # expired: only a query would tell
        if not values:
            continue
        if target is None:
            return frozenset()
        if target == QUESTION:
            return frozenset(values)
        threads: set[int] = set()
        for parent_id in values:
            parent = _parent_in_session(session, state, table.c[column], target, parent_id)
            parent_threads = None if parent is None else threads_of(session, parent)
            if parent_threads is None:
                return None
            threads |= parent_threads
        return frozenset(threads)
    return None  # every link empty: a row the check constraints should have refused


def _parent_in_session(session: Session, state, column, target: str, parent_id: int):
    """The row ``column`` points to, as the session holds it: through the relationship
    the row was given (a parent inserted in the same flush is not yet in the identity
    map when the flush listener runs), else in the identity map; None if neither."""
    for relationship in state.mapper.relationships:
        if column in relationship.local_columns and relationship.direction.name == "MANYTOONE":
            parent = state.dict.get(relationship.key)
            if parent is None:
                continue
            parent_state = inspect(parent)  # its id read as held: no load inside a flush
            if parent_state.mapper.local_table.name == target:
                if parent_state.dict.get("id") == parent_id:
                    return parent
    return session.identity_map.get(identity_key(_model_of(target), parent_id))


def threads_in_database(session: Session, rows: set[tuple[str, tuple]]) -> frozenset[int] | None:
    """The threads of these rows (table, primary key) as the database has them, read at
    commit; None if one of them is gone (deleted in the transaction) or names none."""
    threads: set[int] = set()
    for table_name, identity in rows:
        table = db.metadata.tables[table_name]
        links = THREAD_LINKS[table_name]
        found = session.execute(
            select(*(table.c[column] for column, _target in links)).where(
                *(
                    column == value
                    for column, value in zip(table.primary_key, identity, strict=True)
                )
            )
        ).first()
        if found is None:
            return None
        linked = next(
            (
                (value, target)
                for value, (_column, target) in zip(found, links, strict=True)
                if value is not None
            ),
            None,
        )
        if linked is None:
            return None
        value, target = linked
        if target == QUESTION:
            threads.add(value)
        elif target is not None:
            parent = threads_in_database(session, {(target, (value,))})
            if parent is None:
                return None
            threads |= parent
    return frozenset(threads)
