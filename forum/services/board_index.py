"""Finding the board's work: board answers listed by state (/board), and the drafts on
questions in an expert's topics (the dashboard).

Every list holds only board answers on questions the reader may open
(``visible_questions_clause``, the rule of ``can_see_question``): the board sees
confidential questions, nobody but the admins and the asker sees a hidden one.
Each loads in a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    BoardAnswer,
    BoardAnswerStatus,
    Question,
    Stance,
    User,
    question_topic,
    topic_follow,
)
from forum.permissions import visible_questions_clause

BOARD_PAGE_SIZE = 25

# The order of the states on the page: the work still to do first.
STATES = (
    BoardAnswerStatus.DRAFTING,
    BoardAnswerStatus.IN_REVIEW,
    BoardAnswerStatus.PUBLISHED,
    BoardAnswerStatus.WITHDRAWN,
)


def _visible(viewer: User):
    return (
        select(BoardAnswer)
        .join(Question, Question.id == BoardAnswer.question_id)
        .where(visible_questions_clause(viewer))
    )


def _with_rows_parts(statement):
    # What a row shows: the question and its topics, and the stances with their experts
    # (whether a stance still counts reads the expert's account).
    return statement.options(
        selectinload(BoardAnswer.question).selectinload(Question.topics),
        selectinload(BoardAnswer.stances).selectinload(Stance.expert),
    )


def counts_by_state(viewer: User) -> dict[BoardAnswerStatus, int]:
    """How many board answers the viewer may see in each state (one query)."""
    counts = dict.fromkeys(STATES, 0)
    rows = db.session.execute(
        select(BoardAnswer.status, func.count())
        .join(Question, Question.id == BoardAnswer.question_id)
        .where(visible_questions_clause(viewer))
        .group_by(BoardAnswer.status)
    )
    for status, count in rows:
        counts[BoardAnswerStatus(status)] = count
    return counts


def board_answers(
    viewer: User,
    state: BoardAnswerStatus | None,
    page: int,
    per_page: int = BOARD_PAGE_SIZE,
) -> Pagination:
    """One page of the board answers the viewer may see, in ``state`` (None: every state),
    the most recently changed first."""
    statement = _visible(viewer)
    if state is not None:
        statement = statement.where(BoardAnswer.status == state)
    statement = _with_rows_parts(statement).order_by(
        BoardAnswer.updated_at.desc(), BoardAnswer.id.desc()
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def drafts_in_topics(expert: User, limit: int = 50) -> list[BoardAnswer]:
    """Board answers not yet published (drafting or in review) on questions filed under a
    topic the expert follows, the most recently changed first."""
    followed = (
        select(question_topic.c.question_id)
        .join(topic_follow, topic_follow.c.topic_id == question_topic.c.topic_id)
        .where(topic_follow.c.user_id == expert.id)
    )
    statement = (
        _visible(expert)
        .where(
            or_(
                BoardAnswer.status == BoardAnswerStatus.DRAFTING,
                BoardAnswer.status == BoardAnswerStatus.IN_REVIEW,
            ),
            BoardAnswer.question_id.in_(followed),
        )
        .order_by(BoardAnswer.updated_at.desc(), BoardAnswer.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(_with_rows_parts(statement)))
