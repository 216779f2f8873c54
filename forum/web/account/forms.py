"""Forms of the account pages: the profile, the e-mail address and how often e-mails come,
password change, reset, and deleting the account."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from forum.labels import email_frequency_choices
from forum.locales import NATIVE_NAMES
from forum.models import EmailFrequency
from forum.web.forms import password_fields
from forum.web.organisations.forms import PickOrganisationForm


class ProfileForm(PickOrganisationForm):
    """Name, organisation (picked, or described) and language; the organisation's kind
    field is the kind of the one kept, or of the new one."""

    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(min=2, max=120)])
    locale = SelectField(_l("Language of the pages and e-mails"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [
            (code, NATIVE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]
        ]


class EmailChangeForm(FlaskForm):
    email = EmailField(
        _l("New e-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField(
        _l("Your password"),
        description=_l(
            "Asked again, so that nobody can take over the "
            "account from a computer you left signed in."
        ),
        validators=[DataRequired(), Length(max=200)],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)]
    )
    password, confirm = password_fields(_l("New password"), _l("Repeat the new password"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password, confirm = password_fields(_l("New password"), _l("Repeat the new password"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])
    understood = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[InputRequired(message=_l("Tick the box to confirm."))],
    )


class EmailFrequencyForm(FlaskForm):
    frequency = RadioField(
        _l("E-mail for your notifications"),
        description=_l(
            "With a digest, the day's or the week's notifications come together in "
            "one e-mail instead of one e-mail each. The forum's list of "
            "notifications always has them all."
        ),
        choices=email_frequency_choices,
        coerce=EmailFrequency,
        validators=[InputRequired(message=_l("Choose how you want to be e-mailed."))],
    )
