"""The form that creates a personal API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from forum.services.accounts.api_tokens import LIFETIMES_IN_DAYS, MAX_NAME_LENGTH

NEVER = "never"
READ_WRITE, READ_ONLY = "read-write", "read-only"


def lifetime_choices() -> list[SelectChoice]:
    return [
        SelectChoice(
            NEVER if days is None else str(days),
            _l("Never expires") if days is None else _l("%(days)d days", days=days),
        )
        for days in LIFETIMES_IN_DAYS
    ]


class CreateTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        description=_l("What will use it, for example “monthly report script”."),
        validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)],
    )
    lifetime = SelectField(
        _l("Expires after"),
        description=_l("A token that expires cannot be forgotten in a script forever."),
        choices=lifetime_choices,
        default="90",
    )
    access = RadioField(
        _l("What it may do"),
        choices=[
            SelectChoice(READ_WRITE, _l("Read and write (ask, answer, comment), with your role")),
            SelectChoice(READ_ONLY, _l("Only read")),
        ],
        default=READ_WRITE,
    )

    @property
    def lifetime_days(self) -> int | None:
        return None if self.lifetime.data == NEVER else int(self.lifetime.data)

    @property
    def read_only(self) -> bool:
        return self.access.data == READ_ONLY
