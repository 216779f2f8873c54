"""Search on SQLite: an FTS5 table over the texts' terms, ranked as on PostgreSQL.

The FTS5 table (``search_fts``, created by the migration) indexes
``search_text.title_terms`` and ``body_terms``; triggers keep it in step.
Terms are quoted one by one, so no user text reaches FTS5's query syntax.
FTS5 finds the matches; ``exact`` ranks them with PostgreSQL's formula, so both
engines put the same texts first.
"""

from __future__ import annotations

from contextlib import nullcontext

from sqlalchemy import (
    ColumnElement,
    Subquery,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    union_all,
)

from forum.extensions import db
from forum.models import Question, SearchDocument, SearchText
from forum.services.search import ranking as search_ranking
from forum.services.search import threads as search_threads
from forum.services.search.terms import QueryTerms

# Below this many matching texts all are ranked (``exact``); above, the newest SCAN with
# every word and SCAN with any (search._pool). The ranking counts each text's terms in
# Python, some 75 µs a text on this 2-core machine: 23 ms at 300, PostgreSQL's limit too.
EXACT_LIMIT = 300
SCAN = 300

_FTS = table("search_fts", column("rowid"))
_FTS_TABLE = literal_column("search_fts")


def _alternative(term: str, query: QueryTerms) -> str:
    # Terms are letters and digits only (search_text.WORD), so quoting cannot be escaped.
    return f'"{term}"*' if term == query.prefix else f'"{term}"'


def match_all(query: QueryTerms) -> str:
    """Every group matched (by any of its terms)."""
    return " AND ".join(
        "(" + " OR ".join(_alternative(term, query) for term in group) + ")"
        for group in query.groups
    )


def match_any(query: QueryTerms) -> str:
    return " OR ".join(_alternative(term, query) for term in sorted(query.all_terms))


def _matches(match: str) -> ColumnElement[bool]:
    return _FTS_TABLE.op("MATCH")(match)


def plan(query: QueryTerms):
    """FTS5 walks its posting lists whatever the words: one way for every query (the
    ``way`` that ``probe`` and ``bounded_candidates`` take, and ignore, is None)."""
    return nullcontext()


def probe(query: QueryTerms, limit: int, visible: ColumnElement[bool], way=None) -> list[int]:
    """The ids of texts that pass ``visible`` and have any of the query's words, no
    more than ``limit`` (cheap: no ranking, and each match is checked through
    primary keys)."""
    return list(
        db.session.scalars(
            select(_FTS.c.rowid)
            .join(SearchDocument, SearchDocument.id == _FTS.c.rowid)
            .outerjoin(Question, Question.id == SearchDocument.question_id)
            .where(_matches(match_any(query)), visible)
            .limit(limit)
        )
    )


def exact(
    query: QueryTerms, conditions: list[ColumnElement[bool]], ids: list[int]
) -> list[search_ranking.RankedRow]:
    """The documents among ``ids`` (the probe's) that pass the conditions, best first.

    PostgreSQL's ranking (postgres.exact), computed in Python from the texts'
    stored terms (ranking.py): ts_rank times the summed rarity of the query's
    words the text has, a word with all its stems and translations counting as one. FTS5's
    ``bm25()`` was used before and failed the relevance set: it weighs every term by
    its own rarity, so a word's Italian translation, found only in the few Italian
    texts, weighed more than the word, and a word in half the texts weighed nothing
    (FTS5 clamps it to zero), so an Italian thread with one translated word beat
    the English text with five of the query's words. No more than ``EXACT_LIMIT``
    texts are read, by primary key.
    """
    rows = db.session.execute(
        search_threads.joined(
            select(
                SearchDocument.id,
                SearchDocument.kind,
                search_threads.key(),
                SearchText.title_terms,
                SearchText.body_terms,
            )
            .join(SearchText, SearchText.document_id == SearchDocument.id)
            .outerjoin(Question, Question.id == SearchDocument.question_id)
        ).where(SearchDocument.id.in_(ids), *conditions)
    ).all()
    # The collection's size, as PostgreSQL's planner estimates it: the highest id,
    # found through the primary key (a count would read every row).
    size = db.session.scalar(select(func.max(SearchDocument.id))) or 1
    return search_ranking.rank(query, rows, size)


def _newest(match: str, conditions: list[ColumnElement[bool]], scan: int):
    """The newest ``scan`` texts matching that pass the conditions: FTS5 walks its index
    by rowid, newest first, and stops there."""
    return (
        select(_FTS.c.rowid)
        .join(SearchDocument, SearchDocument.id == _FTS.c.rowid)
        .outerjoin(Question, Question.id == SearchDocument.question_id)
        .where(_matches(match), *conditions)
        .order_by(_FTS.c.rowid.desc())
        .limit(scan)
    )


def bounded_candidates(
    query: QueryTerms, conditions: list[ColumnElement[bool]], *, scan: int, way=None
) -> Subquery:
    """The newest ``scan`` texts with every word and the newest ``scan`` with any, that
    pass the conditions, as (id, score): every word first (the ranking then orders
    equals newest first).

    No ranking (it reads every matching text's terms) and no title
    test (a column filter walks through every body-only match): both cost time in
    proportion to the number of matches.
    """
    every = _newest(match_all(query), conditions, scan).subquery()
    some = _newest(match_any(query), conditions, scan).subquery()
    return union_all(
        select(every.c.rowid.label("id"), literal(1).label("score")),
        select(some.c.rowid.label("id"), literal(0).label("score")),
    ).subquery()


def after_rebuild() -> None:
    """Merge the index's segments into one after a bulk load: faster queries."""
    db.session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
