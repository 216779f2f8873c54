"""What of a question is in the FAQ: the entries drawn from its answers and board answer.

An answer or a published board answer is promoted once (unique indexes on the entry's
two source columns); the question page marks what is in the FAQ and offers promotion
only for the rest, and the promotion service refuses a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from forum.extensions import db
from forum.models import Answer, BoardAnswer, FaqEntry, Question
from forum.services.errors import RuleViolation


@dataclass(frozen=True)
class PromotedEntry:
    """An entry drawn from the question, as little as its marker needs."""

    id: int
    published: bool


@dataclass
class PromotedFromQuestion:
    """The entries drawn from one question's answers and board answers, by their source."""

    by_answer: dict[int, PromotedEntry] = field(default_factory=dict)
    by_board_answer: dict[int, PromotedEntry] = field(default_factory=dict)

    def entries(self) -> list[PromotedEntry]:
        """Every entry, in the order they were made."""
        return sorted(
            [*self.by_answer.values(), *self.by_board_answer.values()], key=lambda e: e.id
        )


def promoted_from_question(question: Question) -> PromotedFromQuestion:
    """The entries drawn from the question's answers or board answers: one query.

    Reads ``question.answers`` and ``question.board_answers`` (loaded with the page) and
    looks their ids up in the entries' two source indexes. Joining the entries to answers
    and board answers and filtering on their question instead read every FAQ entry on
    every question page (21 ms on PostgreSQL with 1,000 entries, issue 28).
    """
    answer_ids = [answer.id for answer in question.answers]
    board_answer_ids = [board_answer.id for board_answer in question.board_answers]
    rows = db.session.execute(
        select(
            FaqEntry.id,
            FaqEntry.published,
            FaqEntry.source_answer_id,
            FaqEntry.source_board_answer_id,
        )
        .where(
            or_(
                FaqEntry.source_answer_id.in_(answer_ids),
                FaqEntry.source_board_answer_id.in_(board_answer_ids),
            )
        )
        .order_by(FaqEntry.id)
    )
    promoted = PromotedFromQuestion()
    for entry_id, published, answer_id, board_answer_id in rows:
        entry = PromotedEntry(entry_id, published)
        if answer_id is not None:
            promoted.by_answer[answer_id] = entry
        else:
            promoted.by_board_answer[board_answer_id] = entry
    return promoted


def entry_drawn_from(
    answer: Answer | None = None, board_answer: BoardAnswer | None = None
) -> FaqEntry | None:
    """The entry already promoted from this answer or board answer (published or not), or None."""
    if answer is not None:
        condition = FaqEntry.source_answer_id == answer.id
    else:
        condition = FaqEntry.source_board_answer_id == board_answer.id
    return db.session.scalar(select(FaqEntry).where(condition))


def promoted_question_ids():
    """SQL: the ids of the questions something was promoted from (for the candidates)."""
    return (
        select(Answer.question_id)
        .join(FaqEntry, FaqEntry.source_answer_id == Answer.id)
        .union(
            select(BoardAnswer.question_id).join(
                FaqEntry, FaqEntry.source_board_answer_id == BoardAnswer.id
            )
        )
    )


class AlreadyInFaq(RuleViolation):
    """A second promotion of the same answer or board answer; ``entry_id`` is the first's
    (None when a promotion sent at the same moment won and its entry is not yet known)."""

    def __init__(self, entry_id: int | None):
        super().__init__(_l("This answer is already in the FAQ."))
        self.entry_id = entry_id
