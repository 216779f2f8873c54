"""The board's stances on a board answer and the quorum they make.

A stance (endorse, dissent, abstain) is bound to the revision it was given on,
so changing the text asks for stances again (services/board.py). An expert may
change their stance on a revision but not repeat it; a dissent needs a reason,
and a chair may override an open dissent with a recorded reason. Whether a
revision's stances meet the quorum is the rule of services/board_quorum.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    AuditAction,
    BoardAnswer,
    BoardAnswerStatus,
    Question,
    Stance,
    StanceKind,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import can_chair, can_take_stance, visible_questions_clause
from forum.services import audit, experts, invitations
from forum.services.board_quorum import QuorumState, tally
from forum.services.board_reading import revision_numbered
from forum.services.errors import PermissionDenied, RuleViolation


def quorum_state(board_answer: BoardAnswer, number: int | None = None) -> QuorumState:
    """The quorum for one revision (by default the current one), from the loaded stances."""
    number = board_answer.current_number if number is None else number
    return tally(board_answer.stances_on(number))


def awaiting_stance(expert: User) -> list[BoardAnswer]:
    """Board answers whose current revision awaits this expert's stance, oldest first."""
    already_taken = exists().where(
        Stance.board_answer_id == BoardAnswer.id,
        Stance.revision_number == BoardAnswer.current_number,
        Stance.expert_id == expert.id,
    )
    in_review = or_(
        BoardAnswer.status == BoardAnswerStatus.IN_REVIEW,
        (BoardAnswer.status == BoardAnswerStatus.PUBLISHED)
        & (BoardAnswer.current_number != BoardAnswer.published_number),
    )
    return list(
        db.session.scalars(
            select(BoardAnswer)
            .join(Question, Question.id == BoardAnswer.question_id)
            # A question the moderators hid is nobody's work but the admins'.
            .where(in_review, ~already_taken, visible_questions_clause(expert))
            .options(
                selectinload(BoardAnswer.question).selectinload(Question.topics),
                selectinload(BoardAnswer.stances).selectinload(Stance.expert),
            )
            .order_by(BoardAnswer.updated_at, BoardAnswer.id)
        )
    )


def record_stance(
    board_answer: BoardAnswer,
    expert: User,
    kind: StanceKind,
    revision_number: int,
    reason: str = "",
) -> Stance:
    """An expert endorses, dissents from or abstains on the current revision.

    ``revision_number`` is the revision the expert read: a stance is refused if
    the text has changed since. An expert may change their stance on a
    revision, but not repeat it. A dissent needs a reason.
    """
    if not can_take_stance(expert, board_answer):
        raise PermissionDenied(
            _l("Only the board's experts take a stance, while an answer is in review.")
        )
    if revision_number != board_answer.current_number:
        raise RuleViolation(
            _l(
                "The text changed since you read it (now revision %(number)d): "
                "read the new revision, then take your stance.",
                number=board_answer.current_number,
            )
        )
    reason = (reason or "").strip()
    if kind == StanceKind.DISSENT and not reason:
        raise RuleViolation(
            _l("Say why you dissent: the reason is recorded with the answer."), field="reason"
        )
    if expert.area is None:
        raise RuleViolation(_l("Your expert area is not set; an admin must set it first."))
    existing = db.session.scalar(
        select(Stance).where(
            Stance.board_answer_id == board_answer.id,
            Stance.revision_number == revision_number,
            Stance.expert_id == expert.id,
        )
    )
    if existing is not None and existing.kind == kind:
        raise RuleViolation(_already_message(kind))
    # A changed stance is given anew, so it takes the declaration in force now.
    declaration = experts.declaration_in_force(expert)
    if existing is not None:
        stance = existing
        stance.kind = kind
        # The moderators' decision on the reason stays: a hidden reason stays hidden
        # until they restore it (changing one's stance does not undo it), a removed
        # one stays erased.
        stance.reason = "" if stance.is_removed_by_moderators else reason
        stance.area = expert.area
        stance.declaration = declaration
        stance.created_at = utcnow()
        stance.overridden_by_id = None
        stance.override_reason = None
        stance.overridden_at = None
    else:
        revision = revision_numbered(board_answer, revision_number)
        stance = Stance(
            board_answer_id=board_answer.id,
            revision_id=revision.id,
            revision_number=revision_number,
            expert_id=expert.id,
            area=expert.area,
            kind=kind,
            reason=reason,
            declaration=declaration,
        )
        db.session.add(stance)
    try:
        db.session.flush()
    except IntegrityError:
        # The same expert's second click landed at the same moment.
        db.session.rollback()
        raise RuleViolation(_already_message(kind)) from None
    audit.record(
        expert,
        AuditAction.STANCE_RECORDED,
        board_answer,
        question_id=board_answer.question_id,
        detail=f"{kind.value} on revision {revision_number}" + (f": {reason}" if reason else ""),
    )
    # Taking a stance answers an invitation to the question as well.
    invitations.mark_invitations_answered(board_answer.question, expert)
    db.session.commit()
    return stance


def override_dissent(stance: Stance, chair: User, reason: str) -> None:
    """A chair overrides an open dissent on the current revision, with a recorded reason."""
    board_answer = stance.board_answer
    if not can_chair(chair, board_answer):
        raise PermissionDenied(_l("Only a chair of the board overrides a dissent."))
    if not stance.is_open_dissent or stance.revision_number != board_answer.current_number:
        raise RuleViolation(_l("Only an open dissent on the current revision can be overridden."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(
            _l("Give the reason for overriding the dissent: it is published."), field="reason"
        )
    stance.overridden_by_id = chair.id
    stance.override_reason = reason
    stance.overridden_at = utcnow()
    audit.record(
        chair,
        AuditAction.DISSENT_OVERRIDDEN,
        board_answer,
        question_id=board_answer.question_id,
        detail=f"dissent of {stance.expert.display_name} on revision "
        f"{stance.revision_number}: {reason}",
    )
    db.session.commit()


def _already_message(kind: StanceKind):
    return {
        StanceKind.ENDORSE: _l("You already endorsed this revision."),
        StanceKind.DISSENT: _l("You already dissented from this revision."),
        StanceKind.ABSTAIN: _l("You already abstained on this revision."),
    }[kind]
