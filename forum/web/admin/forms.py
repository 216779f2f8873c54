"""Forms of the admin pages: the audit log's filters and one-click confirmations."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from forum.labels import audit_action_choices
from forum.services.audit import AuditAction

# Ids are 32-bit integers in both databases; larger numbers match nothing, and
# SQLite cannot even take them as a parameter.
MAX_ID = 2**31 - 1


def _any_action_then_each():
    return [("", _l("Any action")), *audit_action_choices()]


def _action_or_none(value):
    """The action, None for "any", or the unknown text itself, which fails as "Not a valid choice"."""
    if not value:
        return None
    return AuditAction(value) if value in set(AuditAction) else value


class AuditFilterForm(FlaskForm):
    """The filters of /admin/audit, read from the query string (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=_any_action_then_each, coerce=_action_or_none,
                         validators=[Optional()])
    actor = StringField(_l("Actor"), description=_l("E-mail address or account number."),
                        validators=[Optional(), Length(max=254)])
    question = IntegerField(_l("Question number"), validators=[
        Optional(), NumberRange(min=1, max=MAX_ID, message=_l("Not a valid question number."))
    ])
    since = DateField(_l("From"), format="%Y-%m-%d", validators=[Optional()],
                      description=_l("A date as YYYY-MM-DD."))
    until = DateField(_l("To"), format="%Y-%m-%d", validators=[Optional()],
                      description=_l("A date as YYYY-MM-DD, included."))

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate_actor(self, field):
        value = field.data.strip()
        if _is_number(value) and not 1 <= int(value) <= MAX_ID:
            raise ValidationError(_l("Not a valid account number."))
        if not _is_number(value) and "@" not in value:
            raise ValidationError(_l("Give an e-mail address or an account number."))

    def actor_id_or_email(self) -> int | str | None:
        """The actor filter as an account number, an e-mail address, or None."""
        value = (self.actor.data or "").strip()
        if not value:
            return None
        return int(value) if _is_number(value) else value


def _is_number(value: str) -> bool:
    return value.isascii() and value.isdigit()


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-click actions."""
