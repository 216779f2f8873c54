"""What curating the guide must pass: who may curate, a section's title and body.

Shared by the English text's editing and import, its translations, the experts'
proposals and the releases, so each refuses the same things with the same words.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forum.models import User
from forum.permissions import can_curate
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.guide import markdown


def require_admin(user: User | None) -> None:
    """PermissionDenied for anyone but the centre's admins."""
    if not can_curate(user):
        raise PermissionDenied(_l("Only the centre's admins curate the guide."))


def require_curator(actor: User | None) -> None:
    """The command line (no user) or an admin; PermissionDenied for anyone else."""
    if actor is not None:
        require_admin(actor)


def checked_title(title: str) -> str:
    """The title stripped; RuleViolation (field ``title``) if it cannot be a heading."""
    title = (title or "").strip()
    try:
        markdown.check_title(title)
    except markdown.GuideFormatError as error:
        raise RuleViolation(error.message, field="title") from None
    return title


def checked_body(body: str) -> str:
    """The body cleaned; RuleViolation (field ``body``, with the line) if it does not fit."""
    body = markdown.clean_body(body)
    try:
        markdown.check_body(body)
    except markdown.GuideFormatError as error:
        raise RuleViolation(
            _l("Line %(line)d: %(message)s", line=error.line, message=error.message), field="body"
        ) from None
    return body
