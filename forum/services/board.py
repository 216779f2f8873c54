"""The board answer workflow: open, co-edit, submit for review, publish, withdraw.

A board answer moves drafting → in review → published, or is withdrawn by a
chair. Every save is a numbered BoardRevision; a stance is bound to the revision
it was given on, so changing the text asks for stances again
(services/board_stances.py). A published answer is amended by new revisions
that go through review while the published text stays in place. Reading a
board answer, its history and comparisons is services/board_reading.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import (
    AuditAction,
    BoardAnswer,
    BoardAnswerStatus,
    BoardRevision,
    ContentLanguage,
    Question,
    User,
)
from forum.models.columns import utcnow
from forum.models.generation import in_threads
from forum.permissions import can_chair, can_edit_board_answer, can_open_board_answer
from forum.services import answers, audit, content, experts, invitations
from forum.services.board_reading import revision_numbered
from forum.services.board_stances import quorum_state
from forum.services.errors import PermissionDenied, RuleViolation, ServiceError
from forum.services.mail import notifications


class EditConflict(ServiceError):
    """Someone saved a newer revision since the editor loaded the text.

    Carries the revision the editor started from and the current one, so the
    page can show both texts and what changed between them.
    """

    def __init__(self, message, base: BoardRevision | None, current: BoardRevision):
        super().__init__(message, field="body")
        self.base = base
        self.current = current


# --- the workflow -----------------------------------------------------------------


def open_board_answer(
    question: Question,
    expert: User,
    body: str,
    note: str = "",
    language: ContentLanguage = ContentLanguage.EN,
) -> BoardAnswer:
    """An expert starts the board's answer to a question with a first draft in ``language``.

    Raises PermissionDenied for anyone but an expert who sees the question, and
    RuleViolation if the question already has a board answer in progress or published.
    """
    if not can_open_board_answer(expert, question):
        raise PermissionDenied(_l("Only the board's experts open a board answer."))
    already = _live_board_answer_in_database(question)
    if already is not None:
        raise RuleViolation(_l("This question already has a board answer: work on that one."))
    board_answer = BoardAnswer(
        question=question,
        body=body,
        current_number=1,
        opened_by=expert,
        status=BoardAnswerStatus.DRAFTING,
        language=language,
    )
    db.session.add(board_answer)
    db.session.add(
        BoardRevision(
            board_answer=board_answer,
            number=1,
            body=body,
            note=_clean(note),
            editor=expert,
            declaration=experts.declaration_in_force(expert),
        )
    )
    try:
        db.session.flush()
    except IntegrityError:
        # Another expert opened one at the same moment (the partial unique index).
        db.session.rollback()
        raise RuleViolation(
            _l("This question already has a board answer: work on that one.")
        ) from None
    audit.record(expert, AuditAction.BOARD_ANSWER_OPENED, board_answer, question_id=question.id)
    _mark_invitations_answered(question, expert)
    notifications.board_draft_opened(board_answer, expert)
    db.session.commit()
    return board_answer


def revise(
    board_answer: BoardAnswer,
    editor: User,
    body: str,
    base_number: int,
    note: str = "",
    language: ContentLanguage | None = None,
) -> BoardRevision | None:
    """Save a new revision of the board answer's text; returns it (None if the text is unchanged).

    ``language`` corrects the language the answer is marked as written in (None keeps it;
    a correction alone is saved without a new revision).

    ``base_number`` is the revision the editor started from. If another expert
    saved since, nothing is written and EditConflict is raised, carrying both
    versions. Saving while in review (or amending a published answer) asks
    every expert for a stance on the new revision.
    """
    if not can_edit_board_answer(editor, board_answer):
        raise PermissionDenied(_l("Only the board's experts edit a board answer."))
    if language is not None and language != board_answer.language:
        board_answer.language = language
        db.session.commit()
    if body == board_answer.body and base_number == board_answer.current_number:
        return None
    new_number = base_number + 1
    # Compare-and-set: the row moves to the new number only if it is still at
    # the editor's base, so of two simultaneous saves exactly one wins.
    moved = db.session.execute(
        in_threads(
            update(BoardAnswer)
            .where(BoardAnswer.id == board_answer.id, BoardAnswer.current_number == base_number)
            .values(current_number=new_number, body=body, updated_at=utcnow())
            .execution_options(synchronize_session=False),
            board_answer.question_id,
        )
    ).rowcount
    if moved != 1:
        db.session.rollback()
        raise _conflict(board_answer, base_number)
    revision = BoardRevision(
        board_answer_id=board_answer.id,
        number=new_number,
        body=body,
        note=_clean(note),
        editor=editor,
        declaration=experts.declaration_in_force(editor),
    )
    db.session.add(revision)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _conflict(board_answer, base_number) from None
    db.session.refresh(board_answer)
    audit.record(
        editor,
        AuditAction.BOARD_ANSWER_EDITED,
        board_answer,
        question_id=board_answer.question_id,
        detail=f"revision {new_number}",
    )
    _mark_invitations_answered(board_answer.question, editor)
    if board_answer.awaits_stances:
        notifications.stance_needed(board_answer, editor)
    db.session.commit()
    return revision


def submit_for_review(board_answer: BoardAnswer, expert: User) -> None:
    """The draft is ready: experts are asked for their stance on the current revision."""
    if not can_edit_board_answer(expert, board_answer):
        raise PermissionDenied(_l("Only the board's experts submit a board answer for review."))
    if board_answer.status != BoardAnswerStatus.DRAFTING:
        raise RuleViolation(_l("This board answer is not a draft any more."))
    board_answer.status = BoardAnswerStatus.IN_REVIEW
    board_answer.updated_at = utcnow()
    audit.record(
        expert,
        AuditAction.BOARD_ANSWER_SUBMITTED,
        board_answer,
        question_id=board_answer.question_id,
        detail=f"revision {board_answer.current_number}",
    )
    notifications.stance_needed(board_answer, expert)
    db.session.commit()


def publish(board_answer: BoardAnswer, chair: User) -> None:
    """A chair publishes the current revision once it has quorum.

    Raises RuleViolation listing what is missing when quorum is not met.
    """
    if not can_chair(chair, board_answer):
        raise PermissionDenied(_l("Only a chair of the board publishes a board answer."))
    if not board_answer.awaits_stances:
        raise RuleViolation(publish_blockers(board_answer)[0])
    # Read the stance-givers' accounts afresh: one deactivated since this page
    # was loaded no longer counts.
    expert_ids = {stance.expert_id for stance in board_answer.stances}
    db.session.scalars(
        select(User).where(User.id.in_(expert_ids)).execution_options(populate_existing=True)
    ).all()
    state = quorum_state(board_answer)
    if not state.is_met:
        raise RuleViolation(
            _l("Quorum is not met: %(missing)s", missing=" ".join(state.shortfalls()))
        )
    now = utcnow()
    board_answer.status = BoardAnswerStatus.PUBLISHED
    board_answer.published_body = board_answer.body
    board_answer.published_number = board_answer.current_number
    board_answer.published_at = now
    board_answer.published_by_id = chair.id
    board_answer.updated_at = board_answer.question.last_activity_at = now
    audit.record(
        chair,
        AuditAction.BOARD_ANSWER_PUBLISHED,
        board_answer,
        question_id=board_answer.question_id,
        detail=f"revision {board_answer.current_number} with "
        f"{len(state.endorsements)} endorsements",
    )
    answers.refresh_status(board_answer.question)
    notifications.board_answer_published(board_answer, chair)
    content.saved(board_answer)
    db.session.commit()


def publish_blockers(board_answer: BoardAnswer) -> list[str]:
    """Why the current revision cannot be published now, from the loaded stances, in words
    a chair can act on; empty when it can. The page disables Publish with these reasons;
    ``publish`` checks them again against the accounts as they are at that moment."""
    if not board_answer.awaits_stances:
        if board_answer.status == BoardAnswerStatus.DRAFTING:
            return [str(_l("Submit the draft for review first: the board has not seen it."))]
        if board_answer.status == BoardAnswerStatus.WITHDRAWN:
            return [str(_l("This board answer is withdrawn."))]
        return [str(_l("This revision is already published."))]
    return quorum_state(board_answer).shortfalls()


def withdraw(board_answer: BoardAnswer, chair: User, reason: str) -> None:
    """A chair withdraws the board answer, with a reason shown to readers."""
    if not can_chair(chair, board_answer):
        raise PermissionDenied(_l("Only a chair of the board withdraws a board answer."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(
            _l("Give the reason for withdrawing: readers are told."), field="reason"
        )
    now = utcnow()
    board_answer.status = BoardAnswerStatus.WITHDRAWN
    board_answer.withdrawn_at = now
    board_answer.withdrawn_by_id = chair.id
    board_answer.withdrawal_reason = reason
    board_answer.updated_at = now
    audit.record(
        chair,
        AuditAction.BOARD_ANSWER_WITHDRAWN,
        board_answer,
        question_id=board_answer.question_id,
        detail=reason,
    )
    db.session.flush()
    answers.refresh_status(board_answer.question)
    content.saved(board_answer)  # out of search and the clause pages once withdrawn
    db.session.commit()


# --- internals --------------------------------------------------------------------


def _clean(note: str) -> str | None:
    return (note or "").strip()[:300] or None


def _conflict(board_answer: BoardAnswer, base_number: int) -> EditConflict:
    db.session.expire(board_answer)
    current = revision_numbered(board_answer, board_answer.current_number)
    base = revision_numbered(board_answer, base_number)
    return EditConflict(
        _l(
            "Another expert saved a new version (revision %(number)d) while you were editing. "
            "Your text is below, unchanged: compare it with theirs and save again.",
            number=current.number,
        ),
        base=base,
        current=current,
    )


def _live_board_answer_in_database(question: Question) -> BoardAnswer | None:
    return db.session.scalar(
        select(BoardAnswer).where(
            BoardAnswer.question_id == question.id,
            BoardAnswer.status != BoardAnswerStatus.WITHDRAWN,
        )
    )


def _mark_invitations_answered(question: Question, expert: User) -> None:
    # Working on the board answer answers an invitation to the question as well.
    invitations.mark_invitations_answered(question, expert)
