"""Forms of funded projects: a project and a counselling session (the project choice of the
question and referral forms is ``forms.project_field``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forum.services.projects import MAX_LONG_TEXT, MAX_SHORT_TEXT, MAX_TITLE_LENGTH
from forum.web.forms import CheckboxListField, RenderableMarkdown
from forum.web.markdown_preview import PreviewableForm


class ProjectForm(PreviewableForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE_LENGTH)])
    programme = StringField(
        _l("Programme"),
        description=_l("For example “POR FESR 2014-2020 (ERDF Regional Operational Programme)”."),
        validators=[DataRequired(), Length(max=MAX_SHORT_TEXT)],
    )
    axis = StringField(
        _l("Axis"),
        description=_l("For example “Axis I – Research and Innovation”."),
        validators=[Optional(), Length(max=MAX_SHORT_TEXT)],
    )
    call = StringField(
        _l("Call"),
        description=_l("For example “HUB”."),
        validators=[Optional(), Length(max=MAX_SHORT_TEXT)],
    )
    beneficiaries = CheckboxListField(
        _l("Beneficiary organisations"),
        coerce=int,
        description=_l("Their people read the project's page and link their questions to it."),
        validators=[DataRequired(message=_l("Choose at least one beneficiary organisation."))],
    )
    starts_on = DateField(
        _l("Start date"),
        format="%Y-%m-%d",
        validators=[InputRequired(message=_l("Give a date as YYYY-MM-DD."))],
    )
    ends_on = DateField(
        _l("End date"),
        format="%Y-%m-%d",
        description=_l("Leave empty while it is not known."),
        validators=[Optional()],
    )
    clinical_aims = TextAreaField(
        _l("Clinical aims"),
        description=_l("What the project means to show in patients. Markdown is allowed."),
        validators=[Optional(), Length(max=MAX_LONG_TEXT), RenderableMarkdown()],
    )

    def set_beneficiary_choices(self, organisations) -> None:
        self.beneficiaries.choices = [
            (organisation.id, organisation.name) for organisation in organisations
        ]


class SessionForm(PreviewableForm):
    held_on = DateField(
        _l("Date of the session"),
        format="%Y-%m-%d",
        description=_l("The day it happened, as YYYY-MM-DD; not in the future."),
        validators=[InputRequired(message=_l("Give a date as YYYY-MM-DD."))],
    )
    experts = CheckboxListField(
        _l("Experts present"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose the experts who were present."))],
    )
    notes = TextAreaField(
        _l("Private notes"),
        description=_l(
            "For the board and the admins only; the project's beneficiaries do not read them."
        ),
        validators=[Optional(), Length(max=MAX_LONG_TEXT), RenderableMarkdown()],
    )
    actions = TextAreaField(
        _l("Actions agreed"),
        description=_l("Who does what next; the project's beneficiaries read these."),
        validators=[Optional(), Length(max=MAX_LONG_TEXT), RenderableMarkdown()],
    )

    def set_expert_choices(self, experts) -> None:
        self.experts.choices = [(expert.id, expert.display_name) for expert in experts]
