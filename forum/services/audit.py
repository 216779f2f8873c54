"""The audit log: every board and curation action, with its actor and time.

Entries are added in the same transaction as the action they record, so an
action is never recorded without having happened, nor the reverse.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import AuditEntry, User


class AuditAction(StrEnum):
    BOARD_ANSWER_OPENED = "board-answer-opened"
    BOARD_ANSWER_EDITED = "board-answer-edited"
    BOARD_ANSWER_SUBMITTED = "board-answer-submitted"
    STANCE_RECORDED = "stance-recorded"
    DISSENT_OVERRIDDEN = "dissent-overridden"
    BOARD_ANSWER_PUBLISHED = "board-answer-published"
    BOARD_ANSWER_WITHDRAWN = "board-answer-withdrawn"
    EXPERT_INVITED = "expert-invited"
    EXPERT_PROFILE_UPDATED = "expert-profile-updated"
    FAQ_ENTRY_PROMOTED = "faq-entry-promoted"
    GUIDE_IMPORTED = "guide-imported"
    GUIDE_SECTION_EDITED = "guide-section-edited"
    GUIDE_SECTION_ADDED = "guide-section-added"
    GUIDE_SECTION_REVIEWED = "guide-section-reviewed"
    GUIDE_RELEASED = "guide-released"
    GUIDE_RELEASE_STANCE = "guide-release-stance"
    GUIDE_RELEASE_APPROVED = "guide-release-approved"
    GUIDE_PROPOSAL_MADE = "guide-proposal-made"
    GUIDE_PROPOSAL_ACCEPTED = "guide-proposal-accepted"
    GUIDE_PROPOSAL_DECLINED = "guide-proposal-declined"
    LAW_CHANGE_RECORDED = "law-change-recorded"
    LAW_CHANGE_REVIEWED = "law-change-reviewed"
    FAQ_ENTRY_EDITED = "faq-entry-edited"
    FAQ_ENTRY_REVIEWED = "faq-entry-reviewed"
    FAQ_ENTRY_MOVED = "faq-entry-moved"
    FAQ_ENTRY_UNPUBLISHED = "faq-entry-unpublished"
    FAQ_ENTRY_REPUBLISHED = "faq-entry-republished"
    SURVEY_CREATED = "survey-created"
    SURVEY_OPENED = "survey-opened"
    SURVEY_CLOSED = "survey-closed"
    CLINIC_CREATED = "clinic-created"
    CLINIC_UPDATED = "clinic-updated"
    FACILITATION_PROPOSED = "facilitation-proposed"
    FACILITATION_ADVANCED = "facilitation-advanced"
    REFERRAL_LINK_SENT = "referral-link-sent"
    REFERRAL_ANSWERED = "referral-answered"
    REFERRAL_CONTACTS_RELEASED = "referral-contacts-released"
    REFERRAL_MESSAGE_POSTED = "referral-message-posted"
    TRIAL_START_CONFIRMED = "trial-start-confirmed"
    TRIAL_START_VERIFIED = "trial-start-verified"
    PASSWORD_CHANGED = "password-changed"
    PASSWORD_RESET = "password-reset"
    ACCOUNT_DELETED = "account-deleted"
    API_TOKEN_CREATED = "api-token-created"
    API_TOKEN_REVOKED = "api-token-revoked"
    USER_ROLE_CHANGED = "user-role-changed"
    USER_DEACTIVATED = "user-deactivated"
    USER_REACTIVATED = "user-reactivated"
    CENTRE_PAGE_EDITED = "centre-page-edited"
    PROJECT_REGISTERED = "project-registered"
    PROJECT_UPDATED = "project-updated"
    COUNSELLING_RECORDED = "counselling-recorded"
    REVIEW_REPORT_SAVED = "review-report-saved"
    ORGANISATION_UPDATED = "organisation-updated"
    ORGANISATIONS_MERGED = "organisations-merged"
    PROFILE_UPDATED = "profile-updated"
    EMAIL_CHANGE_REQUESTED = "email-change-requested"
    EMAIL_CHANGED = "email-changed"
    TEXT_HIDDEN = "text-hidden"
    TEXT_RESTORED = "text-restored"
    TEXT_REMOVED = "text-removed"
    TEXT_MARKED_SPAM = "text-marked-spam"
    TEXT_APPROVED = "text-approved"
    QUESTION_LOCKED = "question-locked"
    QUESTION_UNLOCKED = "question-unlocked"
    TEXTS_HIDDEN_AT_DEACTIVATION = "texts-hidden-at-deactivation"
    GUIDE_SECTION_TRANSLATED = "guide-section-translated"
    FAQ_ENTRY_TRANSLATED = "faq-entry-translated"
    LABELS_TRANSLATED = "labels-translated"
    SURVEY_TRANSLATED = "survey-translated"


def record(actor: User | None, action: AuditAction, subject, *,
           question_id: int | None = None, detail: str = "") -> AuditEntry:
    """Add an entry for ``action`` on ``subject`` (a model instance); not committed.

    The subject must already have its id (flush first if it is new).
    """
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action.value,
        subject_type=type(subject).__name__,
        subject_id=subject.id,
        question_id=question_id,
        detail=detail,
    )
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilters:
    action: AuditAction | None = None
    actor_id: int | None = None
    question_id: int | None = None
    since: date | None = None
    until: date | None = None  # inclusive


def search(filters: AuditFilters, page: int, per_page: int = 50) -> Pagination:
    """One page of entries matching the filters, newest first (for admins)."""
    statement = select(AuditEntry).options(selectinload(AuditEntry.actor))
    if filters.action is not None:
        statement = statement.where(AuditEntry.action == filters.action.value)
    if filters.actor_id is not None:
        statement = statement.where(AuditEntry.actor_id == filters.actor_id)
    if filters.question_id is not None:
        statement = statement.where(AuditEntry.question_id == filters.question_id)
    if filters.since is not None:
        statement = statement.where(AuditEntry.created_at >= _start_of(filters.since))
    if filters.until is not None and filters.until < date.max:  # date.max has no next day
        statement = statement.where(
            AuditEntry.created_at < _start_of(filters.until + timedelta(days=1))
        )
    statement = statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
