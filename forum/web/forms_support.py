"""Putting a service's refusal beside the form field it concerns."""
from __future__ import annotations

from wtforms import Field


def attach_error(field: Field, message: str) -> None:
    """Show ``message`` beside ``field`` when the form is rendered again."""
    errors = list(field.errors) if field.errors else []
    errors.append(str(message))
    field.errors = errors
