"""What the blueprints' forms share: the one-click confirmation, the checkbox list, the
edit note, and the limits every form and route agrees on.

Field checks and showing a service's refusal beside a field live in ``forms_support.py``.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.services.questions import BODY_MAX_LENGTH

# A curated text's body (a board answer, a guide section, an FAQ answer, a translation)
# may be as long as a question's.
MAX_BODY_LENGTH = BODY_MAX_LENGTH

# Ids are 32-bit integers in both databases; larger numbers match nothing, and
# SQLite cannot even take them as a parameter.
MAX_ID = 2**31 - 1

MAX_EDIT_NOTE_LENGTH = 300


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-click actions."""


class CheckboxListField(SelectMultipleField):
    """Several choices shown as a list of labelled checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def edit_note_field() -> StringField:
    """The optional "what did you change?" note every edit form ends with."""
    return StringField(
        _l("What did you change?"),
        description=_l("Optional; shown in the revision history."),
        validators=[Optional(), Length(max=MAX_EDIT_NOTE_LENGTH)],
    )
