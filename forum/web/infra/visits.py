"""Counting page views: an ``after_request`` hook that hands each human page view to the
process's ``VisitCounter`` (forum/services/visits.py). No cookie, no database access.
"""

from __future__ import annotations

from flask import Flask, current_app, request

from forum.services import visits

EXTENSION_KEY = "visit_counter"


def register(app: Flask) -> None:
    """Give the app its counter and count its responses.

    The counter's flushing thread starts with the first counted visit, and never
    under ``TESTING``: tests flush by hand.
    """
    app.extensions[EXTENSION_KEY] = visits.VisitCounter(
        app.config["BABEL_DEFAULT_TIMEZONE"],
        app=app,
        flush_seconds=0 if app.testing else app.config["VISIT_FLUSH_SECONDS"],
    )
    app.after_request(_count_visit)


def visit_counter(app: Flask | None = None) -> visits.VisitCounter:
    return (app or current_app).extensions[EXTENSION_KEY]


def _count_visit(response):
    """Count successful GETs of HTML pages by people; everything else passes untouched.

    Every page passes here, so the cheap tests come first and the headers are read
    from the WSGI environ as the server gave them.
    """
    app = current_app._get_current_object()  # once: each use of the proxy costs a lookup
    if not app.config["VISIT_COUNTING"]:
        return response
    environ = request.environ
    if environ["REQUEST_METHOD"] != "GET" or not 200 <= response.status_code < 300:
        return response
    if response.mimetype != "text/html" or _is_prefetch(environ):
        return response
    section = visits.section_for_path(request.path)
    user_agent = environ.get("HTTP_USER_AGENT", "")
    if section is None or visits.is_bot(user_agent):
        return response
    visit_counter(app).record(section, environ.get("REMOTE_ADDR") or "", user_agent)
    return response


def _is_prefetch(environ) -> bool:
    """Browsers fetch some links ahead of a click; those are not visits."""
    purpose = (environ.get("HTTP_SEC_PURPOSE") or environ.get("HTTP_PURPOSE") or "").lower()
    return "prefetch" in purpose or "prerender" in purpose
