"""Forms of the admin pages: the audit log's and the user list's filters, an account's
role and status, and one-click confirmations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from forum.labels import audit_action_choices, expert_area_choices, role_choices
from forum.models import AuditAction, ExpertArea, Role
from forum.services.accounts.user_admin import MAX_QUERY_LENGTH, MAX_REASON_LENGTH
from forum.web.forms import MAX_ID


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

    action = SelectField(
        _l("Action"), choices=_any_action_then_each, coerce=_action_or_none, validators=[Optional()]
    )
    actor = StringField(
        _l("Actor"),
        description=_l("E-mail address or account number."),
        validators=[Optional(), Length(max=254)],
    )
    question = IntegerField(
        _l("Question number"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_ID, message=_l("Not a valid question number.")),
        ],
    )
    since = DateField(
        _l("From"),
        format="%Y-%m-%d",
        validators=[Optional()],
        description=_l("A date as YYYY-MM-DD."),
    )
    until = DateField(
        _l("To"),
        format="%Y-%m-%d",
        validators=[Optional()],
        description=_l("A date as YYYY-MM-DD, included."),
    )

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


def _enum_or_none(enum):
    """The member, None for "any", or the unknown text itself, which fails as "Not a valid choice"."""

    def coerce(value):
        if value is None or value == "":
            return None
        return enum(value) if value in set(enum) else value

    return coerce


def _any_role_then_each():
    return [("", _l("Any role")), *role_choices()]


def _any_status_then_each():
    return [("", _l("Active and inactive")), ("active", _l("Active")), ("inactive", _l("Inactive"))]


class UserFilterForm(FlaskForm):
    """The search and filters of /admin/users, read from the query string (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=MAX_QUERY_LENGTH)])
    role = SelectField(
        _l("Role"), choices=_any_role_then_each, coerce=_enum_or_none(Role), validators=[Optional()]
    )
    status = SelectField(_l("Status"), choices=_any_status_then_each, validators=[Optional()])

    def active_filter(self) -> bool | None:
        """The status filter as the service takes it: True, False or None (either)."""
        return {"active": True, "inactive": False}.get(self.status.data)


def _no_area_then_each():
    return [("", _l("No area (not an expert)")), *expert_area_choices()]


class UserRoleForm(FlaskForm):
    """An account's role and, for experts, their area and whether they chair the board."""

    # Checked by the validators rather than WTForms' choice check, so a missing or
    # unknown role gets this one message and not "Not a valid choice" as well.
    role = RadioField(
        _l("Role"),
        choices=role_choices,
        coerce=_enum_or_none(Role),
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Choose a role.")),
            AnyOf(list(Role), message=_l("Choose a role.")),
        ],
    )
    area = SelectField(
        _l("Expert area"),
        choices=_no_area_then_each,
        coerce=_enum_or_none(ExpertArea),
        validators=[Optional()],
        description=_l(
            "Required for experts. Members and admins have no area and do not "
            "chair the board: both are cleared for them."
        ),
    )
    is_chair = BooleanField(_l("Chairs the board"))


class UserStatusForm(FlaskForm):
    """Deactivating or reactivating an account, with the reason."""

    reason = TextAreaField(
        _l("Reason"),
        description=_l("Required. Kept in the audit log and written in the e-mail to the person."),
        validators=[Length(max=MAX_REASON_LENGTH)],
    )
    # Deactivating only: a spammer's posts go with the account, for the same reason.
    hide_posts = BooleanField(
        _l(
            "Also hide everything this account posted (questions, answers, comments), "
            "with the same reason; moderators can restore each text later"
        )
    )
