"""Text typed into a form, checked the same way by every service that stores it: trimmed (a
one-line text with its runs of spaces made one), refused when over its limit and, when
required, when empty, with the message beside the field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forum.services.errors import RuleViolation


def checked_text(
    value: str | None, limit: int, field_name: str, required_message=None, *, one_line: bool = True
) -> str:
    """The typed text trimmed (a one-line text with its runs of spaces made one), checked
    against its limit and, with ``required_message``, refused when empty.

    Raises RuleViolation on ``field_name``.
    """
    text = " ".join((value or "").split()) if one_line else (value or "").strip()
    if required_message is not None and not text:
        raise RuleViolation(required_message, field=field_name)
    if len(text) > limit:
        raise RuleViolation(
            _l("This is too long (at most %(max)d characters).", max=limit), field=field_name
        )
    return text
