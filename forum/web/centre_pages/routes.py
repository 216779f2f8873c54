"""The centre's pages for every reader, their history, and accepting the privacy notice."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.models import CentrePage
from forum.services import centre_pages
from forum.services.errors import RuleViolation
from forum.web.centre_pages import consent
from forum.web.centre_pages.forms import AcceptPrivacyForm

bp = Blueprint("centre_pages", __name__)

# The converter only matches the four pages, so these rules take no other path.
PAGE = "<any(about, contact, privacy, terms):page>"


@bp.get(f"/{PAGE}", endpoint="show")
def show(page: str):
    revision = centre_pages.current(CentrePage(page))
    if revision is None:
        abort(404)
    text = centre_pages.text_for(revision, str(get_locale()))
    return render_template(
        "centre_pages/show.html",
        page=CentrePage(page),
        revision=revision,
        text=text,
        **_privacy_context(revision),
    )


@bp.get(f"/{PAGE}/history", endpoint="history")
def history(page: str):
    entries = centre_pages.history(CentrePage(page))
    if not entries:
        abort(404)
    current = centre_pages.text_for(entries[0].revision, str(get_locale()))
    return render_template(
        "centre_pages/history.html", page=CentrePage(page), entries=entries, current=current
    )


@bp.route("/privacy/accept", methods=["GET", "POST"], endpoint="accept_privacy")
@login_required
def accept_privacy():
    """The notice with its accept button, shown after a login while a new version waits."""
    if not centre_pages.privacy_consent_due(current_user):
        consent.clear()
        return redirect(url_for("main.home"))
    revision = centre_pages.current(CentrePage.PRIVACY)
    form = AcceptPrivacyForm()
    if form.validate_on_submit():
        try:
            centre_pages.accept_privacy(current_user, form.version.data)
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            consent.clear()
            flash(_("Thank you: you accepted the privacy notice."), "success")
            return redirect(url_for("main.home"))
    status = 422 if request.method == "POST" else 200
    form.version.data = revision.privacy_version
    form.version.raw_data = None  # show the version in force, not the one posted
    text = centre_pages.text_for(revision, str(get_locale()))
    return render_template(
        "centre_pages/accept.html",
        form=form,
        revision=revision,
        text=text,
        **_privacy_context(revision),
    ), status


def _privacy_context(revision) -> dict:
    """The privacy notice's version, its date and the controller (settings), for its pages."""
    if revision.page != CentrePage.PRIVACY:
        return {}
    return {
        "privacy_version": revision.privacy_version,
        "privacy_version_date": centre_pages.privacy_version_date(revision.privacy_version),
        "controller_name": current_app.config["PRIVACY_CONTROLLER_NAME"],
        "controller_email": current_app.config["PRIVACY_CONTROLLER_EMAIL"],
    }
