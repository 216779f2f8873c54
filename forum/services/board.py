"""The board answer workflow: open, co-edit, review, stances, quorum, publish, withdraw.

A board answer moves drafting → in review → published, or is withdrawn by a
chair. Every save is a numbered BoardRevision; a stance (endorse, dissent,
abstain) is bound to the revision it was given on, so changing the text asks
for stances again. A published answer is amended by new revisions that go
through review while the published text stays in place. Whether a revision's
stances meet the quorum is the rule of services/board_quorum.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import (
    AuditAction,
    BoardAnswer,
    BoardAnswerStatus,
    BoardRevision,
    ContentLanguage,
    Question,
    Stance,
    StanceKind,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import (
    can_chair,
    can_edit_board_answer,
    can_open_board_answer,
    can_see_board_workspace,
    can_see_question,
    can_take_stance,
)
from forum.services import answers, audit, content, experts, invitations
from forum.services.board_quorum import QuorumState, tally
from forum.services.errors import PermissionDenied, RuleViolation, ServiceError
from forum.services.mail import notifications
from forum.services.revisions import DiffLine, diff_texts


class EditConflict(ServiceError):
    """Someone saved a newer revision since the editor loaded the text.

    Carries the revision the editor started from and the current one, so the
    page can show both texts and what changed between them.
    """

    def __init__(self, message, base: BoardRevision | None, current: BoardRevision):
        super().__init__(message, field="body")
        self.base = base
        self.current = current


# --- the quorum --------------------------------------------------------------


def quorum_state(board_answer: BoardAnswer, number: int | None = None) -> QuorumState:
    """The quorum for one revision (by default the current one), from the loaded stances."""
    number = board_answer.current_number if number is None else number
    return tally(board_answer.stances_on(number))


# --- reading -------------------------------------------------------------------


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
            .where(in_review, ~already_taken)
            .options(selectinload(BoardAnswer.question))
            .order_by(BoardAnswer.updated_at, BoardAnswer.id)
        )
    )


def revision_numbered(board_answer: BoardAnswer, number: int) -> BoardRevision | None:
    return db.session.scalar(
        select(BoardRevision).where(
            BoardRevision.board_answer_id == board_answer.id, BoardRevision.number == number
        )
    )


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
        update(BoardAnswer)
        .where(BoardAnswer.id == board_answer.id, BoardAnswer.current_number == base_number)
        .values(current_number=new_number, body=body, updated_at=utcnow())
        .execution_options(synchronize_session=False)
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
    _mark_invitations_answered(board_answer.question, expert)
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


def publish(board_answer: BoardAnswer, chair: User) -> None:
    """A chair publishes the current revision once it has quorum.

    Raises RuleViolation listing what is missing when quorum is not met.
    """
    if not can_chair(chair, board_answer):
        raise PermissionDenied(_l("Only a chair of the board publishes a board answer."))
    if not board_answer.awaits_stances:
        if board_answer.status == BoardAnswerStatus.DRAFTING:
            raise RuleViolation(_l("Submit the draft for review first: the board has not seen it."))
        raise RuleViolation(_l("This revision is already published."))
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
    board_answer.updated_at = now
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


def _already_message(kind: StanceKind):
    return {
        StanceKind.ENDORSE: _l("You already endorsed this revision."),
        StanceKind.DISSENT: _l("You already dissented from this revision."),
        StanceKind.ABSTAIN: _l("You already abstained on this revision."),
    }[kind]


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
