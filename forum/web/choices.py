"""Translated labels for the domain's enumerations, as form choices and template names."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forum.models import (
    BoardAnswerStatus,
    DevelopmentStage,
    DeviceClass,
    ExpertArea,
    NotificationKind,
    OrganisationKind,
    OutboxStatus,
    QuestionStatus,
    StanceKind,
    Visibility,
)
from forum.services.audit import AuditAction

ORGANISATION_KIND_LABELS = {
    OrganisationKind.SME: _l("SME"),
    OrganisationKind.START_UP: _l("Start-up"),
    OrganisationKind.RESEARCH: _l("Research organisation"),
    OrganisationKind.UNIVERSITY: _l("University"),
    OrganisationKind.CLINIC: _l("Clinic"),
    OrganisationKind.HOSPITAL: _l("Hospital"),
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
    NotificationKind.BOARD_ANSWER_PUBLISHED:
        _l("A board answer I asked for or worked on is published"),
    NotificationKind.NEW_ANSWER: _l("A new answer to my question"),
    NotificationKind.NEW_COMMENT: _l("A new comment on my question or my answer"),
    NotificationKind.ANSWER_ACCEPTED: _l("My answer is accepted"),
}


def _choices(labels: dict) -> list[tuple[str, object]]:
    return [(member.value, label) for member, label in labels.items()]


# Callables, so WTForms reads the labels in the request's language.
def organisation_kind_choices():
    return _choices(ORGANISATION_KIND_LABELS)


def device_class_choices():
    return _choices(DEVICE_CLASS_LABELS)


def stage_choices():
    return _choices(STAGE_LABELS)


def visibility_choices():
    return _choices(VISIBILITY_LABELS)


def stance_kind_choices():
    return _choices(STANCE_KIND_LABELS)


def expert_area_choices():
    return _choices(EXPERT_AREA_LABELS)


def notification_kind_choices():
    return _choices(NOTIFICATION_KIND_LABELS)


def audit_action_choices():
    return _choices(AUDIT_ACTION_LABELS)


def outbox_status_choices():
    return _choices(OUTBOX_STATUS_LABELS)


TEMPLATE_LABELS = {
    "organisation_kind": ORGANISATION_KIND_LABELS,
    "expert_area": EXPERT_AREA_LABELS,
    "device_class": DEVICE_CLASS_LABELS,
    "stage": STAGE_LABELS,
    "visibility": VISIBILITY_LABELS,
    "status": STATUS_LABELS,
    "board_status": BOARD_STATUS_LABELS,
    "stance": STANCE_KIND_LABELS,
    "audit_action": AUDIT_ACTION_LABELS,
    "outbox_status": OUTBOX_STATUS_LABELS,
    "notification_kind": NOTIFICATION_KIND_LABELS,
}
