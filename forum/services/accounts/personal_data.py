"""A person's own data (GDPR): the download of everything about them, and deleting the account.

Deleting anonymises instead of removing the row: the questions, answers,
comments and board stances others rely on keep an author, stored as
"Deleted account <id>" and shown as "Former member" (``User.display_name``),
with no e-mail, organisation, profile or way to sign in; the name and address
leave the e-mails sent to others and the audit log's details. What only served the person (notifications, e-mail preferences, followed
topics, invitations, API tokens, queued and past e-mail, an expert's
declarations of interests) goes; survey responses stay in the figures without
a name.

Their confidential questions are forgotten, not only anonymised: the title,
body and every revision's text, their own comments in those threads, the
referral notes and invitation messages about them are erased and the question
leaves the search index. The rows stay (``removed_at`` set), so the experts'
answers, board answers and referrals keep their thread and every count stays
true; pages show a tombstone (``Question.title`` and ``body``, ``Comment.body``).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash

from forum.extensions import db
from forum.models import (
    Answer,
    ApiToken,
    AuditAction,
    AuditEntry,
    BoardRevision,
    Comment,
    DeclarationOfInterest,
    EmailOptOut,
    Facilitation,
    FacilitationStep,
    Flag,
    GuideProposal,
    GuideReleaseStance,
    HelpfulMark,
    Invitation,
    Notification,
    OutboxMessage,
    Question,
    ReferralMessage,
    Revision,
    Stance,
    SurveyResponse,
    Topic,
    User,
    Visibility,
    topic_follow,
)
from forum.models.columns import utcnow
from forum.permissions import can_see_question
from forum.services import audit, content
from forum.services.accounts import credentials
from forum.services.errors import RuleViolation

EXPORT_FORMAT = "ctcc-forum-personal-data/1"


# What the records that named a deleted person say instead (e-mails, the audit log).
FORMER_MEMBER = "a former member"


def deleted_name(user_id: int) -> str:
    return f"Deleted account {user_id}"


def deleted_email(user_id: int) -> str:
    # .invalid is reserved (RFC 2606): never routable, so nothing is ever mailed there.
    return f"deleted-{user_id}@invalid"


def export(user: User) -> dict[str, Any]:
    """Everything the forum holds about ``user``, as JSON-ready data.

    Never the password hash, the session token or an API token's hash: those
    are secrets, not information about the person. Raises nothing.
    """
    uid = user.id
    organisation = user.organisation
    profile = user.expert_profile
    questions = db.session.scalars(
        select(Question).where(Question.author_id == uid).order_by(Question.created_at, Question.id)
    ).all()
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _when(utcnow()),
        "profile": {
            "id": uid,
            "display_name": user.display_name,
            "email": user.email,
            "role": user.role.value,
            "area": user.area.value if user.area else None,
            "is_chair": user.is_chair,
            "locale": user.locale,
            "email_frequency": user.email_frequency.value,
            "active": user.active,
            "created_at": _when(user.created_at),
            "privacy_notice_version_accepted": user.privacy_version_accepted,
            "privacy_notice_accepted_at": _when(user.privacy_accepted_at),
            "email_awaiting_confirmation": user.pending_email,
        },
        "organisation": None
        if organisation is None
        else {
            "name": organisation.name,
            "kind": organisation.kind.value,
            "country": organisation.country,
            "province": organisation.province,
            "region": organisation.region,
            "website": organisation.website,
        },
        "expert_profile": None
        if profile is None
        else {
            "bio": profile.bio,
            "declaration_of_interests": profile.conflicts,
            "declared_at": _when(profile.conflicts_declared_at),
            "updated_at": _when(profile.updated_at),
        },
        "declarations_of_interests": _rows(
            select(DeclarationOfInterest)
            .where(DeclarationOfInterest.expert_id == uid)
            .order_by(DeclarationOfInterest.number),
            lambda version: {
                "number": version.number,
                "text": version.text,
                "declared_at": _when(version.declared_at),
            },
        ),
        "followed_topics": list(
            db.session.scalars(
                select(Topic.name)
                .join(topic_follow, topic_follow.c.topic_id == Topic.id)
                .where(topic_follow.c.user_id == uid)
                .order_by(Topic.position, Topic.id)
            )
        ),
        "questions": [
            {
                "id": question.id,
                "title": question.title,
                "body": question.body,
                "visibility": question.visibility.value,
                "status": question.status.value,
                "device_class": question.device_class.value,
                "stage": question.stage.value,
                "topics": [topic.name for topic in question.topics],
                "created_at": _when(question.created_at),
                "updated_at": _when(question.updated_at),
            }
            for question in questions
        ],
        "answers": _rows(
            select(Answer).where(Answer.author_id == uid).order_by(Answer.created_at, Answer.id),
            lambda answer: {
                "id": answer.id,
                "question_id": answer.question_id,
                "body": answer.body,
                "helpful_count": answer.helpful_count,
                "created_at": _when(answer.created_at),
                "updated_at": _when(answer.updated_at),
            },
        ),
        "comments": _rows(
            select(Comment)
            .where(Comment.author_id == uid)
            .order_by(Comment.created_at, Comment.id),
            lambda comment: {
                "id": comment.id,
                "question_id": comment.question_id,
                "answer_id": comment.answer_id,
                "body": comment.body,
                "created_at": _when(comment.created_at),
            },
        ),
        "revisions": _rows(
            select(Revision).where(Revision.editor_id == uid).order_by(Revision.id),
            lambda revision: {
                "question_id": revision.question_id,
                "answer_id": revision.answer_id,
                "number": revision.number,
                "title": revision.title,
                "body": revision.body,
                "note": revision.note,
                "created_at": _when(revision.created_at),
            },
        ),
        "helpful_marks": _rows(
            select(HelpfulMark).where(HelpfulMark.user_id == uid).order_by(HelpfulMark.answer_id),
            lambda mark: {"answer_id": mark.answer_id, "created_at": _when(mark.created_at)},
        ),
        "board_revisions": _rows(
            select(BoardRevision).where(BoardRevision.editor_id == uid).order_by(BoardRevision.id),
            lambda revision: {
                "board_answer_id": revision.board_answer_id,
                "number": revision.number,
                "body": revision.body,
                "note": revision.note,
                "created_at": _when(revision.created_at),
            },
        ),
        "stances": _rows(
            select(Stance).where(Stance.expert_id == uid).order_by(Stance.id),
            lambda stance: {
                "board_answer_id": stance.board_answer_id,
                "revision_number": stance.revision_number,
                "kind": stance.kind.value,
                "area": stance.area.value,
                "reason": stance.reason,
                "created_at": _when(stance.created_at),
            },
        ),
        "guide_proposals": _rows(
            select(GuideProposal)
            .where(GuideProposal.proposer_id == uid)
            .order_by(GuideProposal.id),
            lambda proposal: {
                "section_id": proposal.section_id,
                "title": proposal.title,
                "body": proposal.body,
                "note": proposal.note,
                "status": proposal.status.value,
                "decision_note": proposal.decision_note,
                "created_at": _when(proposal.created_at),
                "decided_at": _when(proposal.decided_at),
            },
        ),
        "guide_release_stances": _rows(
            select(GuideReleaseStance)
            .where(GuideReleaseStance.expert_id == uid)
            .order_by(GuideReleaseStance.id),
            lambda stance: {
                "release_id": stance.release_id,
                "kind": stance.kind.value,
                "area": stance.area.value,
                "reason": stance.reason,
                "created_at": _when(stance.created_at),
            },
        ),
        "invitations": _rows(
            select(Invitation)
            .where(or_(Invitation.expert_id == uid, Invitation.invited_by_id == uid))
            .order_by(Invitation.id),
            lambda invitation: {
                "question_id": invitation.question_id,
                "received": invitation.expert_id == uid,
                "message": invitation.message,
                "created_at": _when(invitation.created_at),
                "answered_at": _when(invitation.answered_at),
            },
        ),
        "notifications": _rows(
            select(Notification).where(Notification.user_id == uid).order_by(Notification.id),
            lambda notification: {
                "kind": notification.kind.value,
                "question_id": notification.question_id,
                "created_at": _when(notification.created_at),
                "read_at": _when(notification.read_at),
                "awaits_digest": notification.awaits_digest,
                "digested_at": _when(notification.digested_at),
            },
        ),
        "email_opt_outs": sorted(
            kind.value
            for kind in db.session.scalars(
                select(EmailOptOut.kind).where(EmailOptOut.user_id == uid)
            )
        ),
        "referrals": _referrals(uid),
        "referrals_made": _referrals_made(user),
        # The flags the person raised (who flagged is otherwise shown to admins only).
        "flags": _rows(
            select(Flag).where(Flag.user_id == uid).order_by(Flag.created_at, Flag.id),
            lambda flag: {
                "question_id": flag.question_id,
                "answer_id": flag.answer_id,
                "comment_id": flag.comment_id,
                "stance_id": flag.stance_id,
                "reason": flag.reason.value,
                "note": flag.note,
                "created_at": _when(flag.created_at),
                "resolved_at": _when(flag.resolved_at),
            },
        ),
        "survey_responses": _rows(
            select(SurveyResponse).where(SurveyResponse.user_id == uid).order_by(SurveyResponse.id),
            lambda response: {
                "survey_id": response.survey_id,
                "quote_consent": response.quote_consent,
                "submitted_at": _when(response.submitted_at),
                "answers": [
                    {"item": answer.item.prompt, "value": answer.value}
                    for answer in response.answers
                ],
            },
        ),
        "api_tokens": _rows(
            select(ApiToken).where(ApiToken.user_id == uid).order_by(ApiToken.id),
            lambda token: {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": _when(token.created_at),
                "last_used_at": _when(token.last_used_at),
                "expires_at": _when(token.expires_at),
                "read_only": token.read_only,
                "revoked_at": _when(token.revoked_at),
            },
        ),
        # What they did, and what was done to their account.
        "audit_entries": _rows(
            select(AuditEntry)
            .where(
                or_(
                    AuditEntry.actor_id == uid,
                    (AuditEntry.subject_type == "User") & (AuditEntry.subject_id == uid),
                )
            )
            .order_by(AuditEntry.id),
            lambda entry: {
                "action": entry.action,
                "by_you": entry.actor_id == uid,
                "subject": f"{entry.subject_type} {entry.subject_id}",
                "question_id": entry.question_id,
                "detail": entry.detail,
                "created_at": _when(entry.created_at),
            },
        ),
    }


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
    _forget_confidential_questions(uid)
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


def _forget_confidential_questions(uid: int) -> None:
    """Erase the texts of the person's confidential questions and what was said of them.

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
        return
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


def _referrals(uid: int) -> list[dict[str, Any]]:
    """Referrals of the person's questions to clinics, with their dated steps.

    Only their own questions: a colleague's referral under the same
    organisation is about the colleague's question, which may be confidential.
    """
    facilitations = db.session.scalars(
        select(Facilitation)
        .join(Question, Question.id == Facilitation.question_id)
        .where(Question.author_id == uid)
        .order_by(Facilitation.id)
    ).all()
    return [
        {
            "id": facilitation.id,
            "question_id": facilitation.question_id,
            "clinic": facilitation.clinic.name,
            "organisation": facilitation.organisation.name if facilitation.organisation else None,
            "status": facilitation.status.value,
            "trial_started_on": (
                facilitation.trial_started_on.isoformat() if facilitation.trial_started_on else None
            ),
            "created_at": _when(facilitation.created_at),
            "steps": [
                {
                    "status": step.status.value,
                    "occurred_on": step.occurred_on.isoformat(),
                    "note": step.note,
                }
                for step in facilitation.steps
            ],
            "my_answer": facilitation.member_decision.value
            if facilitation.member_decision
            else None,
            "trial_start_confirmed_by": (
                facilitation.trial_confirmation.value if facilitation.trial_confirmation else None
            ),
            # The clinic's contact only once both sides agreed, as on the pages.
            "clinic_contact": (
                {
                    "name": facilitation.clinic.contact_name,
                    "email": facilitation.clinic.contact_email,
                    "phone": facilitation.clinic.contact_phone,
                }
                if facilitation.contacts_released_at is not None
                else None
            ),
            "my_messages": [
                {"body": message.body, "created_at": _when(message.created_at)}
                for message in facilitation.messages
                if message.author_id == uid
            ],
        }
        for facilitation in facilitations
    ]


def _referrals_made(user: User) -> list[dict[str, Any]]:
    """Referrals the person proposed, or moved a step, as an expert or an admin.

    Only on questions they may still see: someone no longer on the board does
    not learn of a confidential question through their own old referral.
    """
    uid = user.id
    facilitations = db.session.scalars(
        select(Facilitation)
        .where(
            or_(
                Facilitation.expert_id == uid,
                Facilitation.id.in_(
                    select(FacilitationStep.facilitation_id).where(
                        FacilitationStep.recorded_by_id == uid
                    )
                ),
            )
        )
        .order_by(Facilitation.id)
    ).all()
    return [
        {
            "id": facilitation.id,
            "question_id": facilitation.question_id,
            "clinic": facilitation.clinic.name,
            "status": facilitation.status.value,
            "proposed_by_you": facilitation.expert_id == uid,
            "created_at": _when(facilitation.created_at),
            "steps_you_recorded": [
                {
                    "status": step.status.value,
                    "occurred_on": step.occurred_on.isoformat(),
                    "note": step.note,
                }
                for step in facilitation.steps
                if step.recorded_by_id == uid
            ],
        }
        for facilitation in facilitations
        if can_see_question(user, facilitation.question)
    ]


def _rows(statement, describe) -> list[dict[str, Any]]:
    return [describe(row) for row in db.session.scalars(statement)]


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
