"""The network's visits: /network/visits (upcoming and past), a visit's page with the
register-interest form, and the admins' pages to add and edit a visit and export who
registered interest. Not cached: a visit's page carries each reader's own form.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import calendar
from forum.extensions import db
from forum.network_access import (
    can_manage_network,
    can_register_interest,
    can_see_profile,
    can_see_visit_interests,
    can_see_visit_notes,
)
from forum.services import study_visits
from forum.services.errors import RuleViolation
from forum.web.access import requires
from forum.web.forms import ConfirmForm, attach_error
from forum.web.lookups import bounded_id_or_404
from forum.web.study_visits.forms import InterestForm, VisitForm

bp = Blueprint("study_visits", __name__)


def _visit_or_404(visit_id: int):
    visit = study_visits.get_visit(bounded_id_or_404(visit_id))
    if visit is None:
        abort(404)
    return visit


@bp.get("/network/visits")
def index():
    return render_template(
        "study_visits/index.html",
        visits=study_visits.list_visits(calendar.today()),
        visible_participants=study_visits.visible_participants,
    )


def _show(visit_id: int, form: InterestForm | None = None, status: int = 200):
    visit = study_visits.load_visit_page(bounded_id_or_404(visit_id))
    if visit is None:
        abort(404)
    host = (
        visit.host if visit.host is not None and can_see_profile(current_user, visit.host) else None
    )
    return render_template(
        "study_visits/show.html",
        visit=visit,
        host=host,
        participants=study_visits.visible_participants(current_user, visit),
        show_notes=can_see_visit_notes(current_user),
        show_interests=can_see_visit_interests(current_user),
        may_manage=can_manage_network(current_user),
        may_register=can_register_interest(current_user),
        refusal=study_visits.registration_refusal(visit),
        mine=study_visits.interest_of(current_user, visit),
        form=form or InterestForm(),
        confirm_form=ConfirmForm(),
    ), status


@bp.get("/network/visits/<int:visit_id>")
def show(visit_id: int):
    return _show(visit_id)


@bp.post("/network/visits/<int:visit_id>/interest")
@login_required
def register(visit_id: int):
    visit = _visit_or_404(visit_id)
    form = InterestForm()
    if form.validate_on_submit():
        try:
            study_visits.register_interest(current_user, visit, form.note.data or "")
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form.note, error.message)
        else:
            flash(_("Your interest is registered: the organisers will be in touch."), "success")
            return redirect(url_for(".show", visit_id=visit_id), 303)
    return _show(visit_id, form, 422)


@bp.post("/network/visits/<int:visit_id>/interest/withdraw")
@login_required
def withdraw(visit_id: int):
    visit = _visit_or_404(visit_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if study_visits.withdraw_interest(current_user, visit):
        flash(_("Your interest is withdrawn."), "success")
    else:
        flash(_("You had not registered your interest in this visit."), "info")
    return redirect(url_for(".show", visit_id=visit_id), 303)


def _edit_page(form: VisitForm, visit, status: int):
    return render_template("study_visits/edit.html", form=form, visit=visit), status


@bp.route("/admin/network/visits/new", methods=["GET", "POST"])
@requires(can_manage_network)
def new():
    form = VisitForm(data={"registration_open": True} if request.method == "GET" else None)
    form.set_profile_choices(study_visits.profile_choices())
    if form.validate_on_submit():
        try:
            visit = study_visits.create_visit(current_user, form.draft())
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "title"), error.message)
        else:
            flash(_("The visit “%(title)s” is recorded.", title=visit.title), "success")
            return redirect(url_for(".show", visit_id=visit.id), 303)
    return _edit_page(form, None, 422 if request.method == "POST" else 200)


@bp.route("/admin/network/visits/<int:visit_id>/edit", methods=["GET", "POST"])
@requires(can_manage_network)
def edit(visit_id: int):
    visit = _visit_or_404(visit_id)
    form = VisitForm()
    form.set_profile_choices(study_visits.profile_choices())
    if request.method == "GET":
        form.show_visit(visit)
    elif form.validate_on_submit():
        try:
            study_visits.update_visit(current_user, visit, form.draft())
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "title"), error.message)
            visit = _visit_or_404(visit_id)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".show", visit_id=visit.id), 303)
    return _edit_page(form, visit, 422 if request.method == "POST" else 200)


@bp.get("/admin/network/visits/<int:visit_id>/interest.csv")
@requires(can_manage_network)
def interest_csv(visit_id: int):
    visit = _visit_or_404(visit_id)
    name = f"visit-{visit.id}-interest.csv"
    return Response(
        study_visits.interests_csv(current_user, visit),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
