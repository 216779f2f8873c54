"""The Lombardy-Limburg network's directory for its readers: /network (the directory and its
filters), an organisation's profile, its edit page, and "My organisation's profile".

Who sees and edits what is ``forum/network_access.py``'s; an unlisted profile a reader may
not see is a 404, as an unknown id (it does not reveal that it exists).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import db
from forum.network_access import can_create_own_profile, can_edit_profile
from forum.services import network_directory as directory
from forum.services.errors import RuleViolation
from forum.web.lookups import bounded_id_or_404
from forum.web.network.forms import DirectoryFilterForm, ProfileFieldsForm
from forum.web.paging import requested_page

bp = Blueprint("network", __name__)

PER_PAGE = 24


def visible_profile_or_404(profile_id: int):
    profile = directory.get_profile(current_user, bounded_id_or_404(profile_id))
    if profile is None:
        abort(404)
    return profile


@bp.get("/network")
def index():
    form = DirectoryFilterForm(formdata=request.args)
    if not form.validate():
        return render_template("network/index.html", form=form, pagination=None), 400
    pagination = directory.list_profiles(current_user, form.filters(), requested_page(), PER_PAGE)
    return render_template("network/index.html", form=form, pagination=pagination)


@bp.get("/network/organisations/<int:profile_id>")
def show(profile_id: int):
    return render_template("network/show.html", profile=visible_profile_or_404(profile_id))


@bp.route("/network/organisations/<int:profile_id>/edit", methods=["GET", "POST"])
@login_required
def edit(profile_id: int):
    profile = visible_profile_or_404(profile_id)
    if not can_edit_profile(current_user, profile):
        abort(403)
    form = ProfileFieldsForm()
    if request.method == "GET":
        form.show_profile(directory.draft_of(profile))
    elif form.validate_on_submit():
        try:
            directory.update_profile(current_user, profile, form.profile_draft())
        except RuleViolation as error:
            db.session.rollback()
            form.show_profile_error(error)
        else:
            flash(_("The profile of %(name)s is saved.", name=profile.organisation.name), "success")
            return redirect(url_for(".show", profile_id=profile.id))
    status = 422 if request.method == "POST" else 200
    return render_template("network/edit.html", form=form, profile=profile), status


@bp.route("/network/my-organisation", methods=["GET", "POST"])
@login_required
def my_organisation():
    """The reader's organisation's profile; the form to create it when it has none."""
    organisation = current_user.organisation
    profile = directory.profile_of(organisation)
    if profile is not None:
        return redirect(url_for(".show", profile_id=profile.id))
    if not can_create_own_profile(current_user, organisation):
        return render_template("network/no_organisation.html")
    form = ProfileFieldsForm()
    if form.validate_on_submit():
        try:
            profile = directory.create_profile(current_user, organisation, form.profile_draft())
        except RuleViolation as error:
            db.session.rollback()
            form.show_profile_error(error)
        else:
            flash(_("%(name)s is in the directory.", name=organisation.name), "success")
            return redirect(url_for(".show", profile_id=profile.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "network/edit.html", form=form, profile=None, organisation=organisation
    ), status
