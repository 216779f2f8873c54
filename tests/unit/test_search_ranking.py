"""The relevance score both engines give (forum/services/search/ranking.py): SQLite's,
computed in Python, must be PostgreSQL's ts_rank times the words' rarity."""

from __future__ import annotations

from collections import namedtuple

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.services.search import ranking as search_ranking
from forum.services.search.terms import QueryTerms

Row = namedtuple("Row", "id kind title_terms body_terms thread", defaults=(None,))

# (title terms, body terms, query groups, prefix, PostgreSQL's ts_rank with the
# forum's weights and normalisation 1, as PostgreSQL 15 computed it).
CASES = [
    (
        "ethic ethics committe opinion",
        "the ethic committe must give its opinion before the ministri ethic ethic",
        (("ethic",), ("ministri",), ("approv",)),
        None,
        0.06369212,
    ),
    (
        "",
        "notifi end trial stop early earli safeti safeti",
        (("stop",), ("earli",), ("safeti",), ("trial",)),
        None,
        0.04075318,
    ),
    (
        "knee knees prosthesi",
        "a knee implant kneecap",
        (("prosthesi",), ("kne",)),
        "kne",
        0.32929385,
    ),
    # Terms repeated beyond what a vector keeps (255 from one text, 256 joined).
    (
        "device " * 300,
        "device " * 10 + "trial",
        (("devic", "device"), ("trial",)),
        None,
        0.04656832,
    ),
    (
        "device trial",
        "device " * 300 + "other " * 400,
        (("devic", "device"), ("trial",)),
        None,
        0.04790335,
    ),
    ("device " * 100, "device " * 200, (("device",),), None, 0.12424853),
]


def _ts_rank_alone(title: str, body: str, query: QueryTerms) -> float:
    """The ts_rank part of the score: one text, so every word it has weighs the same
    known rarity, which is divided out."""
    [row] = search_ranking.rank(query, [Row(1, "question", title, body)], size=10)
    found = sum(
        1
        for group in query.groups
        if set(group) & set(f"{title} {body}".split())
        or (
            query.prefix in group
            and any(term.startswith(query.prefix) for term in f"{title} {body}".split())
        )
    )
    return row.score / (found * search_ranking.rarity(1, 10))


@pytest.mark.parametrize("title, body, groups, prefix, recorded", CASES)
def test_the_python_ts_rank_is_postgresqls(app, title, body, groups, prefix, recorded):
    """Against the value PostgreSQL gave; in the PostgreSQL run of the suite, also
    against the database's own ts_rank, asked now."""
    query = QueryTerms(groups, prefix)
    computed = _ts_rank_alone(title, body, query)
    assert computed == pytest.approx(recorded, rel=1e-6)
    if db.engine.dialect.name == "postgresql":
        tsquery = " | ".join(
            f"'{term}':*" if term == prefix else f"'{term}'" for term in sorted(query.all_terms)
        )
        live = db.session.scalar(
            text(
                "SELECT ts_rank('{0.05, 0.1, 0.2, 1.0}'::float4[], "
                "setweight(to_tsvector('simple', :title), 'A') "
                "|| setweight(to_tsvector('simple', :body), 'B'), "
                "to_tsquery('simple', :query), 1)"
            ),
            {"title": title, "body": body, "query": tsquery},
        )
        assert computed == pytest.approx(live, rel=1e-6)


def test_a_word_counts_once_whatever_its_stems_and_translations():
    """An Italian thread with the translation of one query word, and an English text
    with three of its words: the English text first. Per term (FTS5's BM25) the
    translation, rare in a mostly English forum, won."""
    query = QueryTerms((("investig", "indagin"), ("plan", "pian"), ("knee", "ginocchi")))
    italian = Row(1, "question", "indagin clinic", "indagin comit etic indagin")
    english = Row(
        2,
        "question",
        "investig plan orthopaed implant",
        "the investig plan for a knee prosthesi investig",
    )
    common = [Row(10 + n, "answer", "", "investig plan studi") for n in range(20)]
    ranked = search_ranking.rank(query, [italian, english, *common], size=40)
    assert [row.id for row in ranked][0] == 2
    assert ranked[-1].score > 0  # every matching text is listed, however common its words


def test_rarity_is_never_zero_and_falls_with_frequency():
    assert search_ranking.rarity(100, 100) > 0
    assert (
        search_ranking.rarity(1, 100)
        > search_ranking.rarity(50, 100)
        > search_ranking.rarity(100, 100)
    )
    assert search_ranking.rarity(5, 0) > 0  # an estimate of the size below the count
