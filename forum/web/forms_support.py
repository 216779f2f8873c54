"""Putting a service's refusal beside the form field it concerns, and shared field checks."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from forum import markdown_limits
from forum.content_language import reader_language
from forum.locales import NATIVE_NAMES
from forum.models import ContentLanguage


def attach_error(field: Field, message: str) -> None:
    """Show ``message`` beside ``field`` when the form is rendered again."""
    errors = list(field.errors) if field.errors else []
    errors.append(str(message))
    field.errors = errors


class RenderableMarkdown:
    """A validator for a Markdown field: refuses a text over the renderer's limits.

    The message (``forum/markdown_limits.py``) says what to change, beside the
    field, and the text stays in it; the page would otherwise show it unrendered.
    """

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
    return SelectField(_l("Funded project"), coerce=_project_id, validate_choice=False,
                       description=description, validators=[Optional()])


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
        choices=[SelectChoice(language.value, NATIVE_NAMES[language.value])
                 for language in ContentLanguage],
        coerce=_language_or_text, default=reader_language, validators=[DataRequired()],
    )
