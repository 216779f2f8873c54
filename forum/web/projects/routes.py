"""Funded projects: /projects (those the reader may open), a project's page with its
questions, referrals and counselling sessions, registering and editing (admins) and
recording a session (experts and admins).

A project the reader may not open is a 404, as a confidential question is: the
beneficiaries' names stay among the people concerned. Editing and recording a session
are refused (403) to those without the right before any project is looked up, so that
answer is the same for every project id and tells nothing either.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import calendar
from forum.extensions import db
from forum.permissions import (
    can_manage_projects,
    can_record_counselling,
    can_see_counselling_notes,
)
from forum.services import projects
from forum.services.errors import RuleViolation
from forum.services.projects import ProjectDraft, SessionDraft
from forum.web.access import requires
from forum.web.forms import attach_error
from forum.web.lookups import bounded_id_or_404
from forum.web.projects.forms import ProjectForm, SessionForm

bp = Blueprint("projects", __name__, url_prefix="/projects")


def _project_or_404(project_id: int):
    project = projects.find_project(current_user, bounded_id_or_404(project_id))
    if project is None:
        abort(404)
    return project


@bp.app_template_global("project_of_question")
def project_of_question(question):
    """The question's project for the question page, if the reader may open it (one query,
    none for a question without a project)."""
    if question.project_id is None or not current_user.is_authenticated:
        return None
    return projects.find_project(current_user, question.project_id)


@bp.get("")
@login_required
def index():
    return render_template("projects/index.html", listings=projects.list_projects(current_user))


def _draft(form: ProjectForm) -> ProjectDraft:
    return ProjectDraft(
        title=form.title.data or "",
        programme=form.programme.data or "",
        axis=form.axis.data or "",
        call=form.call.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        clinical_aims=form.clinical_aims.data or "",
        beneficiary_ids=form.beneficiaries.data or (),
    )


def _save(form: ProjectForm, project=None):
    """Register or update from a valid form; the project, or None with the error shown."""
    try:
        if project is None:
            return projects.register(current_user, _draft(form))
        return projects.update(project, current_user, _draft(form))
    except RuleViolation as error:
        db.session.rollback()
        attach_error(getattr(form, error.field or "title"), error.message)
        return None


@bp.route("/new", methods=["GET", "POST"])
@requires(can_manage_projects)
def new():
    form = ProjectForm()
    form.set_beneficiary_choices(projects.organisation_choices())
    if form.validate_on_submit():
        project = _save(form)
        if project is not None:
            flash(_("The project is registered."), "success")
            return redirect(url_for(".show", project_id=project.id))
    status = 422 if request.method == "POST" else 200
    return render_template("projects/edit.html", form=form, project=None), status


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@requires(can_manage_projects)
def edit(project_id: int):
    project = _project_or_404(project_id)
    form = ProjectForm(obj=project if request.method == "GET" else None)
    form.set_beneficiary_choices(projects.organisation_choices())
    if request.method == "GET":
        form.beneficiaries.data = [organisation.id for organisation in project.beneficiaries]
    if form.validate_on_submit():
        if _save(form, project) is not None:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".show", project_id=project_id))
    status = 422 if request.method == "POST" else 200
    return render_template("projects/edit.html", form=form, project=project), status


def _render_project(project_id: int, session_form: SessionForm | None = None, status: int = 200):
    page = projects.load_project_page(current_user, bounded_id_or_404(project_id))
    if page is None:
        abort(404)
    if session_form is None and can_record_counselling(current_user):
        session_form = SessionForm(formdata=None, held_on=calendar.today())
    if session_form is not None:
        session_form.set_expert_choices(projects.expert_choices())
    return render_template(
        "projects/show.html",
        page=page,
        project=page.project,
        session_form=session_form,
        shows_notes=can_see_counselling_notes(current_user),
        may_edit=can_manage_projects(current_user),
    ), status


@bp.get("/<int:project_id>")
@login_required
def show(project_id: int):
    return _render_project(project_id)


@bp.post("/<int:project_id>/sessions")
@requires(can_record_counselling)
def record_session(project_id: int):
    project = _project_or_404(project_id)
    form = SessionForm()
    form.set_expert_choices(projects.expert_choices())
    if form.validate_on_submit():
        try:
            projects.record_session(
                project,
                current_user,
                SessionDraft(
                    held_on=form.held_on.data,
                    expert_ids=form.experts.data or (),
                    notes=form.notes.data or "",
                    actions=form.actions.data or "",
                ),
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "actions"), error.message)
        else:
            flash(_("The counselling session is recorded."), "success")
            return redirect(url_for(".show", project_id=project_id, _anchor="sessions"))
    return _render_project(project_id, session_form=form, status=422)
