"""The form that invites a named expert to answer a question."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.labels import EXPERT_AREA_LABELS
from forum.services.invitations import MAX_MESSAGE_LENGTH


class InviteForm(FlaskForm):
    expert = SelectField(
        _l("Expert"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose the expert to invite."))],
    )
    message = TextAreaField(
        _l("Message to the expert"),
        description=_l("Optional: why this expert, and anything to look at first."),
        validators=[Optional(), Length(max=MAX_MESSAGE_LENGTH)],
    )

    def set_expert_choices(self, experts) -> None:
        self.expert.choices = [(0, _l("Choose an expert"))] + [
            (
                expert.id,
                f"{expert.display_name} ({EXPERT_AREA_LABELS[expert.area]})"
                if expert.area
                else expert.display_name,
            )
            for expert in experts
        ]
