"""A question list read as ordered reads merged (services/questions.py ``_listed``): the same
rows as the plain one-condition query (``visible_questions_clause``) for every kind of reader,
filter, sort and page, and plans that walk an index instead of sorting every question."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import insert, select, text

from forum.extensions import db
from forum.models import (
    DevelopmentStage,
    DeviceClass,
    ModerationState,
    Question,
    QuestionStatus,
    Role,
    User,
    Visibility,
)
from forum.models.columns import utcnow
from forum.permissions import can_see_question, visible_questions_clause, visible_questions_parts
from forum.services import questions
from forum.services.questions import QuestionFilters, QuestionSort
from tests.factories import ask_question

TOPICS = ("regulatory-pathway", "ethics-committee")
PER_PAGE = 4


@pytest.fixture
def readers(make_user) -> dict:
    """A visitor, two members, an expert and an admin; the first member and the expert have
    public, confidential and hidden questions of their own, the other member none."""
    return {
        "visitor": AnonymousUserMixin(),
        "member": make_user(),
        "member without questions": make_user(),
        "expert": make_user(Role.EXPERT),
        "admin": make_user(Role.ADMIN),
    }


@pytest.fixture
def scattered(readers, make_user) -> None:
    """Thirty-odd questions of every visibility, moderation state, status, class, stage and
    topic, asked at times with ties (so the id breaks them) by the readers and others."""
    rng = random.Random(28)
    authors = [readers["member"], readers["expert"], make_user(), make_user()]
    now = utcnow()
    for number in range(34):
        question = ask_question(
            rng.choice(authors),
            title=f"Question number {number} on a device's first study",
            visibility=rng.choice([Visibility.PUBLIC] * 3 + [Visibility.CONFIDENTIAL]),
            topics=tuple(rng.sample(TOPICS, rng.randint(1, 2))),
        )
        question.created_at = now - timedelta(hours=rng.randrange(12))  # ties on purpose
        question.last_activity_at = question.created_at + timedelta(hours=rng.randrange(6))
        question.answer_count = rng.choice([0, 0, 1, 3])
        question.status = rng.choice(list(QuestionStatus))
        question.device_class = rng.choice([DeviceClass.CLASS_IIB, DeviceClass.CLASS_III])
        question.stage = rng.choice([DevelopmentStage.PROTOTYPE, DevelopmentStage.CONCEPT])
        question.moderation_state = rng.choice(
            [None] * 4 + [ModerationState.HIDDEN, ModerationState.HELD, ModerationState.REMOVED]
        )
    db.session.commit()
    own = {
        (question.visibility, question.is_hidden)
        for question in db.session.scalars(
            select(Question).where(Question.author_id == readers["member"].id)
        )
    }
    assert {(Visibility.PUBLIC, False), (Visibility.CONFIDENTIAL, False)} <= own
    assert any(hidden for _, hidden in own)


FILTERS = [
    QuestionFilters(),
    QuestionFilters(topic_slug="ethics-committee"),
    QuestionFilters(status=QuestionStatus.OPEN),
    QuestionFilters(unanswered=True),
    QuestionFilters(device_class=DeviceClass.CLASS_III),
    QuestionFilters(stage=DevelopmentStage.CONCEPT),
    QuestionFilters(mine=True),
    QuestionFilters(topic_slug="regulatory-pathway", device_class=DeviceClass.CLASS_IIB),
]


def _reference(reader, filters: QuestionFilters) -> list[int]:
    """The list as the plain one-condition query gives it, filtered and sorted in Python."""
    visible = db.session.scalars(select(Question).where(visible_questions_clause(reader))).all()
    assert all(can_see_question(reader, question) for question in visible)
    kept = [
        question
        for question in visible
        if (not filters.topic_slug or filters.topic_slug in {t.slug for t in question.topics})
        and filters.status in (None, question.status)
        and (not filters.unanswered or question.answer_count == 0)
        and filters.device_class in (None, question.device_class)
        and filters.stage in (None, question.stage)
        and (not filters.mine or question.author_id == getattr(reader, "id", None))
    ]
    if filters.sort == QuestionSort.ACTIVE:
        kept.sort(key=lambda q: (q.last_activity_at, q.id), reverse=True)
    else:
        kept.sort(key=lambda q: (q.created_at, q.id), reverse=True)
        if filters.sort == QuestionSort.UNANSWERED:
            kept.sort(key=lambda q: q.answer_count != 0)  # stable: newest within each
    return [question.id for question in kept]


@pytest.mark.parametrize("sort", list(QuestionSort))
@pytest.mark.parametrize(
    "reader_name", ["visitor", "member", "member without questions", "expert", "admin"]
)
def test_every_page_of_the_merged_read_is_the_plain_querys(readers, scattered, reader_name, sort):
    reader = readers[reader_name]
    for base in FILTERS:
        filters = QuestionFilters(**{**base.__dict__, "sort": sort})
        expected = _reference(reader, filters)
        listed, page = [], 1
        while True:
            rows = questions.question_list_page(reader, filters, page, PER_PAGE)
            listed += [question.id for question in rows.items]
            assert rows.has_next == (len(expected) > page * PER_PAGE), filters
            if not rows.has_next:
                break
            page += 1
        assert listed == expected, filters
        assert [q.id for q in questions.list_questions(reader, filters, 1, 100).items] == expected
        assert questions.list_questions(reader, filters, 1, 100).total == len(expected)
    home = [question.id for question in questions.recent_questions(reader, 8)]
    assert home == _reference(reader, QuestionFilters())[:8]


@pytest.mark.parametrize(
    "reader_name", ["visitor", "member", "member without questions", "expert", "admin"]
)
def test_the_parts_are_disjoint_and_make_the_visible_questions(readers, scattered, reader_name):
    reader = readers[reader_name]
    parts = [
        set(db.session.scalars(select(Question.id).where(part)))
        for part in visible_questions_parts(reader)
    ]
    assert sum(len(part) for part in parts) == len(set().union(*parts))
    assert set().union(*parts) == set(
        db.session.scalars(select(Question.id).where(visible_questions_clause(reader)))
    )
    counts = questions.count_visible_questions(reader)
    for status in QuestionStatus:
        assert counts[status] == len(
            [
                question_id
                for question_id in set().union(*parts)
                if db.session.get(Question, question_id).status == status
            ]
        )


# --- the plans --------------------------------------------------------------------------


@pytest.fixture
def many_questions(readers) -> None:
    """20,000 questions (a tenth of them confidential, one in fifty hidden) by a hundred
    members, thirty of them the member's, inserted in bulk."""
    db.session.execute(
        insert(User.__table__),
        [
            {
                "email": f"bulk{number}@example.org",
                "display_name": f"Bulk member {number}",
                "password_hash": "-",
                "session_token": f"bulk{number}",
                "role": Role.MEMBER,
            }
            for number in range(99)
        ],
    )
    others = list(db.session.scalars(select(User.id).where(User.email.like("bulk%"))))
    member_id = readers["member"].id
    now = utcnow()
    rows = [
        {
            "id": number + 1,
            "author_id": member_id if number % 666 == 0 else others[number % 99],
            "title": f"Bulk question {number}",
            "body": "A question inserted in bulk for the planner.",
            "device_class": DeviceClass.CLASS_IIB,
            "stage": DevelopmentStage.PROTOTYPE,
            "visibility": Visibility.CONFIDENTIAL if number % 10 == 0 else Visibility.PUBLIC,
            "moderation_state": ModerationState.HIDDEN if number % 50 == 7 else None,
            "status": QuestionStatus.OPEN,
            "answer_count": number % 3,
            "created_at": now - timedelta(minutes=number),
            "updated_at": now - timedelta(minutes=number),
            "last_activity_at": now - timedelta(minutes=number // 2),
        }
        for number in range(20_000)
    ]
    db.session.execute(insert(Question.__table__), rows)
    db.session.commit()


def _with_and_without_statistics():
    """SQLite's plans as deployed (the forum never runs ANALYZE there: no statistics), then
    with statistics; PostgreSQL's with them (autovacuum gathers them)."""
    if db.engine.dialect.name != "postgresql":
        yield "without statistics"
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    yield "with statistics"


def _plan_of_first_statement(count_queries, read) -> str:
    read()  # the reader's attributes loaded, so the list's statement comes first
    with count_queries() as statements:
        read()
    statement, parameters = statements[0], statements.parameters[0]
    postgres = db.engine.dialect.name == "postgresql"
    prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
    rows = db.session.connection().exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join(" | ".join(str(value) for value in row) for row in rows)


def _assert_walks_indexes(plan: str, statistics: str) -> None:
    if db.engine.dialect.name == "postgresql":
        assert "Seq Scan on question" not in plan, plan
        # A Merge Append names its sort key too; a sort is a Sort node. The planner may sort
        # the reader's own few questions (by author_id) rather than walk their index in
        # order, never the list.
        lines = plan.splitlines()
        for number, line in enumerate(lines):
            if re.match(r"\s*(->  )?Sort  \(", line):  # a node, not a Merge Append's key
                assert "author_id = " in "\n".join(lines[number : number + 8]), plan
        assert "Index Scan" in plan or "Index Only Scan" in plan, plan
    else:
        assert "TEMP B-TREE" not in plan, (statistics, plan)
        assert "SCAN question\n" not in plan + "\n", (statistics, plan)  # the table itself
        assert "question USING INDEX" in plan, (statistics, plan)


@pytest.mark.parametrize("reader_name", ["visitor", "member", "expert", "admin"])
def test_the_newest_first_list_and_home_page_walk_an_index_instead_of_sorting(
    readers, many_questions, count_queries, reader_name
):
    reader = readers[reader_name]
    reads = [
        lambda: questions.question_list_page(reader, QuestionFilters(), 1, 20),
        lambda: questions.question_list_page(reader, QuestionFilters(), 5, 20),
        lambda: questions.recent_questions(reader, 8),
    ]
    if reader.is_authenticated:  # a visitor has no questions of their own: WHERE false
        reads.append(
            lambda: questions.question_list_page(reader, QuestionFilters(mine=True), 1, 20)
        )
    for statistics in _with_and_without_statistics():
        for read in reads:
            _assert_walks_indexes(_plan_of_first_statement(count_queries, read), statistics)


@pytest.mark.parametrize("reader_name", ["visitor", "member", "expert", "admin"])
def test_the_recently_active_list_walks_the_activity_index(
    readers, many_questions, count_queries, reader_name
):
    for statistics in _with_and_without_statistics():
        plan = _plan_of_first_statement(
            count_queries,
            lambda: questions.question_list_page(
                readers[reader_name], QuestionFilters(sort=QuestionSort.ACTIVE), 1, 20
            ),
        )
        assert "ix_question_last_activity_at_id" in plan, (statistics, plan)
        assert "Seq Scan on question" not in plan, plan


@pytest.mark.parametrize("reader_name", ["visitor", "member", "expert", "admin"])
def test_the_home_pages_counts_read_the_covering_index_on_sqlite(
    readers, many_questions, count_queries, reader_name
):
    """Grouped by status alone, an expert's count walked the status index and read every row
    for its moderation condition. (PostgreSQL chooses between an index-only and a sequential
    scan by the visibility map, which a test's fresh table lacks: there only the status
    index's walk is ruled out.)"""
    plan = _plan_of_first_statement(
        count_queries, lambda: questions.count_visible_questions(readers[reader_name])
    )
    assert "ix_question_status_created_at" not in plan, plan
    if db.engine.dialect.name == "sqlite":
        assert "question USING COVERING INDEX ix_question_visibility_status_moderation" in plan, (
            plan
        )
