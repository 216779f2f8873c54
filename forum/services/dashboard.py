"""The dashboard: the work waiting for experts (and admins), and the questions they may be invited to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    BoardAnswer,
    Invitation,
    Question,
    QuestionStatus,
    User,
    question_topic,
    topic_follow,
)
from forum.permissions import visible_questions_clause
from forum.services import board_index, board_stances

# The admin's overview lists only the longest waits and the latest invitations.
ADMIN_LIST_LIMIT = 50


@dataclass(frozen=True)
class WaitingQuestion:
    question: Question
    waiting: timedelta


@dataclass(frozen=True)
class Dashboard:
    """What waits for one expert (or, for an admin, for the whole board)."""

    open_questions: list[WaitingQuestion] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    awaiting_stance: list[BoardAnswer] = field(default_factory=list)
    drafts_in_topics: list[BoardAnswer] = field(default_factory=list)
    sent_invitations: list[Invitation] = field(default_factory=list)


def _open_questions(
    viewer: User, now: datetime, *, followed_by: User | None = None, limit: int | None = None
) -> list[WaitingQuestion]:
    statement = (
        select(Question)
        # Nothing the moderators hid waits for an answer, not even on an admin's list.
        .where(
            Question.status == QuestionStatus.OPEN,
            visible_questions_clause(viewer),
            Question.moderation_state.is_(None),
        )
        .options(selectinload(Question.topics), selectinload(Question.author))
        .order_by(Question.created_at, Question.id)
    )
    if followed_by is not None:
        statement = statement.where(
            Question.id.in_(
                select(question_topic.c.question_id)
                .join(topic_follow, topic_follow.c.topic_id == question_topic.c.topic_id)
                .where(topic_follow.c.user_id == followed_by.id)
            )
        )
    if limit is not None:
        statement = statement.limit(limit)
    return [
        WaitingQuestion(question, now - question.created_at)
        for question in db.session.scalars(statement)
    ]


def _invitations(viewer: User, *condition) -> Select:
    return (
        select(Invitation)
        .join(Question, Question.id == Invitation.question_id)
        .where(visible_questions_clause(viewer), *condition)
        .options(
            selectinload(Invitation.question).selectinload(Question.topics),
            selectinload(Invitation.expert),
            selectinload(Invitation.invited_by),
        )
    )


def sent_invitations(inviter: User, limit: int = ADMIN_LIST_LIMIT) -> list[Invitation]:
    """The invitations the user sent, still-pending ones first, then newest first."""
    return list(
        db.session.scalars(
            _invitations(inviter, Invitation.invited_by_id == inviter.id)
            .order_by(
                Invitation.answered_at.is_not(None),
                Invitation.created_at.desc(),
                Invitation.id.desc(),
            )
            .limit(limit)
        )
    )


def dashboard(expert: User, now: datetime) -> Dashboard:
    """An expert's work: open questions in followed topics and pending invitations
    (oldest first), the board answers awaiting their stance, and the board's drafts in
    their topics.

    A chair also sees the invitations they sent. Loads in a fixed number of queries.
    """
    invitations = list(
        db.session.scalars(
            _invitations(
                expert, Invitation.expert_id == expert.id, Invitation.answered_at.is_(None)
            ).order_by(Invitation.created_at, Invitation.id)
        )
    )
    return Dashboard(
        open_questions=_open_questions(expert, now, followed_by=expert),
        invitations=invitations,
        awaiting_stance=board_stances.awaiting_stance(expert),
        drafts_in_topics=board_index.drafts_in_topics(expert),
        sent_invitations=sent_invitations(expert) if expert.is_chair else [],
    )


def admin_dashboard(admin: User, now: datetime) -> Dashboard:
    """The admin's overview: the open questions waiting longest, and the invitations they sent."""
    return Dashboard(
        open_questions=_open_questions(admin, now, limit=ADMIN_LIST_LIMIT),
        sent_invitations=sent_invitations(admin),
    )
