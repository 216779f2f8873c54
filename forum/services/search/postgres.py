"""Search on PostgreSQL: a weighted tsvector with a GIN index, ranked by ts_rank.

``search_text.search_vector`` (created by the migration) is generated from the
terms with the 'simple' configuration, the title at weight A and the body at B.
Each term is quoted into the tsquery text, so no user text reaches the tsquery
syntax.

Two ways to find matches, chosen per query by how common its words are
(``plan``): through the GIN index, which costs in proportion to the number of
matches, or by walking the texts newest first and testing each one, which costs
in proportion to the texts walked before enough matches turn up. The planner
cannot be left to choose: it estimates every word it has no statistics for at
0.5% of the texts, so a query of rare words (each expanded into stems and
translations) looks common, and a LIMIT then sends it walking the whole table
(seconds at 500,000 texts).
"""

from __future__ import annotations

from contextlib import contextmanager
from enum import Enum

from sqlalchemy import (
    ColumnElement,
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
from forum.services.search import ranking as search_ranking
from forum.services.search import threads as search_threads
from forum.services.search.terms import QueryTerms

# ts_rank's weights for D, C, B (body) and A (title), search_ranking's: a title match
# counts five times a body match, so title (and FAQ question) matches rank above body ones.
WEIGHTS = literal_column(
    f"'{{0.05, 0.1, {search_ranking.BODY_OCCURRENCE}, "
    f"{search_ranking.TITLE_OCCURRENCE}}}'::float4[]"
)
# Divide the rank by 1 + log(length): a long guide section does not win by size alone.
NORMALISATION = 1

# Below this many matching texts all are ranked; above, SCAN of them (search._pool).
# Lower than SQLite's: each row read costs a detoasted tsvector.
EXACT_LIMIT = 300
SCAN = 300
# Words in at least this share of the texts (by the statistics ANALYZE keeps) are
# found by walking the newest texts: 300 matches turn up within some 4,000 texts. Below
# it the GIN index finds them: its cost grows with the matches (some 0.25 µs each, so
# 100 ms for a word in 400,000 texts), and at this share the two cost about the same.
WALK_SHARE = 0.08
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


# --- choosing how to find the matches ------------------------------------------------


class Way(Enum):
    """How a search finds its matches: see the module's docstring."""

    WALK = "newest first"
    INDEX = "GIN index"


def _word_shares() -> dict[str, float]:
    """The most common words of the index and their share of the texts, as ANALYZE
    last sampled them (pg_stats; empty before the first ANALYZE). Read at each
    search, so a page's queries stay the same in number: a fraction of a millisecond."""
    row = db.session.execute(
        text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'search_text' "
            "AND attname = 'search_vector'"
        )
    ).first()
    words, frequencies = row or (None, None)
    # The frequencies array ends with three summary numbers after one per word.
    return dict(zip(words or [], frequencies or []))


def _is_common(query: QueryTerms) -> bool:
    """Whether the query's words are in at least ``WALK_SHARE`` of the texts.

    A word's share is that of its commonest term (its stems and translations are
    mostly found together); the words' shares add up (an upper bound). A term
    outside the statistics is rarer than every term in them, so it counts as none;
    a prefix counts every common term it begins.
    """
    shares = _word_shares()
    total = 0.0
    for group in query.groups:
        share = 0.0
        for term in group:
            if term == query.prefix:
                share = max(
                    share, sum(value for word, value in shares.items() if word.startswith(term))
                )
            else:
                share = max(share, shares.get(term, 0.0))
        total += share
    return total >= WALK_SHARE


@contextmanager
def plan(query: QueryTerms):
    """The way the query's words call for, for the search's statements to run in.

    The statistics only choose the way: an exact ranking is the same either way, and
    a bounded one draws its texts newest first or as the index finds them. For
    uncommon words the sequential scan is switched off for the search's statements
    (SET LOCAL), so the GIN index is the only way left to find matches, and put back
    afterwards. A statement that fails ends the transaction, and with it the setting.
    """
    if _is_common(query):
        yield Way.WALK
        return
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    yield Way.INDEX
    db.session.execute(text("RESET enable_seqscan"))


# --- probe, exact ranking, bounded candidates ------------------------------------------


def probe(query: QueryTerms, limit: int, visible: ColumnElement[bool], way: Way) -> list[int]:
    """The ids of texts that pass ``visible`` and have any of the query's words, no
    more than ``limit``: walking, the newest (the texts the candidates' walk reads
    next, so their pages are at hand); otherwise the first the index finds."""
    found = select(SearchText.document_id).where(_matches(match_any(query)), _passing([visible]))
    if way is Way.WALK:
        found = found.order_by(SearchText.document_id.desc())
    return list(db.session.scalars(found.limit(limit)))


def _group(query: QueryTerms, group: tuple[str, ...], weight: str = "") -> str:
    """One query word as tsquery text; with ``weight`` "A", matching the title only."""

    def alternative(term: str) -> str:
        if term == query.prefix:
            return f"'{term}':*{weight}"
        return f"'{term}':{weight}" if weight else f"'{term}'"

    return "(" + " | ".join(alternative(term) for term in group) + ")"


def _rarity(
    query: QueryTerms, conditions: list[ColumnElement[bool]], ids: list[int]
) -> list[float]:
    """Each query word's inverse document frequency (ts_rank has none of its own).

    One count per word over the probe's texts that pass the conditions (so texts
    the reader may not see weigh nothing); the collection's size is the planner's
    estimate, which is enough for a weight.
    """
    counts = db.session.execute(
        select(*(func.count().filter(_matches(_group(query, group))) for group in query.groups))
        .select_from(SearchText)
        .where(SearchText.document_id.in_(ids), _passing(conditions))
    ).one()
    size = db.session.scalar(
        text("SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = 'search_text'::regclass")
    )
    return [search_ranking.rarity(count, float(size or 1)) for count in counts]


def exact(query: QueryTerms, conditions: list[ColumnElement[bool]], ids: list[int]) -> list:
    """The documents among ``ids`` (the probe's) that pass the conditions, best first.

    ts_rank (the words' frequency, title above body, length) times the sum of the
    rarity of each query word the document has: more words beat fewer and rare
    words beat common ones (ranking.py, which computes the same for SQLite).
    """
    match = match_any(query)
    weight = sum(
        rarity * case((_matches(_group(query, group)), 1.0), else_=0.0)
        for group, rarity in zip(query.groups, _rarity(query, conditions, ids))
    )
    score = _rank(match) * weight
    score = score.label("score")
    return db.session.execute(
        search_threads.joined(
            select(SearchDocument.id, SearchDocument.kind, search_threads.key(), score)
            .select_from(SearchText)
            .join(SearchDocument, SearchDocument.id == SearchText.document_id)
            .outerjoin(Question, Question.id == SearchDocument.question_id)
        )
        .where(SearchText.document_id.in_(ids), _matches(match), *conditions)
        .order_by(score.desc(), SearchDocument.id.desc())
    ).all()


def bounded_candidates(
    query: QueryTerms, conditions: list[ColumnElement[bool]], *, scan: int, way: Way
) -> Subquery:
    """``scan`` texts with every word and ``scan`` with any, that pass the conditions,
    as (id, score): every word first, then by ts_rank (which, unlike BM25, needs
    nothing beyond the row, so ranking them costs little).

    Walking (common words), the newest such texts: newest first walks the primary key
    backwards, testing each row's vector, and stops after ``scan``; texts with every
    word come from the newest ``EVERY_WORD_WINDOW`` texts (the inner LIMIT keeps the
    planner from reaching further). Through the index (uncommon words), the first
    ``scan`` it finds (``plan`` leaves no other way): ordering them would mean
    reading every match.
    """
    any_match = match_any(query)
    if way is Way.INDEX:
        every = (
            select(
                SearchText.document_id.label("id"), (literal(2) + _rank(any_match)).label("score")
            )
            .where(_matches(match_all(query)), _passing(conditions))
            .limit(scan)
        )
        some = (
            select(SearchText.document_id.label("id"), _rank(any_match).label("score"))
            .where(_matches(any_match), _passing(conditions))
            .limit(scan)
        )
        return union_all(every, some).subquery()
    newest = (
        select(SearchText.document_id.label("document_id"), _VECTOR.label("vector"))
        .order_by(SearchText.document_id.desc())
        .limit(EVERY_WORD_WINDOW)
        .subquery("newest_texts")
    )
    every = (
        select(
            newest.c.document_id.label("id"),
            (literal(2) + _rank(any_match, newest.c.vector)).label("score"),
        )
        .where(
            _matches(match_all(query), newest.c.vector), _passing(conditions, newest.c.document_id)
        )
        .order_by(newest.c.document_id.desc())
        .limit(scan)
    )
    some = (
        select(SearchText.document_id.label("id"), _rank(any_match).label("score"))
        .where(_matches(any_match), _passing(conditions))
        .order_by(SearchText.document_id.desc())
        .limit(scan)
    )
    return union_all(every, some).subquery()


def after_rebuild() -> None:
    """Fresh statistics after a bulk load, so the planner (and ``plan``) see the new index."""
    db.session.execute(text("ANALYZE search_document"))
    db.session.execute(text("ANALYZE search_text"))
