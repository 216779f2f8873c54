"""Readable error pages: never a traceback, always the status a client expects."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from forum.extensions import db

log = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please go back and try again.")),
        403: (_("Not allowed"), _("You do not have permission to do this.")),
        404: (_("Page not found"), _("There is nothing here, or you cannot see it.")),
        405: (_("Method not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What you sent is larger than the forum accepts. Please shorten it and try again.")),
        500: (_("Something went wrong"), _("An error occurred on our side. Nothing you sent was half-saved; please try again.")),
    }


def render_error(code: int, detail: str | None = None):
    title, message = _messages().get(code, (_("Error"), _("The request could not be completed.")))
    return render_template("errors/error.html", code=code, title=title,
                           message=detail or message), code


def _refuse_nul_characters():
    """PostgreSQL cannot store NUL in text; refuse such input up front, readably."""
    values = [*request.args.values(), *request.form.values()]
    if any("\x00" in value for value in values):
        return render_error(400, _("The request contains a NUL character, which the forum "
                                   "cannot store. Please remove it and try again."))
    return None


def register(app: Flask) -> None:
    app.before_request(_refuse_nul_characters)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("Your form expired or was sent without its security token. "
                                   "Please reload the page and send it again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("Unhandled error", exc_info=error)
        db.session.rollback()
        return render_error(InternalServerError.code)
