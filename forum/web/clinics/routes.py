"""The clinic directory and referrals of questions to clinics.

/clinics is the directory (everyone; the contact for experts and admins only)
and its admin pages; /questions/<id>/refer is an expert's referral;
/facilitations lists referrals (every one for experts and admins, a member's
own questions' otherwise); a referral's own page and the clinic's link are in
``referral_routes``.

Also gives templates ``referrals_for_question(question)`` (the question page's
referrals for the current user, two queries at most) and the permission
functions the pages ask.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import calendar
from forum.content_language import reader_language
from forum.extensions import db
from forum.permissions import (
    can_list_all_referrals,
    can_manage_clinics,
    can_refer,
)
from forum.services import clinics, facilitations, label_translations, projects, referral_reading
from forum.services.clinics import ClinicDraft, ClinicFilters
from forum.services.errors import RuleViolation
from forum.web.access import requires
from forum.web.clinics.forms import ClinicForm, ReferForm, ReferralFilterForm
from forum.web.forms import ConfirmForm, attach_error, set_project_choices
from forum.web.lookups import bounded_id_or_404, question_url, visible_question_or_404
from forum.web.paging import requested_page

bp = Blueprint("clinics", __name__)

PER_PAGE = 20
REFERRALS_PER_PAGE = 50
MAX_QUERY_LENGTH = 200


@bp.app_template_global("referrals_for_question")
def referrals_for_question(question):
    return referral_reading.referrals_for_question(current_user, question)


@bp.app_template_filter("entries")
def entries(text: str) -> list[str]:
    """A stored "a; b; c" list as its entries."""
    return clinics.split_list(text)


def _clinic_or_404(clinic_id: int):
    clinic = clinics.get_clinic(current_user, bounded_id_or_404(clinic_id))
    if clinic is None:
        abort(404)
    return clinic


# --- the directory -------------------------------------------------------------------


@bp.get("/clinics")
def index():
    filters = ClinicFilters(
        query=(request.args.get("q") or "").strip()[:MAX_QUERY_LENGTH],
        city=request.args.get("city") or None,
        specialty=request.args.get("specialty") or None,
        device_studies_only=request.args.get("device") == "1",
    )
    italian = label_translations.names_for(reader_language())
    return render_template(
        "clinics/index.html",
        pagination=clinics.list_clinics(
            current_user, filters, page=requested_page(), per_page=PER_PAGE, italian=italian
        ),
        filters=filters,
        cities=clinics.cities(current_user),
        specialties=clinics.specialties(current_user),
        italian=italian,
    )


@bp.get("/clinics/<int:clinic_id>")
def show(clinic_id: int):
    clinic = _clinic_or_404(clinic_id)
    return render_template(
        "clinics/show.html",
        clinic=clinic,
        referrals=referral_reading.referrals_for_clinic(current_user, clinic),
        italian=label_translations.names_for(reader_language()),
        confirm_form=ConfirmForm(),
    )


def _draft(form: ClinicForm) -> ClinicDraft:
    return ClinicDraft(
        name=form.name.data or "",
        city=form.city.data or "",
        specialties=form.specialties.data or "",
        populations=form.populations.data or "",
        hosts_device_studies=bool(form.hosts_device_studies.data),
        description=form.description.data or "",
        description_it=form.description_it.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
    )


@bp.route("/clinics/new", methods=["GET", "POST"])
@requires(can_manage_clinics)
def new():
    form = ClinicForm(data={"hosts_device_studies": True})
    if form.validate_on_submit():
        try:
            clinic = clinics.create_clinic(current_user, _draft(form))
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "name"), error.message)
        else:
            flash(_("%(name)s is added to the directory.", name=clinic.name), "success")
            return redirect(url_for(".show", clinic_id=clinic.id))
    status = 422 if request.method == "POST" else 200
    return render_template("clinics/edit.html", form=form, clinic=None), status


@bp.route("/clinics/<int:clinic_id>/edit", methods=["GET", "POST"])
@requires(can_manage_clinics)
def edit(clinic_id: int):
    clinic = _clinic_or_404(clinic_id)
    if request.method == "GET":
        form = ClinicForm(obj=clinic)
        form.specialties.data = "\n".join(clinics.split_list(clinic.specialties))
        form.populations.data = "\n".join(clinics.split_list(clinic.populations))
    else:
        form = ClinicForm()
    if form.validate_on_submit():
        try:
            clinics.update_clinic(clinic, current_user, _draft(form))
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "name"), error.message)
            clinic = _clinic_or_404(clinic_id)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".show", clinic_id=clinic.id))
    status = 422 if request.method == "POST" else 200
    return render_template("clinics/edit.html", form=form, clinic=clinic), status


def _set_active(clinic_id: int, active: bool):
    clinic = _clinic_or_404(clinic_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if active:
        clinics.reactivate(clinic, current_user)
        flash(_("%(name)s is back in the directory.", name=clinic.name), "success")
    else:
        clinics.deactivate(clinic, current_user)
        flash(
            _(
                "%(name)s is deactivated: it is no longer listed nor offered for referrals; "
                "its referrals are kept.",
                name=clinic.name,
            ),
            "success",
        )
    return redirect(url_for(".show", clinic_id=clinic.id))


@bp.post("/clinics/<int:clinic_id>/deactivate")
@requires(can_manage_clinics)
def deactivate(clinic_id: int):
    return _set_active(clinic_id, active=False)


@bp.post("/clinics/<int:clinic_id>/reactivate")
@requires(can_manage_clinics)
def reactivate(clinic_id: int):
    return _set_active(clinic_id, active=True)


# --- referrals ---------------------------------------------------------------------


@bp.route("/questions/<int:question_id>/refer", methods=["GET", "POST"])
@login_required
def refer(question_id: int):
    question = visible_question_or_404(question_id)
    if not can_refer(current_user, question):
        abort(403)
    form = ReferForm()
    suggestions = clinics.suggest_for_question(question)
    if request.method == "GET":
        form.occurred_on.data = calendar.today()
        form.project.data = question.project_id
        if suggestions:
            form.clinic.data = suggestions[0].clinic.id
    form.set_clinic_choices(clinics.referral_choices())
    set_project_choices(form.project, projects.choices_for_question(question))
    if form.validate_on_submit():
        clinic = clinics.get_clinic(current_user, form.clinic.data)
        if clinic is None:
            attach_error(form.clinic, _("Choose a clinic from the list."))
        else:
            try:
                facilitation = facilitations.refer(
                    question,
                    clinic,
                    current_user,
                    form.note.data or "",
                    on=form.occurred_on.data,
                    project_id=form.project.data,
                )
            except RuleViolation as error:
                db.session.rollback()
                attach_error(getattr(form, error.field or "clinic"), error.message)
            else:
                flash(_("The question is referred to %(name)s.", name=clinic.name), "success")
                return redirect(url_for(".referral", facilitation_id=facilitation.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "clinics/refer.html",
        form=form,
        question=question,
        question_url=question_url(question),
        suggestions=suggestions,
    ), status


@bp.get("/facilitations")
@login_required
def referrals():
    """Every referral for experts and admins (filtered by status); a member's own otherwise."""
    if not can_list_all_referrals(current_user):
        return render_template(
            "clinics/referrals.html",
            form=None,
            pagination=None,
            mine=referral_reading.referrals_for_member(current_user),
        )
    form = ReferralFilterForm(formdata=request.args)
    if not form.validate():
        return render_template("clinics/referrals.html", form=form, pagination=None, mine=None), 400
    pagination = referral_reading.all_referrals(
        current_user, form.status.data, page=requested_page(), per_page=REFERRALS_PER_PAGE
    )
    return render_template("clinics/referrals.html", form=form, pagination=pagination, mine=None)
