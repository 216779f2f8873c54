"""The JSON API at /api/v1: the same services as the pages, so the same rules hold.

This module holds the blueprint and what every request to it passes through: the bearer
token (``auth``; no session, so no CSRF token), the services' errors as problem+json
(``problems``), and the rate limits the API shares with the pages; and the routes about
the API itself: the caller (``/me``), the OpenAPI document and its page. The other routes
join the blueprint from a module per subject: ``question_routes`` (topics, questions,
answers, comments), ``curated_routes`` (the FAQ and the guide), ``clinic_routes`` (clinics
and referrals), ``search_routes``, ``review_routes``.

Each view reads its input (``validation``), asks ``permissions`` where the page
does, calls one service function and returns ``serializers``' shape of the
result. The OpenAPI document (``openapi``) describes every route of the blueprint, and a
test keeps the two in step.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy.exc import IntegrityError

from forum.extensions import csrf, db, limiter
from forum.services.errors import PermissionDenied, RuleViolation, ServiceError
from forum.web.api import openapi, serializers
from forum.web.api.auth import authenticate, require_user
from forum.web.api.problems import ApiError, ValidationFailed, from_api_error, problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# No session cookie authenticates here (auth.py), so there is nothing for a CSRF
# token to protect; scripts could not send one anyway.
csrf.exempt(bp)

# These describe the API and need no caller: a stray Authorization header must
# not keep a person from reading them.
UNAUTHENTICATED_ENDPOINTS = frozenset({"api.openapi_document", "api.docs"})


# --- rate limits: one budget with the pages ---------------------------------------------------


def _caller_key() -> str:
    # The same key as the pages' posting limit (forum/web/infra/rate_limits.py), so a
    # person's budget is one, whether they post from the page or a script.
    user = getattr(g, "api_user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.id}"
    return f"address:{get_remote_address()}"


posting_limit = limiter.shared_limit(
    lambda: current_app.config.get("RATELIMIT_POST", "30 per minute"),
    scope="posting",
    methods=["POST"],
    key_func=_caller_key,
)
search_limit = limiter.shared_limit(
    lambda: current_app.config.get("RATELIMIT_SEARCH", "60 per minute"),
    scope="search",
)


# --- authentication and errors ------------------------------------------------------------------


@bp.before_request
def _authenticate():
    if request.endpoint in UNAUTHENTICATED_ENDPOINTS:
        g.api_user = None
        return
    authenticate()


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return from_api_error(error)


@bp.errorhandler(PermissionDenied)
def _permission_denied(error: PermissionDenied):
    db.session.rollback()
    return problem(403, error.message)


@bp.errorhandler(RuleViolation)
def _rule_violation(error: RuleViolation):
    db.session.rollback()
    if error.field:
        return from_api_error(ValidationFailed([{"field": error.field, "message": error.message}]))
    # A rule broken by the state of things, not by a field: nothing to correct in the body.
    return problem(409, error.message)


@bp.errorhandler(ServiceError)
def _conflict(error: ServiceError):
    # The other service errors are conflicts: a newer revision saved meanwhile, an
    # answer given already.
    db.session.rollback()
    return problem(409, error.message)


@bp.errorhandler(IntegrityError)
def _integrity_error(error: IntegrityError):
    # A unique constraint settled a race with another request.
    db.session.rollback()
    return problem(409, _("Someone else changed this at the same moment. Please retry."))


# --- the caller ----------------------------------------------------------------------------------


@bp.get("/me")
def me():
    return jsonify(serializers.me(require_user(), g.api_token))


# --- the document and its page ---------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@bp.get("/docs")
def docs():
    return render_template(
        "api/docs.html",
        spec=openapi.document(),
        operations=openapi.operations(),
        schema_label=openapi.schema_label,
        schema_limits=openapi.schema_limits,
    )
