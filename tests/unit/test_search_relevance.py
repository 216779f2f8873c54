"""Search relevance on the demo centre: queries as members type them, each with the one
item it must bring into the top three.

The queries paraphrase; none copies a title. Some are in Italian, as the centre's
members often write, against the demo's English texts. The searcher is a visitor,
so only public texts count. The hit rate is printed (run with -s) and must be 100%;
README.md states it. A thread is one result, shown as its best-matching part (an FAQ
entry drawn from it is one of its parts): an item counts as found when its thread is.
"""

from __future__ import annotations

from flask_login import AnonymousUserMixin
from sqlalchemy import select

from forum.demo.search_queries import RELEVANCE_SET
from forum.demo.seed import seed_demo
from forum.extensions import db
from forum.models import Answer, BoardAnswer, FaqEntry, GuideSection, Question
from forum.services.search import finder

TOP = 3


def _identify(kind: str, key: str) -> tuple[str, int]:
    if kind == "question":
        found = db.session.scalar(select(Question.id).where(Question.title.startswith(key)))
    elif kind == "faq":
        found = db.session.scalar(select(FaqEntry.id).where(FaqEntry.question_text.startswith(key)))
    else:
        found = db.session.scalar(select(GuideSection.id).where(GuideSection.anchor == key))
    assert found is not None, f"the demo has no {kind} {key!r}"
    return kind, found


def _thread(kind: str, object_id: int, question_id: int | None = None) -> tuple[str, int]:
    """The result an item is listed under: its question's thread (an FAQ entry's is
    the thread it was drawn from, if any), or itself."""
    if kind == "faq":
        entry = db.session.get(FaqEntry, object_id)
        source = (
            db.session.get(Answer, entry.source_answer_id)
            if entry.source_answer_id
            else db.session.get(BoardAnswer, entry.source_board_answer_id)
            if entry.source_board_answer_id
            else None
        )
        question_id = source.question_id if source is not None else None
    elif kind == "question":
        question_id = object_id
    return ("thread", question_id) if question_id is not None else (kind, object_id)


def test_the_relevance_set_is_varied_enough():
    queries = [query for query, _item in RELEVANCE_SET]
    assert len(queries) >= 30 and len(set(queries)) == len(queries)
    assert sum(1 for _query, (kind, _key) in RELEVANCE_SET if kind == "guide") >= 5


def test_every_query_finds_its_item_in_the_top_three(app):
    seed_demo()
    visitor = AnonymousUserMixin()
    misses = []
    for query, (kind, key) in RELEVANCE_SET:
        wanted = _thread(*_identify(kind, key))
        hits = finder.search(visitor, query, per_page=TOP).hits
        top = [_thread(hit.kind, hit.object_id, hit.question_id) for hit in hits]
        if wanted not in top:
            misses.append(
                f"{query!r}: wanted {kind} {key!r}, got "
                + "; ".join(f"{hit.kind} {hit.title[:50]!r}" for hit in hits)
            )
    found = len(RELEVANCE_SET) - len(misses)
    print(
        f"\nRelevance set ({db.engine.dialect.name}): {len(RELEVANCE_SET)} queries, "
        f"{found} found in the top {TOP} ({found / len(RELEVANCE_SET):.0%})."
    )
    assert not misses, "\n".join(misses)
