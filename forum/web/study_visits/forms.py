"""Forms of the network's visits: the admins' visit form, and registering interest."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forum.labels import visit_kind_choices, visit_status_choices
from forum.models import VisitKind, VisitStatus
from forum.services import study_visits
from forum.services.study_visits import VisitDraft
from forum.web.forms import CheckboxListField

NO_HOST = ""


def _host_id(value):
    """The host select's value as a profile id, or None for "no host"."""
    if value in (None, NO_HOST):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a profile: the select refuses it as not one of its choices


class VisitForm(FlaskForm):
    kind = SelectField(
        _l("Kind of visit"),
        choices=visit_kind_choices,
        coerce=VisitKind,
        validators=[InputRequired()],
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=study_visits.MAX_TITLE)]
    )
    starts_on = DateField(
        _l("First day"),
        format="%Y-%m-%d",
        validators=[InputRequired(message=_l("Give a date as YYYY-MM-DD."))],
    )
    ends_on = DateField(
        _l("Last day"),
        format="%Y-%m-%d",
        description=_l("Leave empty for a visit of one day."),
        validators=[Optional()],
    )
    place = StringField(
        _l("Place"),
        description=_l("The city, and the site when known: “Maastricht, Health Campus”."),
        validators=[DataRequired(), Length(max=study_visits.MAX_PLACE)],
    )
    host_profile_id = SelectField(
        _l("Host (an individual visit)"),
        coerce=_host_id,
        description=_l("The organisation visited, from the directory."),
        validators=[Optional()],
    )
    programme = TextAreaField(
        _l("Programme"),
        description=_l("Shown to everyone. Plain text: a blank line starts a new paragraph."),
        validators=[Optional(), Length(max=study_visits.MAX_TEXT)],
    )
    participant_ids = CheckboxListField(
        _l("Participating organisations"),
        coerce=int,
        description=_l(
            "From the directory; visitors see the listed ones only, unlisted ones are shown "
            "to their own people and the admins."
        ),
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        choices=visit_status_choices,
        coerce=VisitStatus,
        validators=[InputRequired()],
    )
    registration_open = BooleanField(_l("People may register their interest through the forum"))
    notes = TextAreaField(
        _l("Notes"),
        description=_l("For the network's members only."),
        validators=[Optional(), Length(max=study_visits.MAX_TEXT)],
    )
    follow_ups = TextAreaField(
        _l("Follow-ups"),
        description=_l(
            "What the visit led to and who does what next, once it is held; for the "
            "network's members only."
        ),
        validators=[Optional(), Length(max=study_visits.MAX_TEXT)],
    )

    def set_profile_choices(self, choices: list[tuple[int, str]]) -> None:
        self.host_profile_id.choices = [(NO_HOST, _l("No host: a study visit")), *choices]
        self.participant_ids.choices = choices

    def show_visit(self, visit) -> None:
        """Fill the fields with a visit's values (a page shown for editing)."""
        for name in (
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "programme",
            "status",
            "registration_open",
            "notes",
            "follow_ups",
        ):
            getattr(self, name).data = getattr(visit, name)
        self.host_profile_id.data = visit.host_profile_id
        self.participant_ids.data = [profile.id for profile in visit.participants]

    def draft(self) -> VisitDraft:
        return VisitDraft(
            kind=self.kind.data,
            title=self.title.data or "",
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            place=self.place.data or "",
            host_profile_id=self.host_profile_id.data,
            programme=self.programme.data or "",
            participant_ids=list(self.participant_ids.data or []),
            status=self.status.data,
            registration_open=bool(self.registration_open.data),
            notes=self.notes.data or "",
            follow_ups=self.follow_ups.data or "",
        )


class InterestForm(FlaskForm):
    note = TextAreaField(
        _l("A note for the organisers (optional)"),
        description=_l("What you would like to see or whom you would like to meet."),
        validators=[Optional(), Length(max=study_visits.MAX_INTEREST_NOTE)],
    )
