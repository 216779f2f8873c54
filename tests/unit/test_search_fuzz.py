"""Any string thrown at search: no error, on whichever database the run uses."""

from __future__ import annotations

import string

from flask_login import AnonymousUserMixin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.models import Visibility
from forum.services import answers
from forum.services.search import finder
from forum.services.search.terms import WORD, parse_query
from tests.factories import ask_question

VISITOR = AnonymousUserMixin()

# Engine syntax and control characters are drawn often, not left to chance.
SYNTAX = [
    '"',
    "'",
    "(",
    ")",
    "*",
    ":",
    "^",
    "-",
    "+",
    "&",
    "|",
    "!",
    "<->",
    "{",
    "}",
    "\\",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    ":*",
    "title_terms",
    "\x00",
    "\x01",
    "\x1f",
    "\x7f",
    "\u200b",
    "\u202e",
    "\ufeff",
    "😀",
    "🇮🇹",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "日本",
    "%",
    "_",
]
queries = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.one_of(st.sampled_from(SYNTAX), st.text(string.ascii_letters, max_size=8)), max_size=40
    ).map(" ".join),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=4)), max_size=60).map("".join),
)
fuzz = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@fuzz
@given(query=queries)
def test_search_and_suggest_take_any_string(people, query):
    if not hasattr(people, "_seeded"):
        # The content is read-only for every example: built once per test.
        question = ask_question(
            people.asker,
            title="Ethics committee (opinion) NEAR: fees?",
            body='Study "AND" *data* 日本 ß é',
            visibility=Visibility.PUBLIC,
        )
        answers.post_answer(question, people.expert, "An answer: OR NOT (x) * y")
        ask_question(
            people.asker, title="Hidden confidential ethics", visibility=Visibility.CONFIDENTIAL
        )
        people._seeded = True
    results = finder.search(VISITOR, query)
    assert results.total == len(results.hits) <= 2
    assert all("confidential" not in hit.title.lower() for hit in results.hits)
    assert len(finder.suggest(VISITOR, query)) <= 1
    assert len(finder.suggest(people.asker, query)) <= 2


@fuzz
@given(query=queries)
def test_query_terms_never_carry_engine_syntax(app, query):
    terms = parse_query(query, prefix_last=True)
    for group in terms.groups:
        assert group and all(WORD.fullmatch(term) for term in group)
