"""Search on SQLite: an FTS5 table over the texts' terms, ranked by BM25.

The FTS5 table (``search_fts``, created by the migration) indexes
``search_text.title_terms`` and ``body_terms``; triggers keep it in step.
Terms are quoted one by one, so no user text reaches FTS5's query syntax.
"""
from __future__ import annotations

from contextlib import nullcontext

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    case,
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
from forum.models import Question, SearchDocument
from forum.services.search_text import QueryTerms

# BM25 weights of the two columns: a word in the title counts as much as several
# in the body, so title (and FAQ question) matches rank above body matches.
TITLE_WEIGHT = 8.0
BODY_WEIGHT = 1.0

# Below this many matching texts BM25 ranks them all; above, the newest SCAN with every
# word and SCAN with any (search._pool). 300 of each leave the 200 results a page list
# draws on; at 1,000 a query of common words took 290 ms at p99 (100,000 questions).
EXACT_LIMIT = 1000
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
    return list(db.session.scalars(
        select(_FTS.c.rowid)
        .join(SearchDocument, SearchDocument.id == _FTS.c.rowid)
        .outerjoin(Question, Question.id == SearchDocument.question_id)
        .where(_matches(match_any(query)), visible)
        .limit(limit)
    ))


def _coverage(query: QueryTerms):
    """How many of the query's words a document has (each a short list here, see ``exact``)."""
    return sum(
        case((SearchDocument.id.in_(
            select(_FTS.c.rowid).where(_matches(match_all(QueryTerms((group,), query.prefix))))
        ), 1), else_=0)
        for group in query.groups
    )


def exact(query: QueryTerms, conditions: list[ColumnElement[bool]], ids: list[int]) -> Select:
    """The documents among ``ids`` (the probe's) that pass the conditions, best first.

    Scored by BM25 times the number of query words the document has, so one with
    more of them wins over one that repeats a single word. BM25 reads the whole
    list of every query term to weigh it by rarity: used when ``probe`` found
    those lists short.
    """
    match = match_any(query)
    score = (-func.bm25(_FTS_TABLE, TITLE_WEIGHT, BODY_WEIGHT) * _coverage(query)).label("score")
    return (
        select(SearchDocument.id, SearchDocument.kind, score)
        .select_from(_FTS)
        .join(SearchDocument, SearchDocument.id == _FTS.c.rowid)
        .outerjoin(Question, Question.id == SearchDocument.question_id)
        .where(_matches(match), _FTS.c.rowid.in_(ids), *conditions)
        .order_by(score.desc(), SearchDocument.id.desc())
    )


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


def bounded_candidates(query: QueryTerms, conditions: list[ColumnElement[bool]], *,
                       scan: int, way=None) -> Subquery:
    """The newest ``scan`` texts with every word and the newest ``scan`` with any, that
    pass the conditions, as (id, score): every word first (the ranking then orders
    equals newest first).

    No BM25 (it reads every matching text's entry to weigh the words) and no title
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
