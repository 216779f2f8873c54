"""Forms of the clinic directory and of referrals: a clinic's details, a referral, a step."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from forum.labels import FACILITATION_STATUS_LABELS, facilitation_status_choices
from forum.models import FacilitationStatus, ReferralDecision
from forum.services.clinics import MAX_CITY_LENGTH, MAX_NAME_LENGTH
from forum.services.facilitations import MAX_NOTE_LENGTH
from forum.services.referral_introductions import MAX_DECISION_NOTE_LENGTH, MAX_MESSAGE_LENGTH
from forum.web.forms import RenderableMarkdown, project_field
from forum.web.markdown_preview import PreviewableForm

DATE_HINT = _l("The day it happened, as YYYY-MM-DD; not in the future.")


class ClinicForm(PreviewableForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=MAX_CITY_LENGTH)])
    specialties = TextAreaField(
        _l("Specialties"),
        description=_l("One per line, or separated by semicolons."),
        validators=[Optional(), Length(max=2_000)],
    )
    populations = TextAreaField(
        _l("Clinical populations it can reach"),
        description=_l(
            "One per line, or separated by semicolons: for example “adults after a stroke”."
        ),
        validators=[Optional(), Length(max=2_000)],
    )
    hosts_device_studies = BooleanField(_l("Hosts medical device studies"))
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5_000), RenderableMarkdown()]
    )
    description_it = TextAreaField(
        _l("Description in Italian"),
        description=_l(
            "Shown to Italian readers; while empty they read the English. The "
            "Italian names of specialties and populations are kept once for all "
            "clinics, under Administration, Italian labels."
        ),
        validators=[Optional(), Length(max=5_000), RenderableMarkdown()],
    )
    contact_name = StringField(
        _l("Contact person"),
        description=_l("Shown to the experts and admins only."),
        validators=[Optional(), Length(max=200)],
    )
    contact_email = StringField(
        _l("Contact e-mail"),
        validators=[Optional(), Length(max=254), Email()],
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=60)])


class ReferForm(PreviewableForm):
    clinic = SelectField(
        _l("Clinic"),
        coerce=int,
        description=_l("Clinics that host medical device studies are listed first."),
        validators=[InputRequired(message=_l("Choose a clinic."))],
    )
    occurred_on = DateField(
        _l("Referred on"),
        format="%Y-%m-%d",
        description=DATE_HINT,
        validators=[InputRequired(message=_l("Give a date as YYYY-MM-DD."))],
    )
    note = TextAreaField(
        _l("Note"),
        description=_l(
            "Why this clinic, and what each side should expect. "
            "The member who asked and the clinic read it: for a "
            "confidential question, say nothing the member has not "
            "agreed to share."
        ),
        validators=[Length(max=MAX_NOTE_LENGTH), RenderableMarkdown()],
    )
    project = project_field(
        _l("The funded project of the member's organisation this referral serves, if any.")
    )

    def set_clinic_choices(self, clinics) -> None:
        """Group the clinics: those hosting device studies, then the others."""
        hosting = [
            (clinic.id, f"{clinic.name} ({clinic.city})")
            for clinic in clinics
            if clinic.hosts_device_studies
        ]
        others = [
            (clinic.id, f"{clinic.name} ({clinic.city})")
            for clinic in clinics
            if not clinic.hosts_device_studies
        ]
        groups = {}
        if hosting:
            groups[str(_l("Hosting device studies"))] = hosting
        if others:
            groups[str(_l("Other clinics"))] = others
        self.clinic.choices = groups


def _status_or_none(value):
    """The status, or None for an empty or unknown value (refused as "choose a step")."""
    if isinstance(value, FacilitationStatus):
        return value
    return FacilitationStatus(value) if value in set(FacilitationStatus) else None


class AdvanceForm(PreviewableForm):
    # Any status is accepted here; the service says why a move is not allowed.
    status = SelectField(
        _l("Next step"),
        coerce=_status_or_none,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose the referral's next step."))],
    )
    occurred_on = DateField(
        _l("Date"),
        format="%Y-%m-%d",
        description=DATE_HINT,
        validators=[InputRequired(message=_l("Give a date as YYYY-MM-DD."))],
    )
    note = TextAreaField(
        _l("Note"),
        description=_l("What was done, asked or agreed."),
        validators=[Length(max=MAX_NOTE_LENGTH), RenderableMarkdown()],
    )

    def set_status_choices(self, statuses) -> None:
        self.status.choices = [("", _l("Choose…"))] + [
            (status.value, FACILITATION_STATUS_LABELS[status]) for status in statuses
        ]

    def validate_status(self, field):
        if field.data is None:
            raise ValidationError(_l("Choose the referral's next step."))


class ReferralFilterForm(FlaskForm):
    """The status filter of /facilitations, read from the query string (no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        coerce=lambda value: _status_or_none(value) or (value or None),
        choices=lambda: [("", _l("Any status")), *facilitation_status_choices()],
        validators=[Optional()],
    )


class IntroductionForm(PreviewableForm):
    """One side's answer to the introduction (the member's, or the clinic's by its link)."""

    decision = RadioField(
        _l("Your answer"),
        choices=[
            (ReferralDecision.ACCEPTED.value, _l("Accept the introduction")),
            (ReferralDecision.DECLINED.value, _l("Decline")),
        ],
        validators=[InputRequired(message=_l("Choose whether you accept or decline."))],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("Why you decline, or what the other side should know."),
        validators=[Length(max=MAX_DECISION_NOTE_LENGTH), RenderableMarkdown()],
    )


class MessageForm(PreviewableForm):
    body = TextAreaField(
        _l("Message"),
        description=_l(
            "The member who asked, the board's experts, the admins and the clinic "
            "read the thread. Contacts are exchanged only once both sides agree."
        ),
        validators=[
            DataRequired(message=_l("Write a message.")),
            Length(max=MAX_MESSAGE_LENGTH),
            RenderableMarkdown(),
        ],
    )


class VerifyStartForm(FlaskForm):
    note = TextAreaField(
        _l("How the start was verified"),
        description=_l(
            "What you saw and from whom: for example the clinic's letter, or the "
            "ethics committee's opinion and the first patient's date."
        ),
        validators=[
            DataRequired(message=_l("Say how the start was verified: what you saw, from whom.")),
            Length(max=MAX_DECISION_NOTE_LENGTH),
        ],
    )
