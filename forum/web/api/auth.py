"""Who is calling the API: the owner of a bearer token, or an anonymous visitor.

Only ``Authorization: Bearer <token>`` authenticates. The session cookie is
ignored entirely, so a page in someone's browser cannot make the API write in
their name (the API is exempt from CSRF tokens precisely because no cookie
counts here). The acting user is kept in ``g.api_user`` and handed to the
services, the token in ``g.api_token``; flask_login's ``current_user`` is never
asked. A read-only token gets 403 on any method that writes.
"""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from forum.extensions import login_manager
from forum.services.accounts import api_tokens
from forum.web.api.problems import ApiError

REALM = 'Bearer realm="ctcc-api"'
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authenticate() -> None:
    """Set ``g.api_user`` from the Authorization header; 401 for a header that names no
    active token (a wrong token is an error, not a quiet fall back to anonymous)."""
    g.api_user = login_manager.anonymous_user()
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _space, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(
            401,
            _("Send the token as “Authorization: Bearer <token>”."),
            headers={"WWW-Authenticate": f'{REALM}, error="invalid_request"'},
        )
    token = api_tokens.resolve(secret.strip())
    if token is None:
        raise ApiError(
            401,
            _("This token is unknown, revoked or expired, or its account is no longer active."),
            headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
        )
    g.api_user, g.api_token = token.user, token
    if token.read_only and request.method not in READING_METHODS:
        # Refused before the view: no write by a read-only token reaches a service.
        raise ApiError(
            403,
            _("This token is read-only: create a token that may read and write for this."),
            headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope"'},
        )


def api_user():
    """The acting user: a User, or the anonymous user for a call without a token."""
    return g.api_user


def require_user():
    """The acting user, who must have sent a token; else 401."""
    user = g.api_user
    if not user.is_authenticated:
        raise ApiError(
            401,
            _(
                "This needs a personal API token: create one on your account's "
                "token page and send it as “Authorization: Bearer <token>”."
            ),
            headers={"WWW-Authenticate": REALM},
        )
    return user
