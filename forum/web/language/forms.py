"""The language choice: which language, and the page to go back to."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField

from forum.locales import NATIVE_NAMES


def language_choices() -> list[tuple[str, str]]:
    """The offered languages, each by its own name."""
    return [(code, NATIVE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]]


class LanguageForm(FlaskForm):
    """Posted by signed-in people (CSRF-protected): the choice is kept on the account."""

    locale = RadioField(_l("Language"), choices=language_choices)
    next = HiddenField()


class VisitorLanguageForm(LanguageForm):
    """A visitor's choice, sent by GET: it changes only their own session, and a
    POST form would need a CSRF token, hence a session cookie, on every visitor's page."""

    class Meta:
        csrf = False
