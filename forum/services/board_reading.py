"""Reading board answers: the workspace, the history and the comparisons.

A board answer is loaded with its revisions and stances in a fixed number of
queries. The board reads every revision; anyone else who sees the question reads
the history up to the published revision (``visible_revisions``), since drafts
after publication are the board's deliberation until they are published.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import BoardAnswer, BoardRevision, Stance, User
from forum.permissions import can_see_board_workspace, can_see_question
from forum.services.diffs import DiffLine, diff_texts
from forum.services.errors import RuleViolation


def _load(board_answer_id: int) -> BoardAnswer | None:
    return db.session.scalar(
        select(BoardAnswer)
        .where(BoardAnswer.id == board_answer_id)
        .options(
            selectinload(BoardAnswer.question),
            selectinload(BoardAnswer.revisions).options(
                selectinload(BoardRevision.editor), joinedload(BoardRevision.declaration)
            ),
            selectinload(BoardAnswer.stances).options(
                selectinload(Stance.expert).selectinload(User.expert_profile),
                joinedload(Stance.declaration),
                selectinload(Stance.overridden_by),
            ),
            selectinload(BoardAnswer.opened_by),
            selectinload(BoardAnswer.published_by),
            selectinload(BoardAnswer.withdrawn_by),
        )
    )


def load_board_answer(viewer, board_answer_id: int) -> BoardAnswer | None:
    """A board answer with its revisions and stances, if the viewer may open its workspace."""
    board_answer = _load(board_answer_id)
    if board_answer is None or not can_see_board_workspace(viewer, board_answer.question):
        return None
    return board_answer


def load_board_answer_history(viewer, board_answer_id: int) -> BoardAnswer | None:
    """A board answer whose history the viewer may read.

    The board reads every revision; anyone else who sees the question reads the
    history of an answer that has been published (see ``visible_revisions``).
    """
    board_answer = _load(board_answer_id)
    if board_answer is None or not can_see_question(viewer, board_answer.question):
        return None
    if board_answer.published_number is None and not can_see_board_workspace(
        viewer, board_answer.question
    ):
        return None
    return board_answer


def visible_revisions(viewer, board_answer: BoardAnswer) -> list[BoardRevision]:
    """The revisions the viewer may read: all for the board, up to the published one for others.

    Drafts after publication are the board's deliberation until they are published.
    """
    if can_see_board_workspace(viewer, board_answer.question):
        return list(board_answer.revisions)
    limit = board_answer.published_number or 0
    return [revision for revision in board_answer.revisions if revision.number <= limit]


def compare(revisions: list[BoardRevision], from_number: int, to_number: int) -> list[DiffLine]:
    """The diff between two of the given revisions; RuleViolation if either is not among them."""
    by_number = {revision.number: revision for revision in revisions}
    if from_number not in by_number or to_number not in by_number:
        raise RuleViolation(_l("There is no such revision to compare."))
    return diff_texts(by_number[from_number].body, by_number[to_number].body)


def revision_numbered(board_answer: BoardAnswer, number: int) -> BoardRevision | None:
    """The board answer's revision numbered ``number``, read from the database; or None."""
    return db.session.scalar(
        select(BoardRevision).where(
            BoardRevision.board_answer_id == board_answer.id, BoardRevision.number == number
        )
    )
