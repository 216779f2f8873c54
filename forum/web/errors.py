"""Readable error pages: never a traceback, always the status a client expects.

A service's ``PermissionDenied`` is a 403 here, for every view."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from forum.extensions import db
from forum.services.errors import PermissionDenied
from forum.web.api.problems import is_api_request, problem
from forum.web.infra import rate_limits, reconnect

log = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Please go back and try again."),
        ),
        403: (_("Not allowed"), _("You do not have permission to do this.")),
        404: (_("Page not found"), _("There is nothing here, or you cannot see it.")),
        405: (_("Method not allowed"), _("This address does not accept that kind of request.")),
        413: (
            _("Too large"),
            _("What you sent is larger than the forum accepts. Please shorten it and try again."),
        ),
        429: (
            _("Too many attempts"),
            _("You have done this too often in a short time. Please wait a little and try again."),
        ),
        500: (_("Something went wrong"), _("An error occurred on our side.")),  # detail: below
    }


def _server_error_detail() -> str:
    """What a 500 may truthfully say about the reader's change (issue 20, finding 18c)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        # A page, not a change: whatever an earlier request stored is not this one's to judge.
        return _("An error occurred on our side while preparing this page. Please try again later.")
    outcome = reconnect.commit_outcome()
    if outcome is reconnect.CommitOutcome.UNKNOWN:
        return _(
            "An error occurred on our side while your change was being saved, and the "
            "forum cannot tell whether it was. It may or may not have been saved: please "
            "check before sending it again."
        )
    if outcome is reconnect.CommitOutcome.COMMITTED:
        return _(
            "Your change was saved, but an error occurred on our side afterwards. "
            "Please check it rather than sending it again."
        )
    return _(
        "An error occurred on our side before anything was saved. Nothing you sent "
        "was stored; please try again."
    )


def render_error(code: int, detail: str | None = None):
    if code == InternalServerError.code and detail is None:
        detail = _server_error_detail()
    if is_api_request():
        # The JSON API answers every error, whoever raised it, as problem+json.
        return problem(code, detail)
    title, message = _messages().get(code, (_("Error"), _("The request could not be completed.")))
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def _too_many_requests():
    """The 429 page, saying how long to wait (the Retry-After header says it to programs)."""
    wait = rate_limits.seconds_until_retry()
    if wait is None:
        return render_error(429)
    if wait < 120:
        when = ngettext(
            "Please try again in %(num)d second.", "Please try again in %(num)d seconds.", wait
        )
    else:
        when = ngettext(
            "Please try again in %(num)d minute.",
            "Please try again in %(num)d minutes.",
            -(-wait // 60),
        )
    return render_error(429, _("You have done this too often in a short time.") + " " + when)


# Searches (page, suggestions, API): any text may be typed, control characters
# included, and their ``q`` never reaches the database as text (search_text keeps
# only letters and digits), so a NUL there is a separator, not an error.
NUL_TOLERANT_QUERIES = frozenset({"search.index", "search.suggest", "api.search_texts"})


def _refuse_nul_characters():
    """PostgreSQL cannot store NUL in text (nor compare with it); refuse such input up
    front, readably: in the query, the form, and the path's text parts (a clause, a version)."""
    path_texts = [value for value in (request.view_args or {}).values() if isinstance(value, str)]
    environ = request.environ
    if not (path_texts or environ.get("QUERY_STRING") or environ.get("CONTENT_TYPE")):
        return None  # most page views: nothing to read (a form needs a content type)
    tolerant = request.endpoint in NUL_TOLERANT_QUERIES
    arguments = [
        value for name, value in request.args.items(multi=True) if not (tolerant and name == "q")
    ]
    values = [*arguments, *request.form.values(), *path_texts]
    if any("\x00" in value for value in values):
        return render_error(
            400,
            _(
                "The request contains a NUL character, which the forum "
                "cannot store. Please remove it and try again."
            ),
        )
    return None


def register(app: Flask) -> None:
    app.before_request(_refuse_nul_characters)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _(
                "Your form expired or was sent without its security token. "
                "Please reload the page and send it again."
            ),
        )

    @app.errorhandler(PermissionDenied)
    def permission_denied(error: PermissionDenied):
        # A service's refusal is the plain 403 page, as ``abort(403)`` gives: views do not
        # catch it one by one. Whatever the service began is not kept. (The API blueprint
        # answers it with its own problem+json handler, which says the service's reason.)
        db.session.rollback()
        return render_error(403)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if is_api_request() and error.code == 405:
            # A 405 says which methods the address accepts (RFC 9110).
            allowed = {"Allow": ", ".join(error.valid_methods or [])}
            return problem(405, headers=allowed)
        if error.code == 429:
            return _too_many_requests()
        return render_error(error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("Unhandled error", exc_info=error)
        db.session.rollback()
        return render_error(InternalServerError.code)
