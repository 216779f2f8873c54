"""Who may open a page, checked before its view runs: one rule for every page that needs
more than a signed-in reader. Visitors are sent to log in (they may have the right once
signed in); signed-in people without it get 403.

Policies are the pure functions of ``forum/permissions.py`` that take the user alone
(``can_curate``, ``can_see_law_reviews``...); checks on an object stay in the view,
after the object is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app
from flask_login import current_user

from forum.permissions import can_curate


def refusal(policy: Callable) -> object | None:
    """The login redirect for a visitor, 403 (raised) for someone ``policy`` refuses, else None."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not policy(current_user):
        abort(403)
    return None


def requires(policy: Callable):
    """A view decorator: the view runs only for a signed-in reader ``policy`` allows."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            return refusal(policy) or view(*args, **kwargs)

        return checked

    return decorate


def admins_only():
    """A blueprint's ``before_request`` when every page of it is for admins: a new page
    added to the blueprint cannot forget the check."""
    return refusal(can_curate)
