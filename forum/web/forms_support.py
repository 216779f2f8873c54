"""Putting a service's refusal beside the form field it concerns, and shared field checks."""
from __future__ import annotations

from wtforms import Field, ValidationError

from forum import markdown_limits


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
