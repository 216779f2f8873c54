"""The moderators' queue: the texts waiting for a moderator, and the flags on a text.

A text waits while it has open flags or is held for approval (``ModerationState``
HELD or FLAGGED), the longest waiting first, across the kinds of services/moderation.py
(``TEXT_KINDS``). What moderators do to a text is services/moderation.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Answer, BoardAnswer, Comment, Flag, ModerationState, Question, Stance
from forum.services.moderation import FLAG_COLUMN, TEXT_KINDS, question_of


@dataclass
class QueueItem:
    """A text waiting for a moderator: its open flags, oldest first."""

    kind: str
    text: object
    since: object
    flags: list[Flag] = field(default_factory=list)

    @property
    def question(self) -> Question:
        return question_of(self.text)


def _waiting(model, kind: str):
    flag_column = getattr(Flag, FLAG_COLUMN[model])
    flagged = select(
        literal(kind).label("kind"), flag_column.label("text_id"), Flag.created_at.label("since")
    ).where(Flag.resolved_at.is_(None), flag_column.is_not(None))
    held = select(literal(kind), model.id, model.moderated_at).where(
        model.moderation_state.in_([ModerationState.HELD, ModerationState.FLAGGED])
    )
    return [flagged, held]


def queue(page: int, per_page: int = 20) -> Pagination:
    """Texts with open flags or held for approval, the longest waiting first.

    At most sixteen queries whatever the page holds: the count, the page of (kind, id),
    the questions, answers, comments and stances on it with their authors (and
    questions; a stance's board answer and question), and their open flags with who
    flagged.
    """
    waiting = union_all(
        *(part for kind, model in TEXT_KINDS.items() for part in _waiting(model, kind))
    ).subquery()
    statement = (
        select(waiting.c.kind, waiting.c.text_id, func.min(waiting.c.since).label("since"))
        .group_by(waiting.c.kind, waiting.c.text_id)
        .order_by(func.min(waiting.c.since), waiting.c.kind, waiting.c.text_id)
    )
    pagination = _RowPagination(page=page, per_page=per_page, error_out=False, select=statement)
    rows = pagination.items
    ids = {
        kind: [text_id for row_kind, text_id, _since in rows if row_kind == kind]
        for kind in TEXT_KINDS
    }
    loaded = {}
    for kind, model in TEXT_KINDS.items():
        if not ids[kind]:
            continue
        for text in db.session.scalars(
            select(model).where(model.id.in_(ids[kind])).options(*_QUEUE_LOADING[model])
        ):
            loaded[(kind, text.id)] = text
    items = [
        QueueItem(kind, loaded[(kind, text_id)], since)
        for kind, text_id, since in rows
        if (kind, text_id) in loaded
    ]
    by_key = {(item.kind, item.text.id): item for item in items}
    if items:
        for open_flag in db.session.scalars(
            select(Flag)
            .where(Flag.resolved_at.is_(None), _flags_of(items))
            .options(selectinload(Flag.user))
            .order_by(Flag.created_at, Flag.id)
        ):
            for kind, model in TEXT_KINDS.items():
                key = (kind, getattr(open_flag, FLAG_COLUMN[model]))
                if key in by_key:
                    by_key[key].flags.append(open_flag)
    pagination.items = items
    return pagination


# What the queue shows of each kind of text: its writer and its question.
_QUEUE_LOADING = {
    Question: [selectinload(Question.author)],
    Answer: [selectinload(Answer.author), selectinload(Answer.question)],
    Comment: [selectinload(Comment.author), selectinload(Comment.question)],
    Stance: [
        selectinload(Stance.expert),
        selectinload(Stance.board_answer).selectinload(BoardAnswer.question),
    ],
}


class _RowPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a select of several columns (its own keeps
    the first column only)."""

    def _query_items(self) -> list[tuple]:
        select_ = self._query_args["select"]
        return [
            tuple(row)
            for row in db.session.execute(select_.limit(self.per_page).offset(self._query_offset))
        ]

    def _query_count(self) -> int:
        select_ = self._query_args["select"]
        return (
            db.session.scalar(select(func.count()).select_from(select_.order_by(None).subquery()))
            or 0
        )


def _flags_of(items: list[QueueItem]):
    return or_(*(getattr(Flag, FLAG_COLUMN[type(item.text)]) == item.text.id for item in items))


def flags_on(text) -> list[Flag]:
    """Every flag on a text, open or resolved, oldest first, with who flagged (admins' page)."""
    return list(
        db.session.scalars(
            select(Flag)
            .where(getattr(Flag, FLAG_COLUMN[type(text)]) == text.id)
            .options(selectinload(Flag.user))
            .order_by(Flag.created_at, Flag.id)
        )
    )
