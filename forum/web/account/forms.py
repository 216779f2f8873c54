"""Forms of the account pages: e-mail frequency, password change, reset, deleting the account."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from forum.labels import email_frequency_choices
from forum.models import EmailFrequency
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


class EmailFrequencyForm(FlaskForm):
    frequency = RadioField(
        _l("E-mail for your notifications"),
        description=_l("With a digest, the day's or the week's notifications come together in "
                       "one e-mail instead of one e-mail each. The forum's list of "
                       "notifications always has them all."),
        choices=email_frequency_choices,
        coerce=EmailFrequency,
        validators=[InputRequired(message=_l("Choose how you want to be e-mailed."))],
    )
