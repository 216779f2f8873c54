"""Translated labels for the domain's enumerations, as form choices and template names."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forum.models import (
    DevelopmentStage,
    DeviceClass,
    ExpertArea,
    OrganisationKind,
    QuestionStatus,
    Visibility,
)

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


def expert_area_choices():
    return _choices(EXPERT_AREA_LABELS)


TEMPLATE_LABELS = {
    "organisation_kind": ORGANISATION_KIND_LABELS,
    "expert_area": EXPERT_AREA_LABELS,
    "device_class": DEVICE_CLASS_LABELS,
    "stage": STAGE_LABELS,
    "visibility": VISIBILITY_LABELS,
    "status": STATUS_LABELS,
}
