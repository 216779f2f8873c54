"""The relevance score both search engines give a text: PostgreSQL's ts_rank times
the summed rarity of the query's words the text has.

PostgreSQL computes it in SQL (search_postgres.exact); SQLite finds the matches
with FTS5 and computes the same score here, from the texts' stored terms, so the
two engines rank alike. ts_rank counts how often and where (title or body) the
query's terms occur, with diminishing returns and a discount for length, but
knows nothing of how rare a word is; the rarity, an inverse document frequency,
is counted per query word (any of its stems and translations) over the texts the
reader may see, so a translation found only in a few Italian texts weighs no
more than the word itself, and a confidential text weighs nothing.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from forum.services.search.terms import QueryTerms

# PostgreSQL's ts_rank weights (search_postgres.WEIGHTS): a title occurrence counts
# five times a body occurrence.
TITLE_OCCURRENCE = 1.0
BODY_OCCURRENCE = 0.2
# A tsvector keeps no more than 255 occurrences of a term from one text (to_tsvector)
# and 256 when the title's and the body's vectors are joined (MAXNUMPOS); ts_rank
# and the length read only those.
MAX_POSITIONS_OF_ONE = 255
MAX_POSITIONS = 256
# ts_rank adds a term's j-th occurrence (from 1) at weight / j**2; the sum of the
# first n such fractions, and its limit, by which ts_rank divides.
_DIMINISHING = [0.0]
for _position in range(1, MAX_POSITIONS + 1):
    _DIMINISHING.append(_DIMINISHING[-1] + 1 / _position**2)
_LIMIT = 1.64493406685  # pi**2 / 6, as tsrank.c writes it


@dataclass(frozen=True)
class RankedRow:
    id: int
    kind: str
    score: float
    # The thread the text belongs to (threads.key): the search lists one result per
    # thread (finder._one_per_thread).
    thread: int | None = None


@dataclass(frozen=True)
class _Text:
    id: int
    kind: str
    thread: int | None
    title: Counter  # how often each term occurs in the title
    body: Counter
    length: int  # in terms


def _kept(in_title: int, in_body: int) -> tuple[int, int]:
    """How many of a term's title and body occurrences PostgreSQL's vector keeps."""
    in_title = min(in_title, MAX_POSITIONS_OF_ONE)
    in_body = min(in_body, MAX_POSITIONS_OF_ONE)
    if in_title and in_body:
        in_body = min(in_body, MAX_POSITIONS - in_title)
    return in_title, in_body


def _read(row) -> _Text:
    title, body = Counter(row.title_terms.split()), Counter(row.body_terms.split())
    length = title.total() + body.total()
    if max(title.values(), default=0) + max(body.values(), default=0) > MAX_POSITIONS_OF_ONE:
        # A term repeated hundreds of times: the vector's length counts what it keeps.
        length = sum(sum(_kept(title.get(term, 0), body.get(term, 0))) for term in {*title, *body})
    return _Text(row.id, row.kind, row.thread, title, body, length)


def _terms_found(text: _Text, query: QueryTerms, item: str) -> list[str]:
    """The text's terms a query term matches: itself, or every term it begins if it
    is the prefix."""
    if item != query.prefix:
        return [item]
    return [term for term in {*text.title, *text.body} if term.startswith(item)]


def _has(text: _Text, query: QueryTerms, group: tuple[str, ...]) -> bool:
    return any(
        text.title.get(term) or text.body.get(term)
        for item in group
        for term in _terms_found(text, query, item)
    )


def ts_rank(text: _Text, query: QueryTerms) -> float:
    """PostgreSQL's ts_rank of the text for the query's terms (tsrank.c: calc_rank_or,
    normalisation 1). A term's occurrences are in the vector's order, the title's
    first, so the best-weighted is the first: ts_rank's sum then reduces to each
    occurrence's weight over its place squared, divided by the limit of that series.
    The terms' sum is divided by their number and by log2(1 + length). (A text of
    more than 16,383 terms differs: PostgreSQL stops counting positions there.)"""
    items = sorted(query.all_terms)
    rank = 0.0
    for item in items:
        for term in _terms_found(text, query, item):
            in_title, in_body = _kept(text.title.get(term, 0), text.body.get(term, 0))
            rank += (
                TITLE_OCCURRENCE * _DIMINISHING[in_title]
                + BODY_OCCURRENCE * (_DIMINISHING[in_title + in_body] - _DIMINISHING[in_title])
            ) / _LIMIT
    rank /= len(items)
    return rank / math.log2(text.length + 1) if text.length else rank


def rarity(count: int, size: float) -> float:
    """A word's inverse document frequency: in ``count`` of ``size`` texts. Never zero
    (unlike FTS5's BM25, which gives nothing to a word in half the texts)."""
    size = max(float(size), float(count), 1.0)
    return math.log(1 + (size - count + 0.5) / (count + 0.5))


def rank(query: QueryTerms, rows, size: float) -> list[RankedRow]:
    """Rows with ``id``, ``kind``, ``thread``, ``title_terms`` and ``body_terms``,
    scored and best first (then newest); ``size`` is the collection's, the rarity's denominator."""
    texts = [_read(row) for row in rows]
    found = [[_has(text, query, group) for group in query.groups] for text in texts]
    weights = [rarity(sum(column), size) for column in zip(*found)]
    ranked = [
        RankedRow(
            text.id,
            text.kind,
            ts_rank(text, query)
            * sum(weight for weight, matched in zip(weights, matches) if matched),
            text.thread,
        )
        for text, matches in zip(texts, found)
    ]
    ranked.sort(key=lambda row: (-row.score, -row.id))
    return ranked
