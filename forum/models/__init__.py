"""The tables. Importing this package registers every model with the metadata."""

from forum.models.accounts import (
    EmailFrequency,
    ExpertArea,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from forum.models.api_tokens import ApiToken
from forum.models.attachments import Attachment
from forum.models.audit import AuditAction, AuditEntry
from forum.models.board import BoardAnswer, BoardAnswerStatus, BoardRevision, Stance, StanceKind
from forum.models.centre_pages import CentrePage, CentrePageRevision
from forum.models.citations import Citation
from forum.models.clinics import (
    Clinic,
    Facilitation,
    FacilitationStatus,
    FacilitationStep,
    ReferralDecision,
    ReferralLink,
    ReferralMessage,
    TrialConfirmation,
)
from forum.models.experts import DeclarationOfInterest, ExpertProfile, Invitation, topic_follow
from forum.models.faq import FaqEntry, FaqRevision
from forum.models.generation import (
    AreaGeneration,
    ContentGeneration,
    ThreadGeneration,
    UserPageGeneration,
)
from forum.models.guide import (
    GuideProposal,
    GuideRelease,
    GuideReleaseStance,
    GuideRevision,
    GuideSection,
    ProposalStatus,
    ReleaseApproval,
    ReleaseKind,
)
from forum.models.label_translations import LabelKind, LabelTranslation
from forum.models.languages import ContentLanguage
from forum.models.law_changes import LawChange, LawChangeFlag
from forum.models.moderation import HIDDEN_STATES, Flag, FlagReason, Moderated, ModerationState
from forum.models.notifications import EmailOptOut, Notification, NotificationKind
from forum.models.outbox import OutboxMessage, OutboxStatus
from forum.models.projects import (
    CounsellingSession,
    FundedProject,
    ReviewPeriodReport,
    project_beneficiary,
    session_expert,
)
from forum.models.questions import (
    Answer,
    Comment,
    DevelopmentStage,
    DeviceClass,
    HelpfulMark,
    Question,
    QuestionStatus,
    Revision,
    Topic,
    Visibility,
    question_topic,
)
from forum.models.search import DocumentKind, SearchDocument, SearchText
from forum.models.survey import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyItem,
    SurveyItemKind,
    SurveyResponse,
    SurveyStatus,
)
from forum.models.translations import (
    FaqEntryTranslation,
    FaqEntryTranslationRevision,
    GuideReleaseTranslation,
    GuideSectionTranslation,
    GuideSectionTranslationRevision,
)
from forum.models.visits import VisitDay, VisitorMark, VisitSalt

__all__ = [
    "Attachment",
    "HIDDEN_STATES",
    "Flag",
    "FlagReason",
    "Moderated",
    "ModerationState",
    "Answer",
    "ApiToken",
    "AuditAction",
    "AuditEntry",
    "BoardAnswer",
    "BoardAnswerStatus",
    "BoardRevision",
    "CentrePage",
    "CentrePageRevision",
    "Citation",
    "Clinic",
    "CounsellingSession",
    "FundedProject",
    "ReviewPeriodReport",
    "project_beneficiary",
    "session_expert",
    "ContentLanguage",
    "LabelKind",
    "LabelTranslation",
    "Facilitation",
    "FacilitationStatus",
    "FacilitationStep",
    "ReferralDecision",
    "ReferralLink",
    "ReferralMessage",
    "TrialConfirmation",
    "Survey",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyItem",
    "SurveyItemKind",
    "SurveyResponse",
    "SurveyStatus",
    "VisitDay",
    "VisitSalt",
    "VisitorMark",
    "EmailOptOut",
    "FaqRevision",
    "FaqEntryTranslation",
    "FaqEntryTranslationRevision",
    "GuideReleaseTranslation",
    "GuideSectionTranslation",
    "GuideSectionTranslationRevision",
    "GuideProposal",
    "GuideRelease",
    "GuideReleaseStance",
    "GuideRevision",
    "GuideSection",
    "DeclarationOfInterest",
    "LawChange",
    "LawChangeFlag",
    "ProposalStatus",
    "ReleaseApproval",
    "ReleaseKind",
    "ExpertProfile",
    "Invitation",
    "Notification",
    "EmailFrequency",
    "NotificationKind",
    "OutboxMessage",
    "OutboxStatus",
    "DocumentKind",
    "SearchDocument",
    "SearchText",
    "Stance",
    "StanceKind",
    "topic_follow",
    "Comment",
    "AreaGeneration",
    "ThreadGeneration",
    "ContentGeneration",
    "UserPageGeneration",
    "DevelopmentStage",
    "DeviceClass",
    "ExpertArea",
    "FaqEntry",
    "HelpfulMark",
    "Organisation",
    "OrganisationKind",
    "Question",
    "QuestionStatus",
    "Revision",
    "Role",
    "Topic",
    "User",
    "Visibility",
    "question_topic",
]
