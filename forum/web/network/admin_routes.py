"""The admins' pages of the network's directory (/admin/network): every profile, listed or
not, a new profile, deleting one, the CSV import and the two vocabularies."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.extensions import db
from forum.network_access import can_manage_network
from forum.services import network_directory as directory
from forum.services import network_import, network_vocabulary
from forum.services.errors import RuleViolation
from forum.services.network_directory import DirectoryFilters
from forum.services.network_vocabulary import Vocabulary
from forum.web import access
from forum.web.forms import ConfirmForm, attach_error
from forum.web.infra.body_limit import accepts_uploads
from forum.web.lookups import bounded_id_or_404
from forum.web.network.forms import ImportForm, NewProfileForm, TermForm
from forum.web.network.routes import visible_profile_or_404
from forum.web.paging import requested_page

bp = Blueprint("network_admin", __name__, url_prefix="/admin/network")

PER_PAGE = 50


@bp.before_request
def admins_only():
    """Every page here is for admins: a page added later cannot forget the check."""
    return access.refusal(can_manage_network)


@bp.get("")
def index():
    pagination = directory.list_profiles(
        current_user, DirectoryFilters(), requested_page(), PER_PAGE
    )
    return render_template(
        "network/admin_index.html", pagination=pagination, delete_form=ConfirmForm()
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewProfileForm()
    if form.validate_on_submit():
        try:
            profile = directory.add_to_directory(
                current_user, form.picked_id(), form.organisation_draft(), form.profile_draft()
            )
        except RuleViolation as error:
            db.session.rollback()
            form.show_error(error)
        else:
            flash(_("%(name)s is in the directory.", name=profile.organisation.name), "success")
            return redirect(url_for("network.show", profile_id=profile.id))
    status = 422 if request.method == "POST" else 200
    return render_template("network/admin_new.html", form=form), status


@bp.post("/organisations/<int:profile_id>/delete")
def delete(profile_id: int):
    profile = visible_profile_or_404(profile_id)
    if ConfirmForm().validate_on_submit():
        name = profile.organisation.name
        directory.delete_profile(current_user, profile)
        flash(_("%(name)s is no longer in the directory.", name=name), "success")
    return redirect(url_for(".index"))


@bp.route("/import", methods=["GET", "POST"])
@accepts_uploads
def import_file():
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        try:
            report = network_import.import_csv(
                form.file.content,
                current_user,
                dry_run=bool(form.dry_run.data),
                source=form.file.data.filename,
            )
        except network_import.ImportFileError as error:
            attach_error(form.file, error.message)
    status = 422 if request.method == "POST" and report is None else 200
    return render_template("network/import.html", form=form, report=report), status


def _vocabulary_or_404(value: str) -> Vocabulary:
    if value not in set(Vocabulary):
        abort(404)
    return Vocabulary(value)


def _vocabulary_page(forms: dict[Vocabulary, TermForm], status: int = 200):
    return render_template(
        "network/vocabulary.html",
        vocabularies={
            vocabulary: network_vocabulary.terms(vocabulary) for vocabulary in Vocabulary
        },
        forms=forms,
    ), status


@bp.get("/vocabulary")
def vocabulary():
    return _vocabulary_page(
        {vocabulary: TermForm(prefix=vocabulary.value, formdata=None) for vocabulary in Vocabulary}
    )


@bp.post("/vocabulary/<vocabulary>/add")
def add_term(vocabulary: str):
    vocabulary = _vocabulary_or_404(vocabulary)
    # The other vocabulary's form is shown empty beside the one sent back.
    forms = {other: TermForm(prefix=other.value, formdata=None) for other in Vocabulary}
    form = forms[vocabulary] = TermForm(prefix=vocabulary.value)
    if form.validate_on_submit():
        try:
            term = network_vocabulary.add_term(
                current_user, vocabulary, form.name_en.data, form.name_it.data
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "name_en"), error.message)
        else:
            flash(_("“%(name)s” is added.", name=term.name_en), "success")
            return redirect(url_for(".vocabulary"))
    return _vocabulary_page(forms, 422)


@bp.route("/vocabulary/<vocabulary>/<int:term_id>", methods=["GET", "POST"])
def rename_term(vocabulary: str, term_id: int):
    vocabulary = _vocabulary_or_404(vocabulary)
    term = network_vocabulary.get_term(vocabulary, bounded_id_or_404(term_id))
    if term is None:
        abort(404)
    form = TermForm(data={"name_en": term.name_en, "name_it": term.name_it})
    if form.validate_on_submit():
        try:
            network_vocabulary.rename_term(
                current_user, vocabulary, term, form.name_en.data, form.name_it.data
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "name_en"), error.message)
        else:
            flash(_("The term is renamed."), "success")
            return redirect(url_for(".vocabulary"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "network/rename_term.html", form=form, term=term, vocabulary=vocabulary
    ), status
