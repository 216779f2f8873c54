"""A person's own data (GDPR): the download of everything the forum holds about them.

What the account page's download gives (``export``): the profile, the organisation, an
expert's declarations, everything they wrote, marked, followed, flagged or answered in a
survey, their referrals (those of their own questions, and those they made or stepped,
only on questions they may still see), their API tokens and the audit entries about them.
Never a secret: no password hash, session token or token hash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from forum.extensions import db
from forum.models import (
    Answer,
    ApiToken,
    Attachment,
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
    Question,
    Revision,
    Stance,
    SurveyResponse,
    Topic,
    User,
    topic_follow,
)
from forum.models.columns import utcnow
from forum.permissions import can_see_question

EXPORT_FORMAT = "ctcc-forum-personal-data/1"


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
        # The files they uploaded, described (each is downloaded from its text's page, by
        # whoever may read that text).
        "attachments": _rows(
            select(Attachment)
            .where(Attachment.uploader_id == uid)
            .order_by(Attachment.created_at, Attachment.id),
            lambda attachment: {
                "id": attachment.id,
                "attached_to": {
                    "kind": attachment.owner_kind,
                    "id": getattr(attachment, attachment.owner_kind + "_id"),
                },
                "name": attachment.name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "created_at": _when(attachment.created_at),
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
