"""Routing questions to experts: the dashboard, and inviting an expert to answer."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import db
from forum.models import User
from forum.models.columns import utcnow
from forum.permissions import can_invite, can_see_dashboard
from forum.services import dashboard, invitations
from forum.services.errors import RuleViolation
from forum.slugs import slugify
from forum.web.access import requires
from forum.web.dashboard.forms import InviteForm
from forum.web.forms import attach_error
from forum.web.lookups import visible_question_or_404

bp = Blueprint("dashboard", __name__)


@bp.app_template_filter("waiting_time")
def waiting_time(value: timedelta) -> str:
    """How long something has waited, in the reader's language ("3 days")."""
    return format_timedelta(value, threshold=1)


@bp.get("/dashboard")
@requires(can_see_dashboard)
def index():
    # Both may open it; each role has its own work to see.
    if current_user.is_expert:
        work = dashboard.dashboard(current_user, utcnow())
    else:
        work = dashboard.admin_dashboard(current_user, utcnow())
    return render_template("dashboard/index.html", work=work)


@bp.route("/questions/<int:question_id>/invite", methods=["GET", "POST"])
@login_required
def invite(question_id: int):
    question = visible_question_or_404(question_id)
    if not can_invite(current_user, question):
        abort(403)
    form = InviteForm()
    form.set_expert_choices(invitations.invitable_experts())
    if form.validate_on_submit():
        expert = db.session.get(User, form.expert.data)
        try:
            invitations.invite(question, expert, current_user, form.message.data or "")
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "expert"), error.message)
        else:
            flash(_("%(name)s is invited to answer.", name=expert.display_name), "success")
            return redirect(
                url_for("questions.show", question_id=question.id, slug=slugify(question.title))
            )
    status = 422 if request.method == "POST" else 200
    return render_template("dashboard/invite.html", form=form, question=question), status
