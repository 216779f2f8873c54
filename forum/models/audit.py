"""The audit log: who did what to which object, and when."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import User
from forum.models.columns import UTCDateTime, utcnow


class AuditAction(StrEnum):
    """The actions the log records (``AuditEntry.action``)."""

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
    MATCHMAKING_ROUND_OPENED = "matchmaking-round-opened"
    MATCHMAKING_ROUND_CLOSED = "matchmaking-round-closed"
    MATCHMAKING_ROUND_REOPENED = "matchmaking-round-reopened"
    MATCHMAKING_PAIR_ACCEPTED = "matchmaking-pair-accepted"
    MATCHMAKING_PAIR_SET_ASIDE = "matchmaking-pair-set-aside"
    INTRODUCTION_STEP_RECORDED = "introduction-step-recorded"
    # The Lombardy-Limburg network's visits and feasibility notes (issue 29).
    STUDY_VISIT_CREATED = "study-visit-created"
    STUDY_VISIT_UPDATED = "study-visit-updated"
    STUDY_VISIT_INTERESTS_EXPORTED = "study-visit-interests-exported"
    FEASIBILITY_NOTE_ADDED = "feasibility-note-added"
    FEASIBILITY_NOTE_EDITED = "feasibility-note-edited"
    NETWORK_PROFILE_CREATED = "network-profile-created"
    NETWORK_PROFILE_UPDATED = "network-profile-updated"
    NETWORK_PROFILE_DELETED = "network-profile-deleted"
    NETWORK_PROFILE_IMPORTED = "network-profile-imported"
    NETWORK_TERM_ADDED = "network-term-added"
    NETWORK_TERM_RENAMED = "network-term-renamed"


class AuditEntry(db.Model):
    """One recorded action. Rows are only ever added.

    ``action`` is a plain string (an ``AuditAction`` value) so that later features add
    actions without a migration.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    # The question the action concerns, if any, so confidential entries can be filtered.
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()
