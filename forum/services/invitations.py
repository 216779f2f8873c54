"""Invitations: an admin or a chair asks a named expert to answer a question."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Answer, AuditAction, Invitation, Question, Role, User
from forum.models.columns import utcnow
from forum.models.generation import in_threads
from forum.permissions import can_invite
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.mail import notifications

MAX_MESSAGE_LENGTH = 500


def invitable_experts() -> list[User]:
    """The active experts, by name, for the invitation form."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.EXPERT, User.active.is_(True))
            .order_by(User.display_name, User.id)
        )
    )


def invite(question: Question, expert: User | None, inviter: User, message: str = "") -> Invitation:
    """Invite a named expert to answer a question; audited, and the expert is notified.

    Raises PermissionDenied unless the inviter is an admin or a chair who can
    see the question; RuleViolation (field "expert") if the target is not an
    active expert, was already invited or already answered; RuleViolation
    (field "message") for a message over 500 characters.
    """
    if not can_invite(inviter, question):
        raise PermissionDenied(_l("Only admins and the board's chairs invite experts."))
    if expert is None or not expert.is_expert or not expert.active:
        raise RuleViolation(_l("Choose one of the board's active experts."), field="expert")
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise RuleViolation(
            _l("Keep the message within %(max)d characters.", max=MAX_MESSAGE_LENGTH),
            field="message",
        )
    already_invited = db.session.scalar(
        select(
            exists().where(Invitation.question_id == question.id, Invitation.expert_id == expert.id)
        )
    )
    if already_invited:
        raise RuleViolation(
            _l(
                "%(name)s has already been invited to answer this question.",
                name=expert.display_name,
            ),
            field="expert",
        )
    already_answered = db.session.scalar(
        select(exists().where(Answer.question_id == question.id, Answer.author_id == expert.id))
    )
    if already_answered:
        raise RuleViolation(
            _l("%(name)s has already answered this question.", name=expert.display_name),
            field="expert",
        )

    invitation = Invitation(question=question, expert=expert, invited_by=inviter, message=message)
    db.session.add(invitation)
    try:
        db.session.flush()
    except IntegrityError:
        # Another admin or chair invited the same expert a moment ago.
        db.session.rollback()
        raise RuleViolation(
            _l(
                "%(name)s has already been invited to answer this question.",
                name=expert.display_name,
            ),
            field="expert",
        ) from None
    audit.record(
        inviter,
        AuditAction.EXPERT_INVITED,
        invitation,
        question_id=question.id,
        detail=f"Invited {expert.display_name} (user {expert.id}).",
    )
    notifications.expert_invited(invitation)
    db.session.commit()
    return invitation


def mark_invitations_answered(question: Question, expert: User) -> None:
    """The expert's pending invitations to the question are answered now (not committed)."""
    db.session.execute(
        in_threads(
            update(Invitation)
            .where(
                Invitation.question_id == question.id,
                Invitation.expert_id == expert.id,
                Invitation.answered_at.is_(None),
            )
            .values(answered_at=utcnow()),
            question.id,
        )
    )
