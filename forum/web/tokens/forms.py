"""The form that creates a personal API token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from forum.services.api_tokens import MAX_NAME_LENGTH


class CreateTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        description=_l("What will use it, for example “monthly report script”."),
        validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)],
    )
