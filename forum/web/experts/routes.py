"""The expert directory, an expert's public profile, and the expert's own profile form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.permissions import can_edit_expert_profile
from forum.services import experts, questions
from forum.services.errors import RuleViolation
from forum.web.access import requires
from forum.web.experts.forms import ExpertProfileForm
from forum.web.forms import attach_error

bp = Blueprint("experts", __name__)


@bp.get("/experts")
def index():
    return render_template("experts/index.html", entries=experts.list_experts())


@bp.get("/experts/<int:user_id>")
def show(user_id: int):
    entry = experts.load_expert(user_id)
    if entry is None:
        abort(404)
    return render_template(
        "experts/show.html",
        entry=entry,
        recent_answers=experts.recent_answers(entry.user, current_user),
        declarations=experts.declaration_history(entry.user),
    )


@bp.route("/profile/expert", methods=["GET", "POST"])
@requires(can_edit_expert_profile)
def edit_profile():
    profile = current_user.expert_profile
    form = ExpertProfileForm(obj=profile if request.method == "GET" else None)
    form.set_topic_choices(questions.all_topics())
    if request.method == "GET":
        form.topics.data = sorted(experts.followed_topic_ids(current_user))
    if form.validate_on_submit():
        try:
            experts.update_profile(
                current_user,
                form.bio.data or "",
                form.conflicts.data or "",
                form.topics.data or [],
                language=form.language.data,
            )
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "topics"), error.message)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for(".show", user_id=current_user.id))
    status = 422 if request.method == "POST" else 200
    return render_template("experts/edit.html", form=form, profile=profile), status
