"""The migration that adds question.last_activity_at fills it from what already happened: the
question's last edit, its answers' posts and edits, its board answers' publications."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from forum.extensions import db
from forum.models import Question
from forum.services import answers
from tests.factories import ask_question, published_board_answer

BEFORE = "7b2d9e4c1a85"  # the migration's down_revision


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 9, 30, tzinfo=UTC)


def test_the_migration_back_fills_the_latest_activity_of_each_question(app, people):
    quiet = ask_question(people.asker, title="Asked and edited, never answered, in November")
    quiet.created_at, quiet.updated_at = at(1), at(3)

    answered = ask_question(people.asker, title="Answered, and the answer edited later on")
    answered.created_at = answered.updated_at = at(2)
    first = answers.post_answer(answered, people.expert, "Twenty to thirty patients.")
    second = answers.post_answer(answered, people.clinical, "Thirty, for a pilot study.")
    first.created_at, first.updated_at = at(4), at(9)  # edited last
    second.created_at = second.updated_at = at(6)

    boarded = ask_question(people.asker, title="Answered by the board after an expert")
    boarded.created_at = boarded.updated_at = at(2)
    expert_answer = answers.post_answer(boarded, people.expert, "Ask the notified body.")
    expert_answer.created_at = expert_answer.updated_at = at(5)
    board_answer = published_board_answer(boarded, people.board, "The board's view, in full.")
    board_answer.published_at = at(12)
    db.session.commit()
    expected = {quiet.id: at(3), answered.id: at(9), boarded.id: at(12)}
    db.session.remove()

    downgrade(revision=BEFORE)
    upgrade()

    found = dict(db.session.execute(select(Question.id, Question.last_activity_at)).all())
    assert found == expected
