"""Search on PostgreSQL: a weighted tsvector with a GIN index, ranked by ts_rank.

``search_text.search_vector`` (created by the migration) is generated from the
terms with the 'simple' configuration, the title at weight A and the body at B.
Each term is quoted into the tsquery text, so no user text reaches the tsquery
syntax.
"""
from __future__ import annotations

import math

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    case,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)

from forum.extensions import db
from forum.models import Question, SearchDocument, SearchText
from forum.services.search_text import QueryTerms

# ts_rank's weights for D, C, B (body) and A (title): a title match counts five
# times a body match, so title (and FAQ question) matches rank above body matches.
WEIGHTS = literal_column("'{0.05, 0.1, 0.2, 1.0}'::float4[]")
# Divide the rank by 1 + log(length): a long guide section does not win by size alone.
NORMALISATION = 1

# Below this many matching texts all are ranked; above, SCAN of them (search._pool).
# Lower than SQLite's: each row read costs a detoasted tsvector.
EXACT_LIMIT = 300
SCAN = 300
# Texts with every word are looked for among this many newest texts only: testing a
# row's vector costs some 20 µs, and when the words are each common but rarely
# together neither the primary key (row after row) nor the GIN index (every match of
# every word) finds them in bounded time. The page already says that, for such
# queries, the newest texts are shown first.
EVERY_WORD_WINDOW = 1_000

_VECTOR = literal_column("search_text.search_vector")
_SIMPLE = literal_column("'simple'::regconfig")


def _alternative(term: str, query: QueryTerms) -> str:
    # Terms are letters and digits only (search_text.WORD), so quoting cannot be escaped.
    return f"'{term}':*" if term == query.prefix else f"'{term}'"


def match_all(query: QueryTerms) -> str:
    """Every group matched (by any of its terms), as tsquery text."""
    return " & ".join(_group(query, group) for group in query.groups)


def match_any(query: QueryTerms) -> str:
    return " | ".join(_alternative(term, query) for term in sorted(query.all_terms))


def _matches(match: str, vector=_VECTOR) -> ColumnElement[bool]:
    return vector.op("@@")(func.to_tsquery(_SIMPLE, match))


def _rank(match: str, vector=_VECTOR):
    return func.ts_rank(WEIGHTS, vector, func.to_tsquery(_SIMPLE, match), NORMALISATION)


def _passing(conditions: list[ColumnElement[bool]], document_id=SearchText.document_id):
    """Whether the text's document passes the conditions, checked row by row as a scan
    finds matches, through the primary keys: a scalar subquery, which PostgreSQL
    never turns into a join. As a join, the planner hashes the whole document and
    question tables first (hundreds of ms)."""
    return (
        select(literal(1))
        .select_from(SearchDocument)
        .outerjoin(Question, Question.id == SearchDocument.question_id)
        .where(SearchDocument.id == document_id, *conditions)
        .limit(1)
        .scalar_subquery()
    ).is_not(None)


def probe(match: str, limit: int, visible: ColumnElement[bool]) -> int:
    """How many texts that pass ``visible`` match, counting no further than ``limit``."""
    found = (select(literal(1)).select_from(SearchText)
             .where(_matches(match), _passing([visible])).limit(limit))
    return db.session.scalar(select(func.count()).select_from(found.subquery()))


def _group(query: QueryTerms, group: tuple[str, ...], weight: str = "") -> str:
    """One query word as tsquery text; with ``weight`` "A", matching the title only."""
    def alternative(term: str) -> str:
        if term == query.prefix:
            return f"'{term}':*{weight}"
        return f"'{term}':{weight}" if weight else f"'{term}'"
    return "(" + " | ".join(alternative(term) for term in group) + ")"


def _rarity(query: QueryTerms, conditions: list[ColumnElement[bool]]) -> list[float]:
    """Each query word's inverse document frequency (ts_rank has none of its own).

    One count per word over the matching texts that pass the conditions (so texts
    the reader may not see weigh nothing), which ``probe`` found to be few; the
    collection's size is the planner's estimate, which is enough for a weight.
    """
    counts = db.session.execute(
        select(*(func.count().filter(_matches(_group(query, group))) for group in query.groups))
        .select_from(SearchText).where(_matches(match_any(query)), _passing(conditions))
    ).one()
    size = db.session.scalar(text(
        "SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = 'search_text'::regclass"))
    size = max(float(size or 1), float(max(counts, default=0)), 1.0)
    return [math.log(1 + (size - count + 0.5) / (count + 0.5)) for count in counts]


def exact(query: QueryTerms, conditions: list[ColumnElement[bool]]) -> Select:
    """Every matching document that passes the conditions, best first.

    ts_rank (the words' frequency, title above body, length) times the sum of the
    rarity of each query word the document has: more words beat fewer and rare
    words beat common ones, as BM25 makes them on SQLite.
    """
    match = match_any(query)
    weight = sum(rarity * case((_matches(_group(query, group)), 1.0), else_=0.0)
                 for group, rarity in zip(query.groups, _rarity(query, conditions)))
    score = _rank(match) * weight
    score = score.label("score")
    return (
        select(SearchDocument.id, SearchDocument.kind, score)
        .select_from(SearchText)
        .join(SearchDocument, SearchDocument.id == SearchText.document_id)
        .outerjoin(Question, Question.id == SearchDocument.question_id)
        .where(_matches(match), *conditions)
        .order_by(score.desc(), SearchDocument.id.desc())
    )


def bounded_candidates(query: QueryTerms, conditions: list[ColumnElement[bool]], *,
                       scan: int) -> Subquery:
    """The newest ``scan`` texts with every word and the newest ``scan`` with any, that
    pass the conditions, as (id, score): every word first, then by ts_rank (which,
    unlike BM25, needs nothing beyond the row, so ranking them costs little).

    Newest first walks the primary key backwards, testing each row's vector, and
    stops after ``scan``: the GIN index would first collect every match. Texts with
    every word come from the newest ``EVERY_WORD_WINDOW`` texts (the inner LIMIT keeps
    the planner from reaching further).
    """
    any_match = match_any(query)
    newest = (select(SearchText.document_id.label("document_id"), _VECTOR.label("vector"))
              .order_by(SearchText.document_id.desc()).limit(EVERY_WORD_WINDOW)
              .subquery("newest_texts"))
    every = (select(newest.c.document_id.label("id"),
                    (literal(2) + _rank(any_match, newest.c.vector)).label("score"))
             .where(_matches(match_all(query), newest.c.vector),
                    _passing(conditions, newest.c.document_id))
             .order_by(newest.c.document_id.desc()).limit(scan))
    some = (select(SearchText.document_id.label("id"), _rank(any_match).label("score"))
            .where(_matches(any_match), _passing(conditions))
            .order_by(SearchText.document_id.desc()).limit(scan))
    return union_all(every, some).subquery()


def after_rebuild() -> None:
    """Fresh statistics after a bulk load, so the planner sees the new index."""
    db.session.execute(text("ANALYZE search_document"))
    db.session.execute(text("ANALYZE search_text"))
