"""Deleting one's account (GDPR): anonymised in place, confidential questions forgotten.

Deleting anonymises instead of removing the row: the questions, answers,
comments and board stances others rely on keep an author, stored as
"Deleted account <id>" and shown as "Former member" (``User.display_name``),
with no e-mail, organisation, profile or way to sign in; the files they uploaded
are deleted (a file may hold anything, names included); the name and address
leave the e-mails sent to others and the audit log's details. What only
served the person (notifications, e-mail preferences, followed topics,
invitations, API tokens, queued and past e-mail, an expert's declarations of
interests) goes; survey responses stay in the figures without a name.

Their confidential questions are forgotten, not only anonymised: the title,
body and every revision's text, their own comments in those threads, the
referral notes and invitation messages about them are erased and the question
leaves the search index. The rows stay (``removed_at`` set), so the experts'
answers, board answers and referrals keep their thread and every count stays
true; pages show a tombstone (``Question.title`` and ``body``, ``Comment.body``).
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash

from forum.extensions import db
from forum.models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    Comment,
    DeclarationOfInterest,
    EmailOptOut,
    Facilitation,
    FacilitationStep,
    Invitation,
    Notification,
    OutboxMessage,
    Question,
    ReferralMessage,
    Revision,
    SurveyResponse,
    User,
    Visibility,
    topic_follow,
)
from forum.models.columns import utcnow
from forum.services import attachments, audit, content
from forum.services.accounts import credentials
from forum.services.errors import RuleViolation

# What the records that named a deleted person say instead (e-mails, the audit log).
FORMER_MEMBER = "a former member"


def deleted_name(user_id: int) -> str:
    return f"Deleted account {user_id}"


def deleted_email(user_id: int) -> str:
    # .invalid is reserved (RFC 2606): never routable, so nothing is ever mailed there.
    return f"deleted-{user_id}@invalid"


def delete_account(user: User, password: str) -> User:
    """Anonymise the account after checking its password; commits.

    Raises RuleViolation (field ``password``) if the password is wrong.
    """
    if not check_password_hash(user.password_hash, password):
        raise RuleViolation(_l("This is not your password."), field="password")
    old_email = user.email
    old_name = user.display_name
    uid = user.id
    user.display_name = deleted_name(uid)
    user.email = deleted_email(uid)
    user.pending_email = None
    # The audit keeps that the profile or address changed, not the names and addresses.
    db.session.execute(
        update(AuditEntry)
        .where(
            AuditEntry.subject_type == "User",
            AuditEntry.subject_id == uid,
            AuditEntry.action.in_(
                (AuditAction.PROFILE_UPDATED.value, AuditAction.EMAIL_CHANGED.value)
            ),
        )
        .values(detail="")
    )
    user.organisation = None
    user.locale = None
    user.is_chair = False
    user.active = False
    user.deleted_at = utcnow()
    # A random password nobody knows, and a new session token: no way back in.
    credentials.set_password(user, secrets.token_urlsafe(32))
    if user.expert_profile is not None:
        db.session.delete(user.expert_profile)
    forgotten = _forget_confidential_questions(uid)
    # What they uploaded anywhere, and every file of the questions forgotten: a file
    # may hold what the text said (their bytes are removed once this commits).
    attachments.discard_uploaded_by(uid, forgotten)
    for statement in (
        delete(ApiToken).where(ApiToken.user_id == uid),
        delete(Notification).where(Notification.user_id == uid),
        delete(EmailOptOut).where(EmailOptOut.user_id == uid),
        delete(topic_follow).where(topic_follow.c.user_id == uid),
        delete(Invitation).where(Invitation.expert_id == uid),
        # Their answers and stances keep no declaration (the column is set to NULL).
        delete(DeclarationOfInterest).where(DeclarationOfInterest.expert_id == uid),
        # E-mail holds the name and the address; queued mail would go to a gone person.
        delete(OutboxMessage).where(OutboxMessage.recipient == old_email),
        update(SurveyResponse).where(SurveyResponse.user_id == uid).values(user_id=None),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    _forget_name_in_records(uid, old_name, old_email)
    audit.record(user, AuditAction.ACCOUNT_DELETED, user)
    db.session.commit()
    return user


def _forget_name_in_records(uid: int, name: str, email: str) -> None:
    """Take the person's name and address out of the texts that copied them.

    Others' e-mails ("Anna Rossi answered your question") and the audit log's
    details ("Invited Anna Rossi (user 7)") keep what happened, told of a
    former member; the names the person gave their API tokens go with them.
    """
    for column in (OutboxMessage.subject, OutboxMessage.body, AuditEntry.detail):
        for copied in (email, name):
            db.session.execute(
                update(column.class_)
                .where(column.contains(copied, autoescape=True))
                .values({column.key: func.replace(column, copied, FORMER_MEMBER)})
                .execution_options(synchronize_session=False)
            )
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_id == uid, AuditEntry.subject_type == ApiToken.__name__)
        .values(detail="")
        .execution_options(synchronize_session=False)
    )


def _forget_confidential_questions(uid: int) -> list[int]:
    """Erase the texts of the person's confidential questions and what was said of them;
    returns their ids.

    Kept: the rows (tombstones), the experts' answers and board answers, the
    referrals' clinics, statuses and dates (the review's figures).
    """
    question_ids = list(
        db.session.scalars(
            select(Question.id).where(
                Question.author_id == uid, Question.visibility == Visibility.CONFIDENTIAL
            )
        )
    )
    if not question_ids:
        return []
    now = utcnow()
    referrals = select(Facilitation.id).where(Facilitation.question_id.in_(question_ids))
    for statement in (
        update(Question)
        .where(Question.id.in_(question_ids))
        .values(stored_title="", stored_body="", removed_at=now),
        delete(Revision).where(Revision.question_id.in_(question_ids)),
        update(Comment)
        .where(Comment.question_id.in_(question_ids), Comment.author_id == uid)
        .values(stored_body="", removed_at=now),
        update(FacilitationStep)
        .where(FacilitationStep.facilitation_id.in_(referrals))
        .values(note=""),
        update(ReferralMessage)
        .where(ReferralMessage.facilitation_id.in_(referrals))
        .values(body=""),
        update(Invitation).where(Invitation.question_id.in_(question_ids)).values(message=""),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    content.withdrawn(Question, question_ids)
    return question_ids
