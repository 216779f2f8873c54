"""The matchmaking pages' forms: opening a round, accepting or setting aside a suggested
pair, and recording an introduction's next step."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from forum.labels import FUNDING_PROGRAMME_LABELS, INTRODUCTION_STATE_LABELS
from forum.models import FundingProgramme, IntroductionState
from forum.services import network_introductions, network_rounds
from forum.web.forms import MAX_ID, CheckboxListField


class RoundForm(FlaskForm):
    title = StringField(
        _l("Title of the round"),
        description=_l("For example: Imaging and diagnostics, spring 2027."),
        validators=[DataRequired(), Length(max=network_rounds.MAX_TITLE_LENGTH)],
    )
    themes = CheckboxListField(
        _l("Themes"),
        description=_l(
            "The specialisations the round is about: its pairs are organisations working in them."
        ),
        coerce=int,
    )

    def set_theme_choices(self, specialisations, locale: str) -> None:
        self.themes.choices = [SelectChoice(term.id, term.name(locale)) for term in specialisations]


class _ProfileId(HiddenField):
    """A profile's id carried by a suggested pair's buttons."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].isdigit() and 0 < int(valuelist[0]) <= MAX_ID:
            self.data = int(valuelist[0])

    def pre_validate(self, form):
        if self.data is None:
            raise ValidationError(_l("Choose the pair from the suggestions."))


class PairForm(FlaskForm):
    """The pair a suggestion's Accept or Set aside button names."""

    first_id = _ProfileId(validators=[InputRequired()])
    second_id = _ProfileId(validators=[InputRequired()])


def _state_or_text(value):
    if value is None or isinstance(value, IntroductionState):
        return value
    return IntroductionState(value) if value in set(IntroductionState) else value


def _programme_or_none(value):
    if value in (None, "", "None"):
        return None
    if isinstance(value, FundingProgramme):
        return value
    return FundingProgramme(value) if value in set(FundingProgramme) else value


class StepForm(FlaskForm):
    state = SelectField(
        _l("New state"),
        choices=lambda: [
            (state.value, label) for state, label in INTRODUCTION_STATE_LABELS.items()
        ],
        coerce=_state_or_text,
        validators=[DataRequired()],
    )
    note = TextAreaField(
        _l("What happened"),
        description=_l("Who met whom, what was agreed, what comes next."),
        validators=[Optional(), Length(max=network_rounds.MAX_NOTE_LENGTH)],
    )
    project_title = StringField(
        _l("Project's working title"),
        description=_l("For a project idea or a joint proposal."),
        validators=[Optional(), Length(max=network_rounds.MAX_REFERENCE_LENGTH)],
    )
    programme = SelectField(
        _l("Programme"),
        description=_l("Required for a joint proposal submitted."),
        choices=lambda: (
            [("", _l("Not yet"))]
            + [(programme.value, label) for programme, label in FUNDING_PROGRAMME_LABELS.items()]
        ),
        coerce=_programme_or_none,
        validators=[Optional()],
    )
    call_reference = StringField(
        _l("Call's reference"),
        description=_l("Required for a joint proposal submitted, as the programme writes it."),
        validators=[Optional(), Length(max=network_rounds.MAX_REFERENCE_LENGTH)],
    )

    def draft(self) -> network_introductions.StepDraft:
        return network_introductions.StepDraft(
            state=self.state.data,
            note=self.note.data or "",
            project_title=self.project_title.data or "",
            programme=self.programme.data,
            call_reference=self.call_reference.data or "",
        )
