"""The guide's releases: the list, a release (its approval and the board's stances),
its Markdown and PDF downloads, making one (admins) and approving it (the board).

A draft release is seen only by the board and the admins: for anyone else its
pages and downloads are 404, as if it did not exist. Approving and taking a stance are
refused (403) to those without the right before any release is looked up, the same
answer for every version.
"""

from __future__ import annotations

import os

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.models import GuideRelease, ReleaseKind, StanceKind
from forum.permissions import (
    can_approve_release,
    can_curate,
    can_see_draft_releases,
    can_see_release,
    can_take_release_stance,
)
from forum.services.errors import RuleViolation
from forum.services.guide import changes, publishing, translated, versions
from forum.web.access import requires
from forum.web.forms import ConfirmForm, attach_error
from forum.web.translation_editing import reader_language

from .forms import ReleaseForm, ReleaseStanceForm
from .routes import bp


def visible_release_or_404(version: str) -> GuideRelease:
    found = (
        publishing.load_release(version) if versions.VERSION_PATTERN.fullmatch(version) else None
    )
    if found is None or not can_see_release(current_user, found):
        abort(404)
    return found


@bp.get("/releases")
def releases():
    return render_template(
        "guide/releases.html",
        releases=versions.releases(include_drafts=can_see_draft_releases(current_user)),
        curator=can_curate(current_user),
    )


@bp.get("/releases/<version>.md")
def release_markdown(version: str):
    return release_markdown_response(visible_release_or_404(version))


def release_markdown_response(
    release: GuideRelease, *, text: str | None = None, language: str | None = None
) -> Response:
    """A release's frozen Markdown as a file to save (the pages and the API serve it):
    the English, or ``text`` in ``language``."""
    response = Response(
        (release.markdown if text is None else text).encode("utf-8"),
        content_type="text/markdown; charset=utf-8",
    )
    suffix = f".{language}" if language else ""
    response.headers["Content-Disposition"] = (
        f'attachment; filename="requirements-guide-{release.version}{suffix}.md"'
    )
    if language:
        response.headers["Content-Language"] = language
    return response


@bp.get("/releases/<version>.pdf")
def release_pdf(version: str):
    found = visible_release_or_404(version)
    stylesheet = os.path.join(current_app.static_folder, "css", "forum.css")
    response = Response(publishing.release_pdf(found, stylesheet), content_type="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="requirements-guide-{found.version}.pdf"'
    )
    return response


@bp.get("/releases/<version>")
def release(version: str):
    found = visible_release_or_404(version)
    return _render_release(found, ReleaseStanceForm(formdata=None))


@bp.post("/releases/<version>/approve")
@requires(can_approve_release)
def approve(version: str):
    found = visible_release_or_404(version)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        publishing.approve_as_chair(found, current_user)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(
            _("You approved version %(version)s: it is published.", version=found.version),
            "success",
        )
    return redirect(url_for(".release", version=found.version))


@bp.post("/releases/<version>/stance")
@requires(can_take_release_stance)
def stance(version: str):
    found = visible_release_or_404(version)
    form = ReleaseStanceForm()
    if form.validate_on_submit():
        try:
            state = publishing.record_stance(
                found, current_user, StanceKind(form.kind.data), form.reason.data or ""
            )
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "kind", form.kind), error.message)
        else:
            if state.is_met:
                flash(
                    _(
                        "Your stance completes the board's quorum: version %(version)s is "
                        "approved and published.",
                        version=found.version,
                    ),
                    "success",
                )
            else:
                flash(_("Your stance is recorded."), "success")
            return redirect(url_for(".release", version=found.version))
    return _render_release(found, form), 422


@bp.route("/release", methods=["GET", "POST"])
@requires(can_curate)
def make_release():
    form = ReleaseForm()
    latest = versions.latest_release(include_drafts=True)
    if request.method == "GET":
        if latest is not None:
            major, minor = versions.version_key(latest.version)
            form.version.data = f"{major}.{minor + 1}"
        else:
            form.version.data = "1.0"
            form.kind.data = "first-version"
    if form.validate_on_submit():
        try:
            frozen = publishing.release(
                form.version.data, form.notes.data, current_user, kind=ReleaseKind(form.kind.data)
            )
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "version", form.version), error.message)
        else:
            flash(
                _(
                    "Version %(version)s is saved as a draft: a chair of the board, or the "
                    "board by quorum, approves it to publish it.",
                    version=frozen.version,
                ),
                "success",
            )
            return redirect(url_for(".release", version=frozen.version))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "guide/release_form.html",
        form=form,
        latest=latest,
        pending=changes.changes_since_latest_release(),
    ), status


def _render_release(found: GuideRelease, stance_form: ReleaseStanceForm):
    draft = not found.is_published
    return render_template(
        "guide/release.html",
        release=found,
        document=translated.release_document(found, reader_language()),
        translated_languages=translated.frozen_languages(found),
        contributors=publishing.contributors_of(found),
        quorum=publishing.quorum(found) if draft else None,
        may_approve=draft and can_approve_release(current_user),
        may_take_stance=draft and can_take_release_stance(current_user),
        stance_form=stance_form,
        confirm_form=ConfirmForm() if draft else None,
    )
