"""A question's page is kept under its own thread's generation (issue 28): a write in one
thread retires that question's page and the lists, and leaves every other question's page
cached; a write whose threads the session cannot tell retires them all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, update

from forum.extensions import db
from forum.models import (
    Answer,
    FlagReason,
    Question,
    StanceKind,
    Topic,
    User,
    Visibility,
)
from forum.models.content_areas import AREAS, THREADS
from forum.models.generation import in_threads, page_generations
from forum.models.thread_links import THREAD_LINKS, THREAD_TABLES
from forum.services import answers, board, board_stances, invitations, moderation, questions
from forum.services.moderation import Action
from forum.services.questions import QuestionDraft
from forum.web.infra.page_cache import cached_page
from tests.factories import ask_question, topic_id
from tests.fixtures.files import attach, png
from tests.web.test_page_cache import _page_queries, _warm
from tests.web.test_page_generations import _signed_in

BEFORE_THIS_MIGRATION = "c3e7a9d1f5b2"
# Keys between two tables of a thread that THREAD_LINKS does not follow, each between
# rows of one thread by a rule the services keep: a question's accepted answer is one of
# its answers; a stance is on a revision of its own board answer.
SAME_THREAD_KEYS = {
    ("question", "accepted_answer_id"),
    ("stance", "revision_id"),
    ("comment", "answer_id"),  # a comment on an answer carries its question's id too
}


@dataclass
class Threads:
    question: Question  # the thread written in
    answer: Answer  # its answer
    other: Question  # a thread nobody writes in


@pytest.fixture
def threads(app, people) -> Threads:
    question = ask_question(people.asker, title="Which notified body for a class III pilot?")
    answer = answers.post_answer(question, people.expert, "One designated for your codes.")
    other = ask_question(people.other, title="Do we need insurance for a usability study?")
    return Threads(question, answer, other)


def _generations(question_id: int):
    return page_generations(None, question_id)


def _served_from_cache(browser, url: str, count_queries) -> bool:
    with count_queries() as statements:
        assert browser.get(url).status_code == 200
    return not _page_queries(statements)


# --- each kind of write moves its own thread -------------------------------------------
# Each case prepares what it needs (committed), then returns the write it is about.


def _answer(world: Threads, people):
    return lambda: answers.post_answer(world.question, people.clinical, "Ask the chair.")


def _comment_on_the_question(world: Threads, people):
    return lambda: answers.post_comment(world.question, people.asker, "Class III, yes.")


def _comment_on_an_answer(world: Threads, people):
    return lambda: answers.post_comment(
        world.question, people.asker, "Which codes?", answer=world.answer
    )


def _question_edited(world: Threads, people):
    draft = QuestionDraft(
        title="Which notified body for a class III pilot study?",
        body="We plan a first-in-human pilot of an implant.",
        topic_ids=[topic_id()],
        device_class=world.question.device_class,
        stage=world.question.stage,
        visibility=Visibility.PUBLIC,
    )
    return lambda: questions.edit(world.question, people.asker, draft)


def _answer_edited(world: Threads, people):
    return lambda: answers.edit_answer(world.answer, people.expert, "One designated, early.")


def _helpful_mark(world: Threads, people):
    return lambda: answers.set_helpful(world.answer, people.other, True)


def _helpful_mark_taken_back(world: Threads, people):
    answers.set_helpful(world.answer, people.other, True)
    return lambda: answers.set_helpful(world.answer, people.other, False)


def _answer_accepted(world: Threads, people):
    return lambda: answers.accept_answer(world.question, world.answer, people.asker)


def _board_answer_published(world: Threads, people):
    board_answer = board.open_board_answer(world.question, people.expert, "The board: early.")
    board.submit_for_review(board_answer, people.expert)
    for expert in people.board:
        board_stances.record_stance(board_answer, expert, StanceKind.ENDORSE, revision_number=1)
    return lambda: board.publish(board_answer, people.chair)


def _board_answer_revised(world: Threads, people):
    board_answer = board.open_board_answer(world.question, people.expert, "A first draft.")
    return lambda: board.revise(
        board_answer, people.expert, "A second draft.", base_number=board_answer.current_number
    )


def _stance(world: Threads, people):
    board_answer = board.open_board_answer(world.question, people.expert, "A first draft.")
    board.submit_for_review(board_answer, people.expert)
    return lambda: board_stances.record_stance(
        board_answer, people.chair, StanceKind.ENDORSE, revision_number=1
    )


def _answer_hidden(world: Threads, people):
    return lambda: moderation.act(people.admin, world.answer, Action.HIDE, "Off topic.")


def _answer_removed(world: Threads, people):
    return lambda: moderation.act(people.admin, world.answer, Action.REMOVE, "Advertising.")


def _question_locked(world: Threads, people):
    return lambda: moderation.act(people.admin, world.question, Action.LOCK, "Settled.")


def _flagged(world: Threads, people):
    return lambda: moderation.flag(people.other, world.answer, FlagReason.SPAM)


def _file_attached(world: Threads, people):
    return lambda: attach(world.answer, people.expert, png(), "figure.png")


def _file_removed(world: Threads, people):
    row = attach(world.answer, people.expert, png(), "figure.png")
    body = world.answer.body
    return lambda: answers.edit_answer(world.answer, people.expert, body, removed_ids=[row.id])


def _expert_invited(world: Threads, people):
    return lambda: invitations.invite(world.question, people.clinical, people.admin)


def _topics_changed(world: Threads, people):
    def write():
        world.question.topics = [db.session.get(Topic, topic_id("ethics-committee"))]
        db.session.commit()

    return write


def _made_confidential(world: Threads, people):
    def write():
        world.question.visibility = Visibility.CONFIDENTIAL
        db.session.commit()

    return write


WRITES = [
    _answer,
    _comment_on_the_question,
    _comment_on_an_answer,
    _question_edited,
    _answer_edited,
    _helpful_mark,
    _helpful_mark_taken_back,
    _answer_accepted,
    _board_answer_published,
    _board_answer_revised,
    _stance,
    _answer_hidden,
    _answer_removed,
    _question_locked,
    _flagged,
    _file_attached,
    _file_removed,
    _expert_invited,
    _topics_changed,
    _made_confidential,
]


@pytest.mark.parametrize("prepare", WRITES, ids=lambda case: case.__name__.strip("_"))
def test_each_kind_of_write_moves_its_own_thread_and_no_other(app, people, threads, prepare):
    write = prepare(threads, people)
    before = _generations(threads.question.id), _generations(threads.other.id)
    write()
    after = _generations(threads.question.id), _generations(threads.other.id)
    assert after[0].thread == before[0].thread + 1  # one bump per commit
    assert after[1].thread == before[1].thread  # the other question's page stays
    assert after[0].areas.get(THREADS, 0) == before[0].areas.get(THREADS, 0)
    assert after[0].areas["questions"] > before[0].areas["questions"]  # the lists go


def test_every_table_of_a_thread_names_its_thread():
    """A table added to the threads' area must say how its rows name their thread, and
    a key between two tables of a thread must stay in one thread (the deletion of a
    thread's row retires its own thread for the rows it cascades to)."""
    assert THREAD_TABLES == AREAS["questions"]
    assert THREAD_LINKS.keys() == THREAD_TABLES - {"question_topic"}
    unfollowed: list[str] = []
    for name in THREAD_TABLES:
        table = db.metadata.tables[name]
        followed = {column for column, _target in THREAD_LINKS.get(name, ())}
        unfollowed.extend(
            f"{name}.{key.parent.name} -> {key.column.table.name}"
            for key in table.foreign_keys
            if key.column.table.name in THREAD_TABLES
            and name != "question_topic"
            and key.parent.name not in followed
            and (name, key.parent.name) not in SAME_THREAD_KEYS
        )
    assert not unfollowed
    # Nor does a deletion leave the threads and come back: no table of a thread keys a
    # row that the database deletes along with a thread's row.
    outside = set().union(*(_deleted_along_with(name) for name in THREAD_TABLES)) - THREAD_TABLES
    assert outside, "the database deletes no row outside the threads with them?"
    assert not [
        f"{name}.{key.parent.name}"
        for name in THREAD_TABLES
        for key in db.metadata.tables[name].foreign_keys
        if key.column.table.name in outside
    ]


def _deleted_along_with(table: str) -> set[str]:
    """The tables whose rows the database deletes with a row of ``table`` (ON DELETE
    CASCADE, followed)."""
    reached: set[str] = set()
    parents = [table]
    while parents:
        parent = parents.pop()
        for child in db.metadata.tables.values():
            if child.name not in reached and any(
                key.ondelete == "CASCADE" and key.column.table.name == parent
                for key in child.foreign_keys
            ):
                reached.add(child.name)
                parents.append(child.name)
    return reached


# --- what a cached question page costs and when it goes ---------------------------------


def test_an_answer_on_one_question_leaves_the_other_questions_pages_cached(
    app, people, threads, count_queries
):
    written, untouched = f"/questions/{threads.question.id}", f"/questions/{threads.other.id}"
    visitor, member = app.test_client(), _signed_in(app, people.clinical)
    for browser in (visitor, member):
        for page in (written, untouched, "/questions", "/"):
            _warm(browser, page, count_queries)

    answers.post_answer(threads.question, people.chair, "Ask the notified body in writing.")

    for browser in (visitor, member):
        assert _served_from_cache(browser, untouched, count_queries)
        assert not _served_from_cache(browser, written, count_queries)
        assert "in writing" in browser.get(written).get_data(as_text=True)
        for page in ("/questions", "/"):  # their counts and last activity moved
            assert not _served_from_cache(browser, page, count_queries), page


def test_a_cached_question_page_runs_one_query(app, people, threads, count_queries):
    """The thread's generation is read with the others: no query of its own."""
    url = f"/questions/{threads.question.id}"
    for browser in (app.test_client(), _signed_in(app, people.clinical)):
        _warm(browser, url, count_queries)
        with count_queries() as statements:
            assert "class III pilot" in browser.get(url).get_data(as_text=True)
        assert len(statements) == 1
        assert "thread_generation" in statements[0] and "area_generation" in statements[0]


def test_a_member_sees_their_own_comment_at_once(app, people, threads, count_queries):
    """Read-your-writes: the comment commits with its thread's bump, so the redirect's
    page is rendered afresh, never the copy kept before it."""
    url = f"/questions/{threads.question.id}"
    asker = _signed_in(app, people.asker)
    _warm(asker, url, count_queries)
    posted = asker.post(f"{url}/comments", data={"body": "It is an implant.", "language": "en"})
    assert posted.status_code in (302, 303)
    assert "It is an implant." in asker.get(posted.location).get_data(as_text=True)
    assert "It is an implant." in asker.get(url).get_data(as_text=True)


def test_a_question_made_confidential_or_deleted_leaves_its_page_at_once(
    app, people, threads, count_queries
):
    confidential, deleted = threads.question, ask_question(people.asker, title="A third one?")
    urls = [f"/questions/{question.id}" for question in (confidential, deleted, threads.other)]
    visitor = app.test_client()
    for url in urls:
        _warm(visitor, url, count_queries)

    confidential.visibility = Visibility.CONFIDENTIAL
    db.session.commit()
    assert visitor.get(urls[0]).status_code == 404
    assert _served_from_cache(visitor, urls[1], count_queries)
    assert _served_from_cache(visitor, urls[2], count_queries)

    # Its notifications go with it (rows of no area): every page is retired.
    db.session.delete(db.session.get(Question, deleted.id))
    db.session.commit()
    assert visitor.get(urls[1]).status_code == 404


def test_a_write_across_threads_retires_every_question_page(app, people, threads, count_queries):
    """A bulk statement whose threads are not named, and a change no area claims (a
    topic renamed), retire every question's page; a bulk statement given its threads
    retires those only."""
    urls = [f"/questions/{question.id}" for question in (threads.question, threads.other)]
    visitor = app.test_client()

    def cached() -> list[bool]:
        return [_served_from_cache(visitor, url, count_queries) for url in urls]

    for url in urls:
        _warm(visitor, url, count_queries)
    db.session.execute(update(Question).values(last_activity_at=Question.created_at))
    db.session.commit()
    assert cached() == [False, False]

    assert cached() == [True, True]
    db.session.execute(
        in_threads(
            update(Question)
            .where(Question.id == threads.other.id)
            .values(last_activity_at=Question.created_at),
            threads.other.id,
        )
    )
    db.session.commit()
    assert cached() == [True, False]

    cached()
    topic = db.session.get(Topic, topic_id())
    topic.name = topic.name + " (renamed)"
    db.session.commit()
    assert cached() == [False, False]


def test_a_row_whose_thread_is_not_loaded_is_placed_at_commit(app, people, threads, count_queries):
    """An answer changed without being read (its columns expired by an earlier commit)
    names no thread the flush can read: one query at commit finds it."""
    before = _generations(threads.question.id), _generations(threads.other.id)
    answer = db.session.get(Answer, threads.answer.id)
    db.session.expire(answer)
    answer.helpful_count = 3  # set without loading the row: question_id is unknown
    assert "question_id" not in inspect(answer).dict
    with count_queries() as statements:
        db.session.commit()
    after = _generations(threads.question.id), _generations(threads.other.id)
    assert [statement for statement in statements if "FROM answer" in statement]
    assert after[0].thread == before[0].thread + 1
    assert after[1].thread == before[1].thread
    assert after[0].areas.get(THREADS, 0) == before[0].areas.get(THREADS, 0)


def test_a_page_of_one_thread_may_not_declare_the_questions_area():
    with pytest.raises(ValueError, match="kept under its thread"):
        cached_page(areas=("questions",), thread="question_id")(lambda question_id: "")


def test_the_migration_adds_the_thread_generations_and_its_downgrade_drops_them(app, people):
    asker_id = people.asker.id
    db.session.remove()
    downgrade(revision=BEFORE_THIS_MIGRATION)
    try:
        assert "thread_generation" not in inspect(db.engine).get_table_names()
        upgrade()
        question = ask_question(db.session.get(User, asker_id))
        assert _generations(question.id).thread == 1
        assert _generations(question.id + 1).thread == 0  # no row: 0
    finally:
        db.session.remove()
        upgrade()
