"""Forms for board answers: drafting, stances, and the chair's reasons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from forum.labels import stance_kind_choices
from forum.models import StanceKind
from forum.web.forms import (
    MAX_BODY_LENGTH,
    RenderableMarkdown,
    edit_note_field,
    written_language_field,
)
from forum.web.markdown_preview import PreviewableForm

MAX_REASON_LENGTH = 2_000


class BoardAnswerForm(PreviewableForm):
    body = TextAreaField(
        _l("The board's answer"),
        description=_l(
            "Written for the person who asked; cite the rules that apply "
            "(for example MDR Art. 62). Markdown is allowed."
        ),
        validators=[DataRequired(), Length(min=20, max=MAX_BODY_LENGTH), RenderableMarkdown()],
    )
    language = written_language_field()
    note = edit_note_field()
    # The revision the editor started from: saving over a newer one is a conflict.
    base_number = IntegerField(widget=HiddenInput(), validators=[Optional()])


class StanceForm(PreviewableForm):
    kind = RadioField(
        _l("Your stance on this revision"),
        choices=stance_kind_choices,
        coerce=StanceKind,
        validators=[InputRequired(message=_l("Choose endorse, dissent or abstain."))],
    )
    reason = TextAreaField(
        _l("Reason or comment"),
        description=_l("Required when you dissent; it is published with the answer."),
        validators=[Optional(), Length(max=MAX_REASON_LENGTH), RenderableMarkdown()],
    )
    # The revision the expert read: a stance is refused if the text changed since.
    revision_number = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ReasonForm(FlaskForm):
    """A chair's override or withdrawal: the reason is required and published."""

    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(min=10, max=MAX_REASON_LENGTH)]
    )
