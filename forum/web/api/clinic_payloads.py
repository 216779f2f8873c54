"""The payloads of the clinic directory and of a question's referrals to a clinic
(see ``payloads``)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from forum.models import FacilitationStatus, ReferralDecision, TrialConfirmation
from forum.web.api.payloads import Id, PageLinks, Paginated, Part, Payload


class ClinicContact(Payload):
    name: str
    email: str
    phone: str


class Clinic(Payload):
    id: Id
    name: str
    city: str
    specialties: list[str]
    populations: list[str]
    hosts_device_studies: bool
    description: str
    description_html: str
    active: bool
    contact: ClinicContact | None = Field(
        description="For experts and admins only; null for everyone else."
    )
    links: PageLinks


class ClinicList(Paginated):
    """A page of the clinic directory, by name."""

    items: list[Clinic]


class ReferredClinic(Part):
    id: Id
    name: str
    city: str


class MemberContact(Part):
    name: str
    email: str
    organisation: str | None


class ReferralContacts(Payload):
    clinic: ClinicContact
    member: MemberContact


class ReferralStep(Part):
    status: FacilitationStatus
    occurred_on: date
    note: str


class Referral(Payload):
    """A referral of a question to a clinic, for the member who asked, the experts and the
    admins."""

    id: Id
    question_id: Id
    clinic: ReferredClinic
    status: FacilitationStatus
    member_answer: ReferralDecision | None
    clinic_answer: ReferralDecision | None
    contacts: ReferralContacts | None = Field(
        description="Each side's contact, only once both the member and the clinic accepted "
        "the introduction; null before."
    )
    trial_started_on: date | None
    trial_start_confirmed_by: TrialConfirmation | None = Field(
        description="Who confirmed the start: only confirmed starts count as trials facilitated."
    )
    steps: list[ReferralStep]
    links: PageLinks
