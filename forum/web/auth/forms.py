"""Sign-in and registration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import HiddenInput

from forum.web.forms import password_fields
from forum.web.organisations.forms import PickOrganisationForm


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class RegistrationForm(PickOrganisationForm):
    """Step one of registering; the password is chosen through the e-mailed link
    (forum/services/accounts/registration.py). The organisation is picked from the list or
    described (``PickOrganisationForm``)."""

    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(min=2, max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class FinishRegistrationForm(FlaskForm):
    """Step two of registering, reached through the e-mailed link: the password."""

    password, confirm = password_fields(_l("Password"), _l("Repeat the password"))
    # Required by the service once a privacy notice exists (there is nothing to accept
    # before); the version shown is sent back, so a notice changed meanwhile is noticed.
    accept_privacy = BooleanField(_l("I have read the privacy notice"))
    privacy_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
