"""Translated labels for the domain's enumerations: form choices, template names, export headings.

A support module (like permissions), so services building exports use the
same words as the pages.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from forum.models import (
    AuditAction,
    BoardAnswerStatus,
    DevelopmentStage,
    DeviceClass,
    EmailFrequency,
    ExpertArea,
    FacilitationStatus,
    FlagReason,
    FundingProgramme,
    IntroductionState,
    ModerationState,
    NetworkRegion,
    NotificationKind,
    OrganisationKind,
    OutboxStatus,
    ProposalStatus,
    QuestionStatus,
    ReleaseKind,
    Role,
    RoundStatus,
    StanceKind,
    SurveyItemKind,
    SurveyStatus,
    Visibility,
    VisitKind,
    VisitStatus,
)

ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.EXPERT: _l("Expert"),
    Role.ADMIN: _l("Administrator"),
}
ORGANISATION_KIND_LABELS = {
    OrganisationKind.SME: _l("SME"),
    OrganisationKind.START_UP: _l("Start-up"),
    OrganisationKind.RESEARCH: _l("Research organisation"),
    OrganisationKind.UNIVERSITY: _l("University"),
    OrganisationKind.CLINIC: _l("Clinic"),
    OrganisationKind.HOSPITAL: _l("Hospital"),
    OrganisationKind.CLUSTER: _l("Cluster"),
    OrganisationKind.PUBLIC_BODY: _l("Public body"),
}
EXPERT_AREA_LABELS = {
    ExpertArea.RESEARCH: _l("Research"),
    ExpertArea.UNIVERSITY: _l("University"),
    ExpertArea.CLINICAL: _l("Clinical practice"),
    ExpertArea.SME: _l("Industry (SME)"),
    ExpertArea.REGULATORY: _l("Regulatory"),
}
DEVICE_CLASS_LABELS = {
    DeviceClass.CLASS_I: _l("Class I"),
    DeviceClass.CLASS_IIA: _l("Class IIa"),
    DeviceClass.CLASS_IIB: _l("Class IIb"),
    DeviceClass.CLASS_III: _l("Class III"),
    DeviceClass.IVD: _l("In vitro diagnostic (IVD)"),
    DeviceClass.UNKNOWN: _l("Not yet classified"),
}
STAGE_LABELS = {
    DevelopmentStage.CONCEPT: _l("Concept"),
    DevelopmentStage.PROTOTYPE: _l("Prototype"),
    DevelopmentStage.PRECLINICAL: _l("Pre-clinical testing"),
    DevelopmentStage.FIRST_IN_HUMAN: _l("First in human"),
    DevelopmentStage.PIVOTAL: _l("Pivotal study"),
    DevelopmentStage.ON_MARKET: _l("On the market (CE marked)"),
}
VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public: anyone can read it"),
    Visibility.CONFIDENTIAL: _l("Confidential: only you, the experts and the centre's admins"),
}
STATUS_LABELS = {
    QuestionStatus.OPEN: _l("Open"),
    QuestionStatus.ANSWERED: _l("Answered"),
    QuestionStatus.CLOSED: _l("Closed"),
}

BOARD_STATUS_LABELS = {
    BoardAnswerStatus.DRAFTING: _l("Drafting"),
    BoardAnswerStatus.IN_REVIEW: _l("In review"),
    BoardAnswerStatus.PUBLISHED: _l("Published"),
    BoardAnswerStatus.WITHDRAWN: _l("Withdrawn"),
}
# The same states naming a list of board answers (/board's tabs): plural where the
# language inflects it ("Pubblicate", not "Pubblicata").
BOARD_STATUS_LIST_LABELS = {
    BoardAnswerStatus.DRAFTING: lazy_pgettext("board answers", "Drafting"),
    BoardAnswerStatus.IN_REVIEW: lazy_pgettext("board answers", "In review"),
    BoardAnswerStatus.PUBLISHED: lazy_pgettext("board answers", "Published"),
    BoardAnswerStatus.WITHDRAWN: lazy_pgettext("board answers", "Withdrawn"),
}
STANCE_KIND_LABELS = {
    StanceKind.ENDORSE: _l("Endorse"),
    StanceKind.DISSENT: _l("Dissent"),
    StanceKind.ABSTAIN: _l("Abstain"),
}

AUDIT_ACTION_LABELS = {
    AuditAction.BOARD_ANSWER_OPENED: _l("Board answer opened"),
    AuditAction.BOARD_ANSWER_EDITED: _l("Board answer edited"),
    AuditAction.BOARD_ANSWER_SUBMITTED: _l("Board answer submitted for endorsement"),
    AuditAction.STANCE_RECORDED: _l("Stance recorded"),
    AuditAction.DISSENT_OVERRIDDEN: _l("Dissent overridden"),
    AuditAction.BOARD_ANSWER_PUBLISHED: _l("Board answer published"),
    AuditAction.BOARD_ANSWER_WITHDRAWN: _l("Board answer withdrawn"),
    AuditAction.EXPERT_INVITED: _l("Expert invited"),
    AuditAction.EXPERT_PROFILE_UPDATED: _l("Expert profile updated"),
    AuditAction.FAQ_ENTRY_PROMOTED: _l("Answer promoted to the FAQ"),
    AuditAction.GUIDE_IMPORTED: _l("Guide imported from its file"),
    AuditAction.GUIDE_SECTION_EDITED: _l("Guide section edited"),
    AuditAction.GUIDE_SECTION_ADDED: _l("Guide section added"),
    AuditAction.GUIDE_SECTION_REVIEWED: _l("Guide section marked reviewed"),
    AuditAction.GUIDE_RELEASED: _l("Guide released"),
    AuditAction.GUIDE_RELEASE_STANCE: _l("Stance taken on a guide release"),
    AuditAction.GUIDE_RELEASE_APPROVED: _l("Guide release approved and published"),
    AuditAction.GUIDE_PROPOSAL_MADE: _l("Guide text proposed by an expert"),
    AuditAction.GUIDE_PROPOSAL_ACCEPTED: _l("Guide proposal accepted"),
    AuditAction.GUIDE_PROPOSAL_DECLINED: _l("Guide proposal declined"),
    AuditAction.LAW_CHANGE_RECORDED: _l("Change of a cited law recorded"),
    AuditAction.LAW_CHANGE_REVIEWED: _l("Text reviewed after a change of the law"),
    AuditAction.FAQ_ENTRY_EDITED: _l("FAQ entry edited"),
    AuditAction.FAQ_ENTRY_REVIEWED: _l("FAQ entry marked reviewed"),
    AuditAction.FAQ_ENTRY_MOVED: _l("FAQ entry moved"),
    AuditAction.FAQ_ENTRY_UNPUBLISHED: _l("FAQ entry unpublished"),
    AuditAction.FAQ_ENTRY_REPUBLISHED: _l("FAQ entry published again"),
    AuditAction.GUIDE_SECTION_TRANSLATED: _l("Guide section's translation saved"),
    AuditAction.FAQ_ENTRY_TRANSLATED: _l("FAQ entry's translation saved"),
    AuditAction.SURVEY_CREATED: _l("Survey created"),
    AuditAction.SURVEY_OPENED: _l("Survey opened"),
    AuditAction.SURVEY_CLOSED: _l("Survey closed"),
    AuditAction.CLINIC_CREATED: _l("Clinic added to the directory"),
    AuditAction.CLINIC_UPDATED: _l("Clinic changed, deactivated or reactivated"),
    AuditAction.FACILITATION_PROPOSED: _l("Question referred to a clinic"),
    AuditAction.FACILITATION_ADVANCED: _l("Referral moved to its next step"),
    AuditAction.REFERRAL_LINK_SENT: _l("Referral link e-mailed to the clinic"),
    AuditAction.REFERRAL_ANSWERED: _l("Introduction accepted or declined"),
    AuditAction.REFERRAL_CONTACTS_RELEASED: _l("Both sides agreed: contacts released"),
    AuditAction.REFERRAL_MESSAGE_POSTED: _l("Message in a referral's thread"),
    AuditAction.TRIAL_START_CONFIRMED: _l("Trial start confirmed"),
    AuditAction.TRIAL_START_VERIFIED: _l("Trial start verified by an admin"),
    AuditAction.PASSWORD_CHANGED: _l("Password changed"),
    AuditAction.PASSWORD_RESET: _l("Password reset through an e-mailed link"),
    AuditAction.ACCOUNT_DELETED: _l("Account deleted and anonymised"),
    AuditAction.API_TOKEN_CREATED: _l("API token created"),
    AuditAction.API_TOKEN_REVOKED: _l("API token revoked"),
    AuditAction.USER_ROLE_CHANGED: _l("Account's role, expert area or chair changed"),
    AuditAction.USER_DEACTIVATED: _l("Account deactivated"),
    AuditAction.USER_REACTIVATED: _l("Account reactivated"),
    AuditAction.CENTRE_PAGE_EDITED: _l("Centre page edited (about, contact, privacy, terms)"),
    AuditAction.PROJECT_REGISTERED: _l("Funded project registered"),
    AuditAction.PROJECT_UPDATED: _l("Funded project edited"),
    AuditAction.COUNSELLING_RECORDED: _l("Counselling session recorded"),
    AuditAction.REVIEW_REPORT_SAVED: _l("Review targets and narrative saved"),
    AuditAction.ORGANISATION_UPDATED: _l("Organisation's details edited"),
    AuditAction.ORGANISATIONS_MERGED: _l("Duplicate organisation merged"),
    AuditAction.PROFILE_UPDATED: _l("Own name, organisation or language changed"),
    AuditAction.EMAIL_CHANGE_REQUESTED: _l("New e-mail address asked for, awaiting its link"),
    AuditAction.EMAIL_CHANGED: _l("E-mail address changed through the link sent to it"),
    AuditAction.TEXT_HIDDEN: _l("Text hidden by the moderators"),
    AuditAction.TEXT_RESTORED: _l("Text restored by the moderators"),
    AuditAction.TEXT_REMOVED: _l("Text removed by the moderators"),
    AuditAction.TEXT_MARKED_SPAM: _l("Text marked as spam"),
    AuditAction.TEXT_APPROVED: _l("New account's post approved"),
    AuditAction.QUESTION_LOCKED: _l("Question locked"),
    AuditAction.QUESTION_UNLOCKED: _l("Question unlocked"),
    AuditAction.TEXTS_HIDDEN_AT_DEACTIVATION: _l("Texts hidden when the account was deactivated"),
    AuditAction.LABELS_TRANSLATED: _l(
        "Italian names of topics, specialties or populations changed"
    ),
    AuditAction.SURVEY_TRANSLATED: _l("Survey's Italian text changed"),
    AuditAction.MATCHMAKING_ROUND_OPENED: _l("Matchmaking round opened"),
    AuditAction.MATCHMAKING_ROUND_CLOSED: _l("Matchmaking round closed"),
    AuditAction.MATCHMAKING_ROUND_REOPENED: _l("Matchmaking round reopened"),
    AuditAction.MATCHMAKING_PAIR_ACCEPTED: _l("Suggested pair accepted: introduction proposed"),
    AuditAction.MATCHMAKING_PAIR_SET_ASIDE: _l("Suggested pair set aside"),
    AuditAction.INTRODUCTION_STEP_RECORDED: _l("Step of an introduction recorded"),
    AuditAction.STUDY_VISIT_CREATED: _l("Network visit added"),
    AuditAction.STUDY_VISIT_UPDATED: _l("Network visit changed"),
    AuditAction.STUDY_VISIT_INTERESTS_EXPORTED: _l("Interest in a network visit exported"),
    AuditAction.FEASIBILITY_NOTE_ADDED: _l("Feasibility note added"),
    AuditAction.FEASIBILITY_NOTE_EDITED: _l("Feasibility note changed"),
    AuditAction.NETWORK_PROFILE_CREATED: _l("Network profile created"),
    AuditAction.NETWORK_PROFILE_UPDATED: _l("Network profile changed"),
    AuditAction.NETWORK_PROFILE_DELETED: _l("Network profile deleted"),
    AuditAction.NETWORK_PROFILE_IMPORTED: _l("Network profile imported"),
    AuditAction.NETWORK_TERM_ADDED: _l("Network vocabulary term added"),
    AuditAction.NETWORK_TERM_RENAMED: _l("Network vocabulary term renamed"),
}
FACILITATION_STATUS_LABELS = {
    FacilitationStatus.PROPOSED: _l("Proposed"),
    FacilitationStatus.CONTACTED: _l("Clinic contacted"),
    FacilitationStatus.AGREED: _l("Both sides agreed"),
    FacilitationStatus.TRIAL_STARTED: _l("Trial started"),
    FacilitationStatus.DECLINED: _l("Declined"),
    FacilitationStatus.ENROLLED: _l("First subject enrolled"),
    FacilitationStatus.COMPLETED: _l("Trial completed"),
    FacilitationStatus.REPORT_SUBMITTED: _l("Report submitted"),
    FacilitationStatus.CE_MARKED: _l("CE mark obtained"),
    FacilitationStatus.ABANDONED: _l("Abandoned"),
}
# A context of their own: "Open" and "Closed" also name a question's status, and
# Italian agrees them with the noun (una domanda aperta, un questionario aperto).
SURVEY_STATUS_LABELS = {
    SurveyStatus.DRAFT: _l("Draft"),
    SurveyStatus.OPEN: lazy_pgettext("survey", "Open"),
    SurveyStatus.CLOSED: lazy_pgettext("survey", "Closed"),
}
SURVEY_ITEM_KIND_LABELS = {
    SurveyItemKind.LIKERT: _l("Agreement scale (1 to 5)"),
    SurveyItemKind.SINGLE: _l("Single choice"),
    SurveyItemKind.MULTIPLE: _l("Multiple choice"),
    SurveyItemKind.NPS: _l("Recommendation score (0 to 10)"),
    SurveyItemKind.TEXT: _l("Free text"),
}
# The points of a Likert item, keyed by the stored value.
LIKERT_LABELS = {
    "1": _l("Strongly disagree"),
    "2": _l("Disagree"),
    "3": _l("Neither agree nor disagree"),
    "4": _l("Agree"),
    "5": _l("Strongly agree"),
}
# The sections of the visit figures (forum/services/visits.py SECTIONS).
VISIT_SECTION_LABELS = {
    "home": _l("Home page"),
    "questions": _l("Questions"),
    "faq": _l("FAQ"),
    "guide": _l("Guide"),
    "clinics": _l("Clinics"),
    "experts": _l("Experts"),
    "board": _l("Board"),
    "search": _l("Search"),
    "other": _l("Other pages"),
}
OUTBOX_STATUS_LABELS = {
    OutboxStatus.QUEUED: _l("Queued"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
}

# What each notification is about, as the settings page lists them.
NOTIFICATION_KIND_LABELS = {
    NotificationKind.NEW_QUESTION_IN_TOPIC: _l("A new question in a topic I follow"),
    NotificationKind.INVITATION: _l("An invitation to answer a question"),
    NotificationKind.STANCE_NEEDED: _l("A board answer needs my stance"),
    NotificationKind.BOARD_ANSWER_PUBLISHED: _l(
        "A board answer I asked for or worked on is published"
    ),
    NotificationKind.NEW_ANSWER: _l("A new answer to my question"),
    NotificationKind.NEW_COMMENT: _l("A new comment on my question or my answer"),
    NotificationKind.ANSWER_ACCEPTED: _l("My answer is accepted"),
    NotificationKind.GUIDE_PROPOSAL_ACCEPTED: _l("My proposal for the guide is accepted"),
    NotificationKind.GUIDE_PROPOSAL_DECLINED: _l("My proposal for the guide is declined"),
    NotificationKind.MODERATED: _l("The moderators act on a text of mine"),
    NotificationKind.REFERRAL_UPDATE: _l("News of a referral to a clinic"),
    NotificationKind.BOARD_DRAFT_OPENED: _l("A board answer is drafted in a topic I follow"),
}
EMAIL_FREQUENCY_LABELS = {
    EmailFrequency.IMMEDIATE: _l("An e-mail for each notification, as it happens"),
    EmailFrequency.DAILY: _l("One digest e-mail a day"),
    EmailFrequency.WEEKLY: _l("One digest e-mail a week (on Mondays)"),
    EmailFrequency.NONE: _l("No e-mail: I read my notifications in the forum"),
}
RELEASE_STATUS_LABELS = {
    "draft": _l("Draft, awaiting approval"),
    ReleaseKind.FIRST_VERSION.value: _l("First version"),
    ReleaseKind.FINAL_VERSION.value: _l("Final version"),
    ReleaseKind.EDITION.value: _l("Edition"),
}
RELEASE_KIND_LABELS = {kind: RELEASE_STATUS_LABELS[kind.value] for kind in ReleaseKind}
PROPOSAL_STATUS_LABELS = {
    ProposalStatus.OPEN: _l("Awaiting a decision"),
    ProposalStatus.ACCEPTED: _l("Accepted"),
    ProposalStatus.DECLINED: _l("Declined"),
}

# The Lombardy-Limburg network (issue 29).
NETWORK_REGION_LABELS = {
    NetworkRegion.LOMBARDY: _l("Lombardy"),
    NetworkRegion.LIMBURG: _l("Limburg"),
    NetworkRegion.OTHER: _l("Elsewhere"),
}
# A context of their own, as the survey's: Italian agrees them with "sessione" (feminine).
ROUND_STATUS_LABELS = {
    RoundStatus.OPEN: lazy_pgettext("matchmaking round", "Open"),
    RoundStatus.CLOSED: lazy_pgettext("matchmaking round", "Closed"),
}
INTRODUCTION_STATE_LABELS = {
    IntroductionState.PROPOSED: _l("Introduction proposed"),
    IntroductionState.AGREED: _l("Both agreed to meet"),
    IntroductionState.MET: _l("Met"),
    IntroductionState.PROJECT_IDEA: _l("Project idea"),
    IntroductionState.PROPOSAL_SUBMITTED: _l("Joint proposal submitted"),
    IntroductionState.DECLINED: _l("Declined or stopped"),
}
FUNDING_PROGRAMME_LABELS = {
    FundingProgramme.I3: _l("Interregional Innovation Investments (I3)"),
    FundingProgramme.HORIZON_EUROPE: _l("Horizon Europe"),
    FundingProgramme.EU4HEALTH: _l("EU4Health"),
    FundingProgramme.OTHER: _l("Another programme"),
}


def _choices(labels: dict) -> list[tuple[str, object]]:
    return [(member.value, label) for member, label in labels.items()]


# Callables, so WTForms reads the labels in the request's language.
def organisation_kind_choices():
    return _choices(ORGANISATION_KIND_LABELS)


def network_region_choices():
    return _choices(NETWORK_REGION_LABELS)


def device_class_choices():
    return _choices(DEVICE_CLASS_LABELS)


def stage_choices():
    return _choices(STAGE_LABELS)


def release_kind_choices():
    return _choices(RELEASE_KIND_LABELS)


def visibility_choices():
    return _choices(VISIBILITY_LABELS)


def stance_kind_choices():
    return _choices(STANCE_KIND_LABELS)


def expert_area_choices():
    return _choices(EXPERT_AREA_LABELS)


def role_choices():
    return _choices(ROLE_LABELS)


def notification_kind_choices():
    return _choices(NOTIFICATION_KIND_LABELS)


def email_frequency_choices():
    return _choices(EMAIL_FREQUENCY_LABELS)


# What a flag says is wrong, as the flag form offers it and the moderators read it.
FLAG_REASON_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"),
    FlagReason.OFFENSIVE: _l("Offensive or abusive"),
    FlagReason.OFF_TOPIC: _l("Off-topic"),
    FlagReason.DANGEROUS_ADVICE: _l("Wrong or dangerous advice"),
    FlagReason.PERSONAL_DATA: _l("Exposes personal data"),
    FlagReason.OTHER: _l("Something else (say what)"),
}
MODERATION_STATE_LABELS = {
    ModerationState.HELD: _l("Waiting for a moderator's approval"),
    ModerationState.FLAGGED: _l("Hidden after flags, pending review"),
    ModerationState.HIDDEN: _l("Hidden by the moderators"),
    ModerationState.SPAM: _l("Marked as spam"),
    ModerationState.REMOVED: _l("Removed by the moderators"),
}

# The Lombardy-Limburg network's visits (issue 29).
VISIT_KIND_LABELS = {
    VisitKind.STUDY_VISIT: _l("Study visit"),
    VisitKind.INDIVIDUAL: _l("Individual visit"),
}
# A context of their own: Italian agrees them with "visita" (pianificata, svolta, annullata).
VISIT_STATUS_LABELS = {
    VisitStatus.PLANNED: lazy_pgettext("visit", "Planned"),
    VisitStatus.HELD: lazy_pgettext("visit", "Held"),
    VisitStatus.CANCELLED: lazy_pgettext("visit", "Cancelled"),
}


def visit_kind_choices():
    return _choices(VISIT_KIND_LABELS)


def visit_status_choices():
    return _choices(VISIT_STATUS_LABELS)


def flag_reason_choices():
    return _choices(FLAG_REASON_LABELS)


def audit_action_choices():
    return _choices(AUDIT_ACTION_LABELS)


def facilitation_status_choices():
    return _choices(FACILITATION_STATUS_LABELS)


def survey_item_kind_choices():
    return _choices(SURVEY_ITEM_KIND_LABELS)


TEMPLATE_LABELS = {
    "role": ROLE_LABELS,
    "organisation_kind": ORGANISATION_KIND_LABELS,
    "expert_area": EXPERT_AREA_LABELS,
    "device_class": DEVICE_CLASS_LABELS,
    "stage": STAGE_LABELS,
    "visibility": VISIBILITY_LABELS,
    "status": STATUS_LABELS,
    "board_status": BOARD_STATUS_LABELS,
    "board_status_list": BOARD_STATUS_LIST_LABELS,
    "stance": STANCE_KIND_LABELS,
    "audit_action": AUDIT_ACTION_LABELS,
    "outbox_status": OUTBOX_STATUS_LABELS,
    "notification_kind": NOTIFICATION_KIND_LABELS,
    "email_frequency": EMAIL_FREQUENCY_LABELS,
    "facilitation_status": FACILITATION_STATUS_LABELS,
    "survey_status": SURVEY_STATUS_LABELS,
    "survey_item_kind": SURVEY_ITEM_KIND_LABELS,
    "likert": LIKERT_LABELS,
    "visit_section": VISIT_SECTION_LABELS,
    "release_status": RELEASE_STATUS_LABELS,
    "proposal_status": PROPOSAL_STATUS_LABELS,
    "flag_reason": FLAG_REASON_LABELS,
    "moderation_state": MODERATION_STATE_LABELS,
    "network_region": NETWORK_REGION_LABELS,
    "round_status": ROUND_STATUS_LABELS,
    "visit_kind": VISIT_KIND_LABELS,
    "visit_status": VISIT_STATUS_LABELS,
    "introduction_state": INTRODUCTION_STATE_LABELS,
    "funding_programme": FUNDING_PROGRAMME_LABELS,
}
