"""Forms of the account pages: password change, reset, and deleting the account."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from forum.services.accounts import MIN_PASSWORD_LENGTH


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        description=_l("At least %(count)d characters, not your e-mail address or a "
                       "common password.", count=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(max=200)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    return password, confirm


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=200)])
    password, confirm = _new_password_fields()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])
    understood = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[InputRequired(message=_l("Tick the box to confirm."))],
    )
