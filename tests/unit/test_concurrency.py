"""Writers racing each other for real: threads with connections of their own, started
together by a barrier, against the suite's file SQLite database or its PostgreSQL one.

Each test repeats its race a few times, because one lucky interleaving proves little;
before the fixes these tests failed on every run (issue 20, findings 5, 6, 17 and 18f).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from email import message_from_bytes

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from forum.demo.accounts import DEMO_ACCOUNTS
from forum.demo.moderation import DEMO_MODERATION_QUESTIONS
from forum.demo.questions import DEMO_QUESTIONS
from forum.demo.seed import seed_demo
from forum.extensions import db
from forum.models import Answer, HelpfulMark, OutboxMessage, OutboxStatus, Question, Role, User
from forum.services import answers
from forum.services.mail import outbox
from tests.factories import ask_question
from tests.unit.test_outbox import Recorder, SmtpServer, free_port

ANSWER = "Under MDR Art. 70 the Member State validates the application within 10 days."
ROUNDS = 3
WRITERS = 8
# Generous: a writer waits at most for the others' transactions (SQLite's busy timeout
# is 5 s); a thread still running after this is a hang, reported as a failure.
JOIN_SECONDS = 60
LOCK_WAIT_SECONDS = 1.0


def run_together(app, count: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(0) .. work(count - 1)`` in threads released together, each in its own
    app context (hence its own database session and connection); the results in order.

    An exception raised by any of them is re-raised here, after all have finished.
    """
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=JOIN_SECONDS)
                results[index] = work(index)
            except BaseException as error:  # reported by the test's thread below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    if errors:
        raise errors[0]
    db.session.expire_all()
    return results


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


# --- finding 5: denormalised counters ------------------------------------------------


def test_experts_answering_one_question_at_once_are_all_counted(app, make_user):
    experts = [make_user(Role.EXPERT).id for _ in range(WRITERS)]
    for _ in range(ROUNDS):
        question_id = ask_question(make_user()).id

        def answer(index: int, question_id: int = question_id) -> None:
            question = db.session.get(Question, question_id)
            answers.post_answer(question, _user(experts[index]), ANSWER)

        run_together(app, WRITERS, answer)

        question = db.session.get(Question, question_id)
        stored = db.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.question_id == question_id)
        )
        assert (stored, question.answer_count) == (WRITERS, WRITERS)


def test_members_marking_one_answer_helpful_at_once_are_all_counted(app, make_user):
    members = [make_user().id for _ in range(WRITERS)]
    expert = make_user(Role.EXPERT)
    for _ in range(ROUNDS):
        answer_id = answers.post_answer(ask_question(make_user()), expert, ANSWER).id

        def mark(index: int, answer_id: int = answer_id) -> None:
            answers.set_helpful(db.session.get(Answer, answer_id), _user(members[index]), True)

        run_together(app, WRITERS, mark)
        assert db.session.get(Answer, answer_id).helpful_count == WRITERS

        # Half take their mark back while the other half click again: 4 remain.
        def undo_or_repeat(index: int, answer_id: int = answer_id) -> None:
            answers.set_helpful(
                db.session.get(Answer, answer_id), _user(members[index]), index % 2 == 0
            )

        run_together(app, WRITERS, undo_or_repeat)
        marks = db.session.scalar(
            select(func.count()).select_from(HelpfulMark).where(HelpfulMark.answer_id == answer_id)
        )
        assert (marks, db.session.get(Answer, answer_id).helpful_count) == (
            WRITERS // 2,
            WRITERS // 2,
        )


# --- finding 6: the double click -------------------------------------------------------


def test_one_member_clicking_helpful_many_times_at_once_gets_one_mark_and_no_error(app, make_user):
    member_id = make_user().id
    expert = make_user(Role.EXPERT)
    for _ in range(ROUNDS):
        answer_id = answers.post_answer(ask_question(make_user()), expert, ANSWER).id

        def click(_index: int, answer_id: int = answer_id) -> bool:
            return answers.set_helpful(db.session.get(Answer, answer_id), _user(member_id), True)

        changed = run_together(app, WRITERS, click)

        # Exactly one click marked it; every other one was told it was already marked.
        assert sorted(changed) == [False] * (WRITERS - 1) + [True]
        assert db.session.get(Answer, answer_id).helpful_count == 1


# --- finding 17: two outbox senders at once --------------------------------------------


class SlowCheckingRecorder(Recorder):
    """An SMTP server that takes its time over each message, so two senders overlap, and
    meanwhile checks from a connection of its own that the sender holds no lock."""

    def __init__(self, engine):
        super().__init__()
        self.engine = engine
        self.locked_while_sending = []

    async def handle_DATA(self, server, session, envelope):
        message_id = int(message_from_bytes(envelope.original_content)["Message-ID"].split(".")[1])
        if self.sender_holds_a_lock(message_id):
            self.locked_while_sending.append(message_id)
        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)

    def sender_holds_a_lock(self, message_id: int) -> bool:
        """PostgreSQL: the message's row is locked. SQLite: a write transaction is open
        (the only lock it has), so this connection cannot begin one.

        Waiting up to a second tells a lock held through this SMTP exchange (which
        waits for this very answer, so it is never released in time) from another
        sender's brief claim or outcome, committed within milliseconds.
        """
        if self.engine.dialect.name == "sqlite":
            probe = sqlite3.connect(
                self.engine.url.database, timeout=LOCK_WAIT_SECONDS, isolation_level=None
            )
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()
        with self.engine.connect() as connection:
            try:
                connection.exec_driver_sql(
                    f"SET LOCAL lock_timeout = '{int(LOCK_WAIT_SECONDS * 1000)}ms'"
                )
                connection.execute(
                    select(OutboxMessage.id).where(OutboxMessage.id == message_id).with_for_update()
                )
                return False
            except OperationalError:
                return True
            finally:
                connection.rollback()


def test_two_outbox_senders_at_once_send_each_message_once_holding_no_lock_meanwhile(app):
    recorder = SlowCheckingRecorder(db.engine)
    server = SmtpServer(free_port())
    server.handler = recorder
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=server.port,
        MAIL_TIMEOUT=5,
        MAIL_SECURITY="none",
        MAIL_USERNAME=None,
        MAIL_PASSWORD=None,
        MAIL_DEFAULT_SENDER="Forum <forum@ctcc.example>",
    )
    server.start()
    try:
        for _ in range(ROUNDS):
            recorder.received.clear()
            messages = [
                outbox.enqueue(f"reader{number}@example.org", "A new answer", "Hello.\n")
                for number in range(6)
            ]
            db.session.commit()
            ids = [message.id for message in messages]

            reports = run_together(app, 2, lambda _index: outbox.deliver_due())

            sent = sorted(int(message["Message-ID"].split(".")[1]) for message in recorder.messages)
            assert sent == ids  # each message once, none twice
            assert sum(report.sent for report in reports) == len(ids)
            assert set(
                db.session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(ids)))
            ) == {OutboxStatus.SENT}
        assert recorder.locked_while_sending == []
    finally:
        server.stop()


# --- finding 18f: two seed-demo runs at once --------------------------------------------


def test_two_seed_demo_runs_at_once_load_the_demo_once(app):
    reports = run_together(app, 2, lambda _index: seed_demo())

    titles = list(db.session.scalars(select(Question.title)))
    # Each once: the demo's threads, the moderators' adverts and the former member's two
    # questions (one erased, so under its tombstone title).
    assert len(titles) == len(DEMO_QUESTIONS) + DEMO_MODERATION_QUESTIONS + 2
    assert len(set(titles)) == len(titles) and {item["title"] for item in DEMO_QUESTIONS} <= set(
        titles
    )
    # The demo's accounts, and the former member's, deleted but kept as "Former member".
    assert db.session.scalar(select(func.count()).select_from(User)) == len(DEMO_ACCOUNTS) + 1
    # One run loaded everything; the other waited for it and found nothing missing.
    assert sorted(report.questions_created for report in reports) == [
        0,
        len(DEMO_QUESTIONS) + DEMO_MODERATION_QUESTIONS,
    ]
    assert sorted(report.users_created for report in reports) == [0, len(DEMO_ACCOUNTS)]
