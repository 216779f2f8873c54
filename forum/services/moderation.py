"""Moderation: flags, and what moderators do to a text.

A text is a question, an answer, a comment or the reason of an expert's stance on a
board answer (the board answer's "comments") (``TEXT_KINDS``). Its state is one of
``ModerationState`` (NULL: shown as written); forum/permissions.py turns the state
into who sees it, once for every page, count, search and export. Every action
here takes a reason, is audited, resolves the text's open flags and tells the
author in their language (a notification and an e-mail through the outbox).

Hiding is reversible (restore); removal erases the text and its revisions and is
not; a lock only stops new answers and comments. On a stance the actions reach its
reason only: the stance is the board's record and still counts toward the quorum.
The texts waiting for a moderator are listed by services/moderation_queue.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, union_all, update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import (
    HIDDEN_STATES,
    Answer,
    AuditAction,
    Comment,
    EmailOptOut,
    Flag,
    FlagReason,
    ModerationState,
    Notification,
    NotificationKind,
    Question,
    Revision,
    Stance,
    User,
)
from forum.models.columns import utcnow
from forum.models.generation import in_threads
from forum.permissions import can_flag, can_moderate, can_see_question, can_see_stance, can_see_text
from forum.services import answers, attachments, audit, content
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.mail import notifications, outbox
from forum.services.mail.letters import in_reader_language

TEXT_KINDS = {"question": Question, "answer": Answer, "comment": Comment, "stance": Stance}
# The column of Flag that points at each kind of text (the queue reads it too).
FLAG_COLUMN = {
    Question: "question_id",
    Answer: "answer_id",
    Comment: "comment_id",
    Stance: "stance_id",
}
REASON_MAX_LENGTH = 500


class Action(StrEnum):
    HIDE = "hide"
    RESTORE = "restore"
    REMOVE = "remove"
    SPAM = "spam"
    APPROVE = "approve"
    LOCK = "lock"
    UNLOCK = "unlock"


_AUDITED = {
    Action.HIDE: AuditAction.TEXT_HIDDEN,
    Action.RESTORE: AuditAction.TEXT_RESTORED,
    Action.REMOVE: AuditAction.TEXT_REMOVED,
    Action.SPAM: AuditAction.TEXT_MARKED_SPAM,
    Action.APPROVE: AuditAction.TEXT_APPROVED,
    Action.LOCK: AuditAction.QUESTION_LOCKED,
    Action.UNLOCK: AuditAction.QUESTION_UNLOCKED,
}


def kind_of(text) -> str:
    return {model: kind for kind, model in TEXT_KINDS.items()}[type(text)]


def find_text(kind: str, text_id: int):
    """The question, answer, comment or stance of that kind and id, or None."""
    model = TEXT_KINDS.get(kind)
    return db.session.get(model, text_id) if model is not None else None


def question_of(text) -> Question:
    if isinstance(text, Stance):
        return text.board_answer.question
    return text if isinstance(text, Question) else text.question


def may_read(user: User, text) -> bool:
    """Whether ``user`` reads ``text`` where it is shown: moderation and the question's
    visibility allow it, and for a stance the board's workspace or the published answer
    shows it to them."""
    return (
        can_see_text(user, text)
        and can_see_question(user, question_of(text))
        and (not isinstance(text, Stance) or can_see_stance(user, text))
    )


def actions_for(text) -> list[Action]:
    """What a moderator may do to the text in its present state."""
    state = text.moderation_state
    if state == ModerationState.REMOVED:
        chosen = []
    elif state == ModerationState.HELD:
        chosen = [Action.APPROVE, Action.SPAM, Action.REMOVE]
    elif state in HIDDEN_STATES:
        chosen = [Action.RESTORE, Action.SPAM, Action.REMOVE]
        if state == ModerationState.SPAM:
            chosen.remove(Action.SPAM)
    else:
        chosen = [Action.HIDE, Action.SPAM, Action.REMOVE]
    if isinstance(text, Question) and state != ModerationState.REMOVED:
        chosen.append(Action.UNLOCK if text.is_locked else Action.LOCK)
    return chosen


# --- flags -------------------------------------------------------------------


def flag(user: User, text, reason: FlagReason, note: str = "") -> Flag:
    """``user`` flags ``text`` for the moderators; commits.

    Enough open flags from different people (MODERATION_HIDE_AFTER_FLAGS) hide the
    text until a moderator reviews it. Raises PermissionDenied for a text the
    user may not flag (their own, one they cannot see), RuleViolation for a
    second flag or an "other" without a note.
    """
    if not can_flag(user, text) or not may_read(user, text):
        raise PermissionDenied(_l("You cannot flag this text."))
    note = (note or "").strip()
    if reason == FlagReason.OTHER and not note:
        raise RuleViolation(_l("Say what is wrong with it."), field="note")
    if len(note) > REASON_MAX_LENGTH:
        raise RuleViolation(_l("At most %(max)d characters.", max=REASON_MAX_LENGTH), field="note")
    column = FLAG_COLUMN[type(text)]
    if db.session.scalar(
        select(Flag.id).where(Flag.user_id == user.id, getattr(Flag, column) == text.id)
    ):
        raise RuleViolation(_l("You have already flagged this text."), field="reason")
    new_flag = Flag(user_id=user.id, reason=reason, note=note or None, **{column: text.id})
    db.session.add(new_flag)
    try:
        db.session.flush()
    except IntegrityError:  # the same person's second click, at the same moment
        db.session.rollback()
        raise RuleViolation(_l("You have already flagged this text."), field="reason") from None
    open_flags = db.session.scalar(
        select(func.count(func.distinct(Flag.user_id))).where(
            getattr(Flag, column) == text.id, Flag.resolved_at.is_(None)
        )
    )
    if (
        text.moderation_state is None
        and open_flags >= current_app.config["MODERATION_HIDE_AFTER_FLAGS"]
    ):
        # No reason of a moderator's yet: the state's label says why it is hidden.
        _set_state(text, ModerationState.FLAGGED, None)
    db.session.commit()
    return new_flag


# --- the moderators' actions -------------------------------------------------


def act(moderator: User, text, action: Action, reason: str) -> None:
    """Apply one moderator's action to a text, with its reason; commits.

    Raises PermissionDenied for a non-admin, RuleViolation for a missing reason or
    an action the text's state does not allow.
    """
    if not can_moderate(moderator):
        raise PermissionDenied(_l("Only the moderators can do this."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("Give the reason: the author is told."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise RuleViolation(
            _l("At most %(max)d characters.", max=REASON_MAX_LENGTH), field="reason"
        )
    if action not in actions_for(text):
        raise RuleViolation(
            _l("This action does not apply to the text as it is now."), field="action"
        )
    if action == Action.LOCK:
        text.locked_at, text.lock_reason = utcnow(), reason
    elif action == Action.UNLOCK:
        text.locked_at, text.lock_reason = None, None
    elif action in (Action.RESTORE, Action.APPROVE):
        _set_state(text, None, reason)
    elif action == Action.HIDE:
        _set_state(text, ModerationState.HIDDEN, reason)
    elif action == Action.SPAM:
        _set_state(text, ModerationState.SPAM, reason)
    elif action == Action.REMOVE:
        _remove(text, reason)
    if action not in (Action.LOCK, Action.UNLOCK):
        _resolve_flags(text)
    db.session.flush()
    audit.record(moderator, _AUDITED[action], text, question_id=question_of(text).id, detail=reason)
    if action == Action.APPROVE:
        _announce(text)
    _tell_author(text, action, reason)
    db.session.commit()


def hide_everything_by(moderator: User, author: User, reason: str) -> int:
    """Hide every shown question, answer, comment and stance reason of ``author`` (at
    deactivation);
    not committed, so it shares the deactivation's transaction. Returns how many."""
    count = 0
    for model in TEXT_KINDS.values():
        unhidden = select(model).where(
            model.author_id == author.id, model.moderation_state.is_(None)
        )
        if model is Stance:  # a stance without a reason has nothing to hide
            unhidden = unhidden.where(Stance.stored_reason != "")
        for text in db.session.scalars(unhidden):
            _set_state(text, ModerationState.HIDDEN, reason)
            count += 1
    if count:
        db.session.flush()
        audit.record(
            moderator,
            AuditAction.TEXTS_HIDDEN_AT_DEACTIVATION,
            author,
            detail=f"{count} texts: {reason}",
        )
    return count


@dataclass(frozen=True)
class AuthorRecord:
    """What an author's texts went through, for the admins' page of the account."""

    spam: int
    hidden: int
    removed: int
    flags_received: int


def author_record(author: User) -> AuthorRecord:
    """The author's texts marked as spam, hidden and removed, and flags on them: one query."""

    def states(state_list):
        return union_all(
            *(
                select(model.id).where(
                    model.author_id == author.id, model.moderation_state.in_(state_list)
                )
                for model in TEXT_KINDS.values()
            )
        ).subquery()

    def counted(subquery):
        return select(func.count()).select_from(subquery).scalar_subquery()

    flags = (
        select(func.count())
        .select_from(Flag)
        .outerjoin(Question, Question.id == Flag.question_id)
        .outerjoin(Answer, Answer.id == Flag.answer_id)
        .outerjoin(Comment, Comment.id == Flag.comment_id)
        .outerjoin(Stance, Stance.id == Flag.stance_id)
        .where(
            (Question.author_id == author.id)
            | (Answer.author_id == author.id)
            | (Comment.author_id == author.id)
            | (Stance.expert_id == author.id)
        )
        .scalar_subquery()
    )
    row = db.session.execute(
        select(
            counted(states([ModerationState.SPAM])),
            counted(states([ModerationState.HIDDEN, ModerationState.FLAGGED])),
            counted(states([ModerationState.REMOVED])),
            flags,
        )
    ).one()
    return AuthorRecord(*row)


def _set_state(text, state: ModerationState | None, reason: str | None) -> None:
    """Move a text into (or out of) hiding, and keep what follows from that in step:
    the search index, the answer count, the e-mails not yet sent."""
    text.moderation_state = state
    text.moderation_reason = reason if state is not None else None
    text.moderated_at = utcnow()
    if isinstance(text, Answer):
        # A hidden answer leaves search and the clause pages; restored, it returns. (A
        # hidden question stays in the index, filtered by visibility: nothing to do.)
        content.saved(text)
        answers.recount_answers(text.question)
    if state is not None and isinstance(text, Question):
        # Followers are not e-mailed about what the moderators hid before it went out.
        outbox.withdraw_about(text.id)


def _remove(text, reason: str) -> None:
    """Erase the text and its earlier versions; a tombstone stands in its place."""
    _set_state(text, ModerationState.REMOVED, reason)
    if isinstance(text, Stance):
        text.stored_reason = ""
        return
    text.stored_body = ""
    if isinstance(text, Question):
        text.stored_title = ""
        text.removed_at = utcnow()
        outbox.withdraw_about(text.id)
    content.saved(text)  # a removed text is neither searched nor cited
    if not isinstance(text, Comment):
        # Its files go with its text (their bytes once this commits); a hidden text keeps
        # them, as it keeps its text, for the day it is restored.
        attachments.discard(type(text), [text.id])
        column = Revision.question_id if isinstance(text, Question) else Revision.answer_id
        db.session.execute(
            in_threads(delete(Revision).where(column == text.id), question_of(text).id)
        )


def _resolve_flags(text) -> None:
    db.session.execute(
        in_threads(
            update(Flag)
            .where(getattr(Flag, FLAG_COLUMN[type(text)]) == text.id, Flag.resolved_at.is_(None))
            .values(resolved_at=utcnow()),
            question_of(text).id,
        )
    )


def _announce(text) -> None:
    """Tell the followers and participants of an approved post, as at posting."""
    if isinstance(text, Question):
        notifications.question_asked(text)
    elif isinstance(text, Comment):
        notifications.comment_posted(text)


def _tell_author(text, action: Action, reason: str) -> None:
    """A notification and an e-mail in the author's language, with the reason.

    The e-mail follows the author's settings like every notification's; the
    notification itself and the mark on the text with its reason always stay.
    """
    author = text.author
    if author is None or not author.active:
        return
    question = question_of(text)
    db.session.add(
        Notification(user_id=author.id, kind=NotificationKind.MODERATED, question_id=question.id)
    )
    if db.session.get(EmailOptOut, (author.id, NotificationKind.MODERATED)) is not None:
        return
    with in_reader_language(author.locale):
        sentence = _describe(text, action)
        subject = _("[CTCC forum] %(sentence)s", sentence=sentence)
        if question.is_confidential or question.removed_at is not None:
            title_line = _("(The question is confidential: its title is not sent by e-mail.)")
        else:
            title_line = _("Question: %(title)s", title=question.title)
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=author.display_name),
                sentence,
                title_line,
                _("The moderators' reason: %(reason)s", reason=reason),
                _(
                    "Open it: %(link)s",
                    link=notifications.external_url("questions.show", question_id=question.id),
                ),
                "-- ",
                _("If you think this is a mistake, reply to the centre through the contact page."),
            ]
        )
    outbox.enqueue(author.email, subject, body + "\n")


def _describe(text, action: Action) -> str:
    # Whole sentences per kind of text: Italian agrees the participle with the noun.
    if action == Action.LOCK:
        return _("The moderators locked your question: it takes no new answers or comments.")
    if action == Action.UNLOCK:
        return _("The moderators unlocked your question.")
    sentences = {
        Question: {
            Action.HIDE: _("The moderators hid your question."),
            Action.RESTORE: _("The moderators restored your question."),
            Action.REMOVE: _("The moderators removed your question."),
            Action.SPAM: _("The moderators marked your question as spam and hid it."),
            Action.APPROVE: _("The moderators approved your question: it is now shown."),
        },
        Answer: {
            Action.HIDE: _("The moderators hid your answer."),
            Action.RESTORE: _("The moderators restored your answer."),
            Action.REMOVE: _("The moderators removed your answer."),
            Action.SPAM: _("The moderators marked your answer as spam and hid it."),
            Action.APPROVE: _("The moderators approved your answer: it is now shown."),
        },
        Stance: {
            Action.HIDE: _(
                "The moderators hid the reason you gave for your stance on "
                "the board's answer; your stance still counts."
            ),
            Action.RESTORE: _(
                "The moderators restored the reason you gave for your stance on the board's answer."
            ),
            Action.REMOVE: _(
                "The moderators removed the reason you gave for your stance "
                "on the board's answer; your stance still counts."
            ),
            Action.SPAM: _(
                "The moderators marked the reason you gave for your stance on "
                "the board's answer as spam and hid it; your stance still "
                "counts."
            ),
        },
        Comment: {
            Action.HIDE: _("The moderators hid your comment."),
            Action.RESTORE: _("The moderators restored your comment."),
            Action.REMOVE: _("The moderators removed your comment."),
            Action.SPAM: _("The moderators marked your comment as spam and hid it."),
            Action.APPROVE: _("The moderators approved your comment: it is now shown."),
        },
    }
    return sentences[type(text)][action]
