"""Editing the centre's pages (admins only): /admin/pages/..."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.models import CentrePage
from forum.services import centre_pages
from forum.services.centre_pages import PageDraft
from forum.services.errors import RuleViolation
from forum.web import access
from forum.web.centre_pages.forms import PageForm
from forum.web.forms import attach_error

bp = Blueprint("centre_pages_admin", __name__, url_prefix="/admin/pages")


bp.before_request(access.admins_only)


@bp.get("", endpoint="index")
def page_list():
    return render_template(
        "centre_pages/admin_index.html",
        pages=list(CentrePage),
        current=centre_pages.current_pages(),
    )


@bp.route("/<any(about, contact, privacy, terms):page>", methods=["GET", "POST"], endpoint="edit")
def edit(page: str):
    page = CentrePage(page)
    revision = centre_pages.current(page)
    form = PageForm()
    if request.method == "GET" and revision is not None:
        for name in ("title_en", "body_en", "title_it", "body_it"):
            getattr(form, name).data = getattr(revision, name)
    if request.method == "GET":
        form.base_number.data = revision.number if revision is not None else 0
    if form.validate_on_submit():
        try:
            saved = centre_pages.save(
                page,
                current_user,
                PageDraft(
                    title_en=form.title_en.data,
                    body_en=form.body_en.data,
                    title_it=form.title_it.data,
                    body_it=form.body_it.data,
                    note=form.note.data,
                    italian_checked=bool(form.italian_checked.data),
                ),
                base_number=form.base_number.data,
                new_privacy_version=form.new_privacy_version.data,
            )
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "body_en"), error.message)
        else:
            flash(_("Saved as revision %(number)d.", number=saved.number), "success")
            return redirect(url_for("centre_pages.show", page=page.value))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "centre_pages/edit.html",
        page=page,
        form=form,
        revision=revision,
        english_changes=centre_pages.english_changes_since_translation(page),
        controller_name=current_app.config["PRIVACY_CONTROLLER_NAME"],
        controller_email=current_app.config["PRIVACY_CONTROLLER_EMAIL"],
    ), status
