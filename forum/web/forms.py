"""What the blueprints' forms share: the one-click confirmation, the checkbox list, the
edit note, the fields several forms ask (the written language, the funded project), the
Markdown check, showing a service's refusal beside its field, and the limits every form
and route agrees on.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum import markdown_limits
from forum.content_language import reader_language
from forum.locales import NATIVE_NAMES
from forum.models import ContentLanguage
from forum.services.accounts.credentials import MIN_PASSWORD_LENGTH
from forum.services.questions import BODY_MAX_LENGTH

# A curated text's body (a board answer, a guide section, an FAQ answer, a translation)
# may be as long as a question's.
MAX_BODY_LENGTH = BODY_MAX_LENGTH

# Ids are 32-bit integers in both databases; larger numbers match nothing, and
# SQLite cannot even take them as a parameter.
MAX_ID = 2**31 - 1

MAX_EDIT_NOTE_LENGTH = 300


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-click actions."""


class CheckboxListField(SelectMultipleField):
    """Several choices shown as a list of labelled checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def edit_note_field() -> StringField:
    """The optional "what did you change?" note every edit form ends with."""
    return StringField(
        _l("What did you change?"),
        description=_l("Optional; shown in the revision history."),
        validators=[Optional(), Length(max=MAX_EDIT_NOTE_LENGTH)],
    )


def password_fields(label, repeat_label) -> tuple[PasswordField, PasswordField]:
    """A password being chosen (registering, changing, resetting) and its repetition: the
    rules said beside it, the two compared; the service checks the rules themselves."""
    password = PasswordField(
        label,
        description=_l(
            "At least %(count)d characters, not your e-mail address or a common password.",
            count=MIN_PASSWORD_LENGTH,
        ),
        validators=[DataRequired(), Length(max=200)],
    )
    confirm = PasswordField(
        repeat_label,
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    return password, confirm


def attach_error(field: Field, message: str) -> None:
    """Show ``message`` beside ``field`` when the form is rendered again."""
    errors = list(field.errors) if field.errors else []
    errors.append(str(message))
    field.errors = errors


class RenderableMarkdown:
    """A validator for a Markdown field: refuses a text over the renderer's limits.

    The message (``forum/markdown_limits.py``) says what to change, beside the
    field, and the text stays in it; the page would otherwise show it unrendered.
    Its flag marks the field as Markdown, for the preview (``web/markdown_preview.py``).
    """

    field_flags = {"markdown": True}

    def __call__(self, form, field: Field) -> None:
        message = markdown_limits.problem(field.data)
        if message is not None:
            raise ValidationError(str(message))


def _project_id(value):
    """The chosen project's id, or None for "no project" (and for anything not a number,
    which the service then refuses as not one of the choices)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def project_field(description) -> SelectField:
    """The optional "funded project" choice of the question and referral forms; its
    choices come from ``set_project_choices``, the check from the service."""
    return SelectField(
        _l("Funded project"),
        coerce=_project_id,
        validate_choice=False,
        description=description,
        validators=[Optional()],
    )


def set_project_choices(field: SelectField, projects) -> None:
    field.choices = [("", _l("None"))] + [(project.id, project.title) for project in projects]


def _language_or_text(value):
    """The language, or the unknown text itself, which then fails as "Not a valid choice"."""
    if isinstance(value, ContentLanguage) or value is None:
        return value
    return ContentLanguage(value) if value in set(ContentLanguage) else value


def written_language_field() -> SelectField:
    """The language a user's text is written in: questions, answers, comments.

    Defaults to the interface's language; each language by its own name, as the
    language switcher shows it.
    """
    return SelectField(
        _l("Language of your text"),
        description=_l("Pages mark your text with it, for screen readers and translation tools."),
        choices=[
            SelectChoice(language.value, NATIVE_NAMES[language.value])
            for language in ContentLanguage
        ],
        coerce=_language_or_text,
        default=reader_language,
        validators=[DataRequired()],
    )
