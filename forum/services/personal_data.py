"""A person's own data (GDPR): the download of everything about them, and deleting the account.

Deleting anonymises instead of removing the row: the questions, answers,
comments and board stances others rely on keep an author, now named
"Deleted account <id>", with no e-mail, organisation, profile or way to sign
in. What only served the person (notifications, e-mail preferences, followed
topics, invitations, API tokens, queued and past e-mail) goes; survey
responses stay in the figures without a name.
"""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update
from werkzeug.security import check_password_hash

from forum.extensions import db
from forum.models import (
    Answer,
    ApiToken,
    AuditEntry,
    BoardRevision,
    Comment,
    EmailOptOut,
    HelpfulMark,
    Invitation,
    Notification,
    OutboxMessage,
    Question,
    Revision,
    Stance,
    SurveyResponse,
    Topic,
    User,
    topic_follow,
)
from forum.models.columns import utcnow
from forum.services import accounts, audit
from forum.services.audit import AuditAction
from forum.services.errors import RuleViolation

EXPORT_FORMAT = "ctcc-forum-personal-data/1"


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
            "active": user.active,
            "created_at": _when(user.created_at),
            "privacy_notice_version_accepted": user.privacy_version_accepted,
            "privacy_notice_accepted_at": _when(user.privacy_accepted_at),
        },
        "organisation": None if organisation is None else {
            "name": organisation.name, "kind": organisation.kind.value,
        },
        "expert_profile": None if profile is None else {
            "bio": profile.bio,
            "declaration_of_interests": profile.conflicts,
            "declared_at": _when(profile.conflicts_declared_at),
            "updated_at": _when(profile.updated_at),
        },
        "followed_topics": list(db.session.scalars(
            select(Topic.name).join(topic_follow, topic_follow.c.topic_id == Topic.id)
            .where(topic_follow.c.user_id == uid).order_by(Topic.position, Topic.id)
        )),
        "questions": [{
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
        } for question in questions],
        "answers": _rows(select(Answer).where(Answer.author_id == uid).order_by(Answer.created_at, Answer.id),
                         lambda answer: {
                             "id": answer.id, "question_id": answer.question_id,
                             "body": answer.body, "helpful_count": answer.helpful_count,
                             "created_at": _when(answer.created_at),
                             "updated_at": _when(answer.updated_at)}),
        "comments": _rows(select(Comment).where(Comment.author_id == uid).order_by(Comment.created_at, Comment.id),
                          lambda comment: {
                              "id": comment.id, "question_id": comment.question_id,
                              "answer_id": comment.answer_id, "body": comment.body,
                              "created_at": _when(comment.created_at)}),
        "revisions": _rows(select(Revision).where(Revision.editor_id == uid).order_by(Revision.id),
                           lambda revision: {
                               "question_id": revision.question_id,
                               "answer_id": revision.answer_id, "number": revision.number,
                               "title": revision.title, "body": revision.body,
                               "note": revision.note, "created_at": _when(revision.created_at)}),
        "helpful_marks": _rows(
            select(HelpfulMark).where(HelpfulMark.user_id == uid).order_by(HelpfulMark.answer_id),
            lambda mark: {"answer_id": mark.answer_id, "created_at": _when(mark.created_at)}),
        "board_revisions": _rows(
            select(BoardRevision).where(BoardRevision.editor_id == uid).order_by(BoardRevision.id),
            lambda revision: {
                "board_answer_id": revision.board_answer_id, "number": revision.number,
                "body": revision.body, "note": revision.note,
                "created_at": _when(revision.created_at)}),
        "stances": _rows(select(Stance).where(Stance.expert_id == uid).order_by(Stance.id),
                         lambda stance: {
                             "board_answer_id": stance.board_answer_id,
                             "revision_number": stance.revision_number,
                             "kind": stance.kind.value, "area": stance.area.value,
                             "reason": stance.reason, "created_at": _when(stance.created_at)}),
        "invitations": _rows(
            select(Invitation).where(or_(Invitation.expert_id == uid,
                                         Invitation.invited_by_id == uid))
            .order_by(Invitation.id),
            lambda invitation: {
                "question_id": invitation.question_id,
                "received": invitation.expert_id == uid,
                "message": invitation.message,
                "created_at": _when(invitation.created_at),
                "answered_at": _when(invitation.answered_at)}),
        "notifications": _rows(
            select(Notification).where(Notification.user_id == uid).order_by(Notification.id),
            lambda notification: {
                "kind": notification.kind.value, "question_id": notification.question_id,
                "created_at": _when(notification.created_at),
                "read_at": _when(notification.read_at)}),
        "email_opt_outs": sorted(kind.value for kind in db.session.scalars(
            select(EmailOptOut.kind).where(EmailOptOut.user_id == uid))),
        "survey_responses": _rows(
            select(SurveyResponse).where(SurveyResponse.user_id == uid)
            .order_by(SurveyResponse.id),
            lambda response: {
                "survey_id": response.survey_id,
                "quote_consent": response.quote_consent,
                "submitted_at": _when(response.submitted_at),
                "answers": [{"item": answer.item.prompt, "value": answer.value}
                            for answer in response.answers]}),
        "api_tokens": _rows(select(ApiToken).where(ApiToken.user_id == uid).order_by(ApiToken.id),
                            lambda token: {
                                "name": token.name, "prefix": token.prefix,
                                "created_at": _when(token.created_at),
                                "last_used_at": _when(token.last_used_at),
                                "expires_at": _when(token.expires_at),
                                "read_only": token.read_only,
                                "revoked_at": _when(token.revoked_at)}),
        # What they did, and what was done to their account.
        "audit_entries": _rows(
            select(AuditEntry).where(or_(
                AuditEntry.actor_id == uid,
                (AuditEntry.subject_type == "User") & (AuditEntry.subject_id == uid),
            )).order_by(AuditEntry.id),
            lambda entry: {
                "action": entry.action, "by_you": entry.actor_id == uid,
                "subject": f"{entry.subject_type} {entry.subject_id}",
                "question_id": entry.question_id, "detail": entry.detail,
                "created_at": _when(entry.created_at)}),
    }


def delete_account(user: User, password: str) -> User:
    """Anonymise the account after checking its password; commits.

    Raises RuleViolation (field ``password``) if the password is wrong.
    """
    if not check_password_hash(user.password_hash, password):
        raise RuleViolation(_l("This is not your password."), field="password")
    old_email = user.email
    uid = user.id
    user.display_name = deleted_name(uid)
    user.email = deleted_email(uid)
    user.organisation = None
    user.locale = None
    user.is_chair = False
    user.active = False
    user.deleted_at = utcnow()
    # A random password nobody knows, and a new session token: no way back in.
    accounts.set_password(user, secrets.token_urlsafe(32))
    if user.expert_profile is not None:
        db.session.delete(user.expert_profile)
    for statement in (
        delete(ApiToken).where(ApiToken.user_id == uid),
        delete(Notification).where(Notification.user_id == uid),
        delete(EmailOptOut).where(EmailOptOut.user_id == uid),
        delete(topic_follow).where(topic_follow.c.user_id == uid),
        delete(Invitation).where(Invitation.expert_id == uid),
        # E-mail holds the name and the address; queued mail would go to a gone person.
        delete(OutboxMessage).where(OutboxMessage.recipient == old_email),
        update(SurveyResponse).where(SurveyResponse.user_id == uid).values(user_id=None),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    audit.record(user, AuditAction.ACCOUNT_DELETED, user)
    db.session.commit()
    return user


def _rows(statement, describe) -> list[dict[str, Any]]:
    return [describe(row) for row in db.session.scalars(statement)]


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
