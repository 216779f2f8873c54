"""The admins' form of a feasibility note."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from forum.services import feasibility
from forum.services.feasibility import NoteDraft


class NoteForm(FlaskForm):
    decision = TextAreaField(
        _l("Decision"),
        description=_l(
            "Which parts of the two ecosystems to link in this theme, and why. Plain text: a "
            "blank line starts a new paragraph."
        ),
        validators=[DataRequired(), Length(max=feasibility.MAX_DECISION)],
    )
    decided_on = DateField(
        _l("Decided on"),
        format="%Y-%m-%d",
        description=_l("The day it was decided, as YYYY-MM-DD; not in the future."),
        validators=[InputRequired(message=_l("Give a date as YYYY-MM-DD."))],
    )
    decided_by = StringField(
        _l("Decided by"),
        description=_l("A body or people: “Steering group of both regions”."),
        validators=[DataRequired(), Length(max=feasibility.MAX_DECIDED_BY)],
    )

    def draft(self) -> NoteDraft:
        return NoteDraft(
            decision=self.decision.data or "",
            decided_on=self.decided_on.data,
            decided_by=self.decided_by.data or "",
        )
