"""Expert answers, accepting one, helpful marks, and clarification comments.

The question's status and answer count follow every change here:
open (no answer yet), answered (at least one, or a published board answer),
closed (an answer accepted).

The stored counts (``Question.answer_count``, ``Answer.helpful_count``) are
recounted from the rows while the counted row is locked (``_lock``), taken
before anything is written: writers of the same count then queue, and each
counts after the one before it committed, on both databases. Recounting,
rather than adding one, also repairs a count that drifted earlier.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite

from forum.extensions import db
from forum.models import (
    Answer,
    BoardAnswer,
    BoardAnswerStatus,
    Comment,
    ContentLanguage,
    HelpfulMark,
    Question,
    QuestionStatus,
    User,
)
from forum.models.columns import utcnow
from forum.models.generation import in_threads
from forum.permissions import (
    can_accept_answer,
    can_answer,
    can_comment,
    can_edit_answer,
    can_mark_helpful,
    unhidden_clause,
)
from forum.services import attachments, content, experts, invitations, newcomers
from forum.services.attachments import Upload
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.mail import notifications
from forum.services.questions import BODY_MAX_LENGTH
from forum.services.revisions import record_revision

# The limits of answers and comments, shared by the forms and the JSON API.
ANSWER_MIN_LENGTH = 20
ANSWER_MAX_LENGTH = BODY_MAX_LENGTH
COMMENT_MIN_LENGTH = 2
COMMENT_MAX_LENGTH = 2_000


def refresh_status(question: Question) -> None:
    """Set the question's status from its answers, acceptance and board answer (not committed)."""
    if question.accepted_answer_id is not None:
        question.status = QuestionStatus.CLOSED
    elif question.answer_count > 0 or _has_published_board_answer(question):
        question.status = QuestionStatus.ANSWERED
    else:
        question.status = QuestionStatus.OPEN


def recount_answers(question: Question) -> None:
    """Count the question's answers that readers see (hidden ones are not counted) and
    set its status from them (not committed); the caller holds the question's lock."""
    question.answer_count = db.session.scalar(
        select(func.count())
        .select_from(Answer)
        .where(Answer.question_id == question.id, unhidden_clause(Answer))
    )
    refresh_status(question)


def refuse_if_locked(question: Question) -> None:
    """Raises RuleViolation, with the moderators' reason, if the question is locked."""
    if question.is_locked:
        raise RuleViolation(
            _l(
                "This question is locked by the moderators: it takes no new answers or "
                "comments. Reason: %(reason)s",
                reason=question.lock_reason or "-",
            )
        )


def _has_published_board_answer(question: Question) -> bool:
    return db.session.scalar(
        select(
            exists().where(
                BoardAnswer.question_id == question.id,
                BoardAnswer.status == BoardAnswerStatus.PUBLISHED,
            )
        )
    )


def _lock(row: Question | Answer) -> None:
    """Lock the row until the transaction ends, before anything is written, and read
    it afresh (another writer may have changed it while this one waited).

    PostgreSQL: ``SELECT ... FOR UPDATE``; a second writer waits here, and its
    next statement sees what the first committed (READ COMMITTED takes a new
    snapshot per statement). SQLite ignores FOR UPDATE but has one writer: a
    transaction's first write takes the database's write lock on a current
    snapshot (WAL), so the recount that follows it cannot miss a commit either.
    """
    model = type(row)
    db.session.execute(
        select(model)
        .where(model.id == row.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def post_answer(
    question: Question,
    author: User,
    body: str,
    language: ContentLanguage = ContentLanguage.EN,
    uploads: Sequence[Upload] = (),
) -> Answer:
    """An expert answers a question, in ``language``, with ``uploads`` attached. Raises
    PermissionDenied for non-experts, RuleViolation on a locked question or for files past
    the limit."""
    refuse_if_locked(question)
    if not can_answer(author, question):
        raise PermissionDenied(_l("Only the board's experts answer questions."))
    # Before the first write, as in questions.ask.
    analysis = content.analyse(body=body, language=language)
    stored = attachments.store(uploads)
    _lock(question)
    answer = Answer(
        question=question,
        author=author,
        body=body,
        language=language,
        declaration=experts.declaration_in_force(author),
    )
    db.session.add(answer)
    record_revision(subject=answer, editor=author, body=body)
    db.session.flush()
    attachments.add(answer, author, stored)
    content.saved(answer, analysis)
    recount_answers(question)
    if not answer.is_hidden:  # a held answer must not show its thread as moved
        question.last_activity_at = utcnow()
    invitations.mark_invitations_answered(question, author)
    notifications.answer_posted(answer)
    db.session.commit()
    return answer


def edit_answer(
    answer: Answer,
    editor: User,
    body: str,
    note: str = "",
    language: ContentLanguage | None = None,
    uploads: Sequence[Upload] = (),
    removed_ids: Sequence[int] = (),
) -> Answer:
    """The answer's author saves a new version; the earlier text stays as a revision.

    ``language`` corrects the language the answer is marked as written in (None keeps it);
    ``removed_ids`` (its files) are taken off and ``uploads`` attached (RuleViolation past
    the limit), even when the text is unchanged.
    """
    if not can_edit_answer(editor, answer):
        raise PermissionDenied(_l("You cannot edit this answer."))
    language = language if language is not None else answer.language
    if (body, language) == (answer.body, answer.language):
        if uploads or removed_ids:
            stored = attachments.store(uploads)
            attachments.remove(answer, removed_ids)
            attachments.add(answer, editor, stored)
            db.session.commit()
        return answer
    # Before the first write: the terms depend on the language too (search_text.word_terms).
    analysis = content.analyse(body=body, language=language)
    stored = attachments.store(uploads)
    attachments.remove(answer, removed_ids)
    attachments.add(answer, editor, stored)
    answer.language = language
    if body != answer.body:
        answer.body = body
        answer.updated_at = utcnow()
        if not answer.is_hidden:  # readers of the list must not learn a hidden text moved
            answer.question.last_activity_at = answer.updated_at
        record_revision(subject=answer, editor=editor, body=body, note=note)
    content.saved(answer, analysis)  # a hidden answer stays out until restored (moderation)
    db.session.commit()
    return answer


def accept_answer(question: Question, answer: Answer, user: User) -> None:
    """The asker accepts one answer (replacing any earlier choice); the question closes."""
    if not can_accept_answer(user, question):
        raise PermissionDenied(_l("Only the person who asked can accept an answer."))
    if answer.question_id != question.id:
        raise RuleViolation(_l("This answer belongs to another question."))
    newly_accepted = question.accepted_answer_id != answer.id
    question.accepted_answer_id = answer.id
    refresh_status(question)
    if newly_accepted:
        notifications.answer_accepted(answer, user)
    db.session.commit()


def unaccept_answer(question: Question, user: User) -> None:
    """The asker withdraws their acceptance; the question is answered again."""
    if not can_accept_answer(user, question):
        raise PermissionDenied(_l("Only the person who asked can accept an answer."))
    question.accepted_answer_id = None
    refresh_status(question)
    db.session.commit()


def set_helpful(answer: Answer, user: User, helpful: bool) -> bool:
    """Mark or unmark an answer as helpful; commits.

    Returns False when there was nothing to do (marked already, or not marked),
    also when another click of the same person got there first: repeating a
    click is not an error. Raises PermissionDenied if the user may not mark it.
    """
    if not can_mark_helpful(user, answer):
        raise PermissionDenied(_l("You cannot mark this answer."))
    _lock(answer)
    if helpful:
        # ON CONFLICT DO NOTHING: a mark inserted by a concurrent click is skipped,
        # never an IntegrityError (which would be a 500).
        changed = (
            db.session.execute(
                in_threads(
                    _insert(HelpfulMark)
                    .values(answer_id=answer.id, user_id=user.id, created_at=utcnow())
                    .on_conflict_do_nothing()
                    .returning(HelpfulMark.answer_id),  # a row only if this click inserted it
                    answer.question_id,
                )
            ).first()
            is not None
        )
    else:
        changed = (
            db.session.execute(
                in_threads(
                    delete(HelpfulMark).where(
                        HelpfulMark.answer_id == answer.id, HelpfulMark.user_id == user.id
                    ),
                    answer.question_id,
                )
            ).rowcount
            == 1
        )
    if not changed:
        db.session.rollback()
        return False
    answer.helpful_count = db.session.scalar(
        select(func.count()).select_from(HelpfulMark).where(HelpfulMark.answer_id == answer.id)
    )
    db.session.commit()
    return True


def _insert(model):
    """INSERT with ON CONFLICT, in the dialect of the session's database."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def post_comment(
    question: Question,
    author: User,
    body: str,
    answer: Answer | None = None,
    language: ContentLanguage = ContentLanguage.EN,
) -> Comment:
    """A clarification on the question or on one of its answers, in ``language``.

    Raises RuleViolation on a locked question, or when a new account used its
    day's posts; PermissionDenied for someone who may not comment.
    """
    refuse_if_locked(question)
    if not can_comment(author, question):
        raise PermissionDenied(
            _l("Only the person who asked and the experts comment on a question.")
        )
    if answer is not None and answer.question_id != question.id:
        raise RuleViolation(_l("This answer belongs to another question."))
    newcomers.check_budget(author)
    comment = Comment(
        question=question,
        answer=answer,
        author=author,
        body=body,
        moderation_state=newcomers.initial_state(author),
        language=language,
    )
    db.session.add(comment)
    db.session.flush()
    if not comment.is_hidden:  # a held comment is announced when approved
        notifications.comment_posted(comment)
    db.session.commit()
    return comment
