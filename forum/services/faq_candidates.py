"""The FAQ's candidates: public questions whose answers proved good, not yet in the FAQ.

A question is a candidate when it is public and shown to everyone (not hidden, held,
flagged or removed), nothing of it is in the FAQ yet, and it has a shown answer that
its asker accepted or that at least ``HELPFUL_THRESHOLD`` people found helpful, or a
published board answer. A confidential question is never one, even for the admins
who may read it: its promotion needs an anonymisation they start from its own page.

The list is for curators; a page costs a fixed number of queries (the count, the
page, then its topics, answers, their authors and board answers, one query each).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Answer, BoardAnswer, BoardAnswerStatus, Question, Visibility
from forum.services.faq_sources import promoted_question_ids

# Helpful marks come from members who read an answer and found it useful; three such
# readers are a signal worth a curator's look, one is not.
HELPFUL_THRESHOLD = 3
PER_PAGE = 20
# A published board answer is the board's agreed word, an accepted answer the asker's
# verdict; each weighs as much as that many helpful marks in the order of the list.
BOARD_WEIGHT = 5
ACCEPTED_WEIGHT = 3


@dataclass(frozen=True)
class CandidateSource:
    """One answer or published board answer of a candidate, which a curator may promote."""

    answer: Answer | None = None
    board_answer: BoardAnswer | None = None

    @property
    def accepted(self) -> bool:
        return self.answer is not None and self.answer.question.accepted_answer_id == self.answer.id

    @property
    def params(self) -> dict[str, int]:
        """The promotion form's query string (``?answer=`` or ``?board_answer=``)."""
        if self.answer is not None:
            return {"answer": self.answer.id}
        return {"board_answer": self.board_answer.id}

    @property
    def anchor(self) -> str:
        return f"answer-{self.answer.id}" if self.answer is not None else "board-answer"


@dataclass(frozen=True)
class Candidate:
    question: Question
    sources: list[CandidateSource]


def _shown(model):
    # Stricter than the readers' rule: a removed text keeps a tombstone, not an answer.
    return model.moderation_state.is_(None)


def _good_answer():
    return and_(
        Answer.question_id == Question.id,
        _shown(Answer),
        or_(Answer.id == Question.accepted_answer_id, Answer.helpful_count >= HELPFUL_THRESHOLD),
    )


def _published_board_answer():
    return and_(
        BoardAnswer.question_id == Question.id,
        BoardAnswer.status == BoardAnswerStatus.PUBLISHED,
        BoardAnswer.published_body.is_not(None),
    )


def _score():
    best_helpful = (
        select(func.coalesce(func.max(Answer.helpful_count), 0))
        .where(Answer.question_id == Question.id, _shown(Answer))
        .scalar_subquery()
    )
    accepted = exists().where(Answer.id == Question.accepted_answer_id, _shown(Answer))
    return (
        best_helpful
        + case((exists().where(_published_board_answer()), BOARD_WEIGHT), else_=0)
        + case((accepted, ACCEPTED_WEIGHT), else_=0)
    )


def candidates_statement():
    """SQL: the candidate questions, best first (score, then the longest read)."""
    return (
        select(Question)
        .where(
            Question.visibility == Visibility.PUBLIC,
            _shown(Question),
            Question.removed_at.is_(None),
            or_(exists().where(_good_answer()), exists().where(_published_board_answer())),
            Question.id.not_in(promoted_question_ids()),
        )
        .order_by(_score().desc(), Question.created_at, Question.id)
    )


def list_candidates(page: int, per_page: int | None = None) -> tuple[Pagination, list[Candidate]]:
    """One page of candidates with the answers and board answer each may be promoted from
    (the board's first, then accepted, then by helpful marks)."""
    pagination = db.paginate(
        candidates_statement().options(
            selectinload(Question.topics),
            selectinload(Question.answers).selectinload(Answer.author),
            selectinload(Question.board_answers),
        ),
        page=page,
        per_page=per_page or PER_PAGE,
        error_out=False,
    )
    return pagination, [_candidate(question) for question in pagination.items]


def _candidate(question: Question) -> Candidate:
    sources = [
        CandidateSource(board_answer=board_answer)
        for board_answer in question.board_answers
        if board_answer.status == BoardAnswerStatus.PUBLISHED
        and board_answer.published_body is not None
    ]
    good = [
        answer
        for answer in question.answers
        if answer.moderation_state is None
        and (answer.id == question.accepted_answer_id or answer.helpful_count >= HELPFUL_THRESHOLD)
    ]
    good.sort(key=lambda a: (a.id != question.accepted_answer_id, -a.helpful_count, a.id))
    sources.extend(CandidateSource(answer=answer) for answer in good)
    return Candidate(question, sources)
