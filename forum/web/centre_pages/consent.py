"""Asking for the privacy notice's new version at login, and holding the person there.

The check runs when someone logs in (the form, registration, a password reset, or a
"remember me" cookie starting a new session): one query then, none on later pages. A
flag in the session marks a pending acceptance; until it is cleared the person can read
the notice, accept it, switch language or log out, and every other page sends them to
the notice. A new version published while someone is signed in reaches them at their
next login, as intended: nobody is interrupted mid-task.
"""

from __future__ import annotations

from flask import Flask, current_app, redirect, request, session, url_for
from flask_login import current_user, user_loaded_from_cookie, user_logged_in, user_logged_out
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE_NAME

from forum.services import centre_pages

PENDING = "privacy_acceptance_pending"

# Endpoints open while an acceptance is pending: reading and accepting the notice (its
# page and history too, below), choosing the language to read it in, logging out, and
# the assets the pages need; and the probes and the scrape, which are no one's pages.
ALLOWED = {
    "centre_pages.accept_privacy",
    "auth.logout",
    "language.change",
    "language.choose",
    "static",
    "health.alive",
    "health.ready",
    "metrics.scrape",
}


def clear() -> None:
    session.pop(PENDING, None)


def _check_on_login(_sender, user, **_extra) -> None:
    if centre_pages.privacy_consent_due(user):
        session[PENDING] = True
    else:
        clear()


def _forget_on_logout(_sender, **_extra) -> None:
    clear()


def _hold_until_accepted():
    if "_user_id" not in session and _remember_cookie() in request.cookies:
        # Flask-Login signs a "remember me" cookie in lazily, at the first use of
        # current_user: do it now, so its check above runs before this one.
        current_user._get_current_object()
    if not session.get(PENDING) or request.endpoint in ALLOWED:
        return None
    if request.endpoint in ("centre_pages.show", "centre_pages.history") and (
        (request.view_args or {}).get("page") == "privacy"
    ):
        return None
    if request.blueprint == "api":  # bearer tokens only; the session means nothing there
        return None
    if not current_user.is_authenticated:  # the session outlived its login
        clear()
        return None
    return redirect(url_for("centre_pages.accept_privacy"), code=303)


def _remember_cookie() -> str:
    return current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE_NAME)


def register(app: Flask) -> None:
    # Signals are sent with the app as sender: connecting per app keeps test apps apart.
    user_logged_in.connect(_check_on_login, app, weak=False)
    user_loaded_from_cookie.connect(_check_on_login, app, weak=False)
    user_logged_out.connect(_forget_on_logout, app, weak=False)
    app.before_request(_hold_until_accepted)
