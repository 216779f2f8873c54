"""Forms for the notification list and the e-mail settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from forum.labels import notification_kind_choices
from forum.models import NotificationKind
from forum.web.forms import CheckboxListField


class MarkReadForm(FlaskForm):
    """Mark one notification read, or all of them when no id is given."""

    notification_id = IntegerField(widget=HiddenInput(), validators=[Optional()])


class EmailSettingsForm(FlaskForm):
    by_email = CheckboxListField(
        _l("Also send me an e-mail for"),
        description=_l(
            "You always see every notification here in the forum; "
            "untick a kind to stop its e-mails."
        ),
        choices=notification_kind_choices,
        coerce=NotificationKind,
    )
