"""An organisation's public page (/organisations/<id>): its details and its members'
public questions; and the admins' list, edit and merge (/admin/organisations)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from forum.services import organisations
from forum.services.errors import RuleViolation
from forum.web import access
from forum.web.forms import attach_error
from forum.web.lookups import bounded_id_or_404
from forum.web.organisations.forms import MergeForm, OrganisationFieldsForm, OrganisationFilterForm
from forum.web.paging import requested_page

bp = Blueprint("organisations", __name__)
admin_bp = Blueprint("organisations_admin", __name__, url_prefix="/admin/organisations")
admin_bp.before_request(access.admins_only)

QUESTIONS_PER_PAGE = 20
ORGANISATIONS_PER_PAGE = 50


def _organisation_or_404(organisation_id: int):
    organisation = organisations.get(bounded_id_or_404(organisation_id))
    if organisation is None:
        abort(404)
    return organisation


@bp.get("/organisations/<int:organisation_id>")
def show(organisation_id: int):
    page = organisations.load_page(
        bounded_id_or_404(organisation_id), requested_page(), QUESTIONS_PER_PAGE
    )
    if page is None:
        abort(404)
    return render_template("organisations/show.html", page=page, organisation=page.organisation)


@admin_bp.get("", endpoint="index")
def index():
    form = OrganisationFilterForm(formdata=request.args)
    if not form.validate():
        return render_template(
            "organisations/admin_index.html", form=form, pagination=None, rows=[]
        ), 400
    pagination, rows = organisations.list_organisations(
        form.q.data or "", requested_page(), ORGANISATIONS_PER_PAGE
    )
    return render_template(
        "organisations/admin_index.html", form=form, pagination=pagination, rows=rows
    )


def _edit_page(organisation, form, merge_form, status=200):
    duplicates = organisations.possible_duplicates(organisation)
    if merge_form.into.data is None and duplicates:
        merge_form.into.data = duplicates[0].id  # the likely one, chosen already
    return render_template(
        "organisations/admin_edit.html",
        organisation=organisation,
        form=form,
        merge_form=merge_form,
        duplicates=duplicates,
        members=organisations.members(organisation),
    ), status


@admin_bp.route("/<int:organisation_id>", methods=["GET", "POST"], endpoint="edit")
def edit(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    form = OrganisationFieldsForm()
    if request.method == "GET":
        form.show_organisation(organisation)
    elif form.validate_on_submit():
        try:
            organisations.update_organisation(current_user, organisation, form.organisation_draft())
        except RuleViolation as error:
            form.show_error(error)
        else:
            flash(_("The details of %(name)s are saved.", name=organisation.name), "success")
            return redirect(url_for(".edit", organisation_id=organisation.id))
    status = 422 if request.method == "POST" else 200
    return _edit_page(organisation, form, MergeForm(organisation, formdata=None), status)


@admin_bp.post("/<int:organisation_id>/merge", endpoint="merge")
def merge(organisation_id: int):
    duplicate = _organisation_or_404(organisation_id)
    form = MergeForm(duplicate)
    if form.validate_on_submit():
        kept = _organisation_or_404(form.into.data)
        name = duplicate.name
        try:
            moved = organisations.merge(current_user, duplicate, kept)
        except RuleViolation as error:
            attach_error(form.into, error.message)
        else:
            flash(
                ngettext(
                    "%(duplicate)s is merged into %(kept)s: %(num)d member moved.",
                    "%(duplicate)s is merged into %(kept)s: %(num)d members moved.",
                    moved,
                    duplicate=name,
                    kept=kept.name,
                ),
                "success",
            )
            return redirect(url_for(".edit", organisation_id=kept.id))
    fields = OrganisationFieldsForm(formdata=None)
    fields.show_organisation(duplicate)
    return _edit_page(duplicate, fields, form, 422)
