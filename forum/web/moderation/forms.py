"""Forms of moderation: a flag, and a moderator's action with its reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from forum.labels import flag_reason_choices
from forum.models import FlagReason
from forum.services.moderation import REASON_MAX_LENGTH


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong with it?"),
        choices=flag_reason_choices,
        coerce=FlagReason,
        validators=[InputRequired(_l("Choose a reason."))],
    )
    note = TextAreaField(
        _l("Anything the moderators should know"),
        description=_l('Required for "something else". Only the moderators read it.'),
        validators=[Optional(), Length(max=REASON_MAX_LENGTH)],
    )


class ModerationForm(FlaskForm):
    """The action comes from the button pressed; the reason is told to the author."""

    action = RadioField(_l("Action"), validators=[InputRequired(_l("Choose an action."))])
    reason = TextAreaField(
        _l("Reason"),
        description=_l("The author is told this reason, in a notification and by e-mail."),
        validators=[
            InputRequired(_l("Give the reason: the author is told.")),
            Length(max=REASON_MAX_LENGTH),
        ],
    )
