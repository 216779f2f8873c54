"""Errors of the JSON API as ``application/problem+json`` (RFC 9457).

Every error under /api/ is answered this way, whoever raised it: a view, the
routing (unknown path, wrong method), Werkzeug (body too large), Flask-Limiter
(429) or an unexpected exception (500, never a traceback). ``forum/web/errors.py``
hands API requests here, so the HTML error pages stay as they are elsewhere.
"""

from __future__ import annotations

from flask import Response, has_request_context, json, request
from flask_babel import gettext as _

API_PATH_PREFIX = "/api/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
# The problem types with more meaning than their status: their URIs lead to the
# explanation on the API's documentation page.
VALIDATION_TYPE = "/api/v1/docs#problem-validation"


def is_api_request() -> bool:
    """Whether the current request is for the JSON API (whatever its route)."""
    return has_request_context() and (
        request.path == API_PATH_PREFIX.rstrip("/") or request.path.startswith(API_PATH_PREFIX)
    )


def _titles() -> dict[int, tuple[str, str]]:
    """The title of each status, and the detail given when the caller has none."""
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        401: (
            _("Authentication required"),
            _("Send a personal API token as “Authorization: Bearer <token>”."),
        ),
        403: (_("Forbidden"), _("Your account may not do this.")),
        404: (_("Not found"), _("There is nothing here, or you cannot see it.")),
        405: (_("Method not allowed"), _("This address does not accept that method.")),
        409: (_("Conflict"), _("The request conflicts with the current state of the resource.")),
        413: (_("Request too large"), _("The request body is larger than the forum accepts.")),
        415: (_("Unsupported media type"), _("Send the body as application/json.")),
        422: (_("Validation failed"), _("Some fields are missing or invalid.")),
        429: (_("Too many requests"), _("Too many requests in a short time: wait and retry.")),
        500: (_("Internal server error"), _("An error occurred on our side.")),
    }


class ApiError(Exception):
    """An error a view raises to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        errors: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail or str(status))
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class ValidationFailed(ApiError):
    """422: the body (or a query parameter: 400) names fields that are missing or invalid."""

    def __init__(self, errors: list[dict], status: int = 422, detail: str | None = None):
        super().__init__(
            status,
            detail
            or _(
                "Some fields are missing or invalid: %(fields)s.",
                fields=", ".join(e["field"] for e in errors),
            ),
            errors=errors,
        )


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The problem+json response for ``status``, with a title and a detail."""
    title, default_detail = _titles().get(status, (_("Error"), _("The request failed.")))
    document = {
        "type": VALIDATION_TYPE if errors else "about:blank",
        "title": title,
        "status": status,
        "detail": str(detail) if detail else default_detail,
    }
    if errors:
        document["errors"] = [{"field": e["field"], "message": str(e["message"])} for e in errors]
    response = Response(json.dumps(document), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_api_error(error: ApiError) -> Response:
    return problem(error.status, error.detail, errors=error.errors, headers=error.headers)
