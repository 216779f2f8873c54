"""Law-aware review: the texts due for review after a change of the law they cite.

The experts (who wrote the answers) and the admins read the due list, each
item only if they may open its question; admins record a change and mark a
text reviewed. Visitors are sent to log in, members get 403.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.permissions import can_curate, can_see_law_reviews
from forum.services import law_changes
from forum.services.errors import RuleViolation
from forum.web.access import requires
from forum.web.forms import ConfirmForm, attach_error

from .forms import LawChangeForm

bp = Blueprint("law_changes", __name__, url_prefix="/law-changes")


@bp.route("", methods=["GET", "POST"])
@requires(can_see_law_reviews)
def index():
    curator = can_curate(current_user)
    if request.method == "POST" and not curator:
        abort(403)
    form = LawChangeForm() if curator else None
    if form is not None:
        form.clause.choices = [("", _("Choose a cited document or clause"))] + [
            (item.slug, f"{item.clause} ({item.count})")
            for item in law_changes.cited_clauses(current_user)
        ]
    if form is not None and form.validate_on_submit():
        try:
            change, flagged = law_changes.record_change(
                current_user, form.clause.data, form.description.data, form.changed_on.data
            )
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "clause", form.clause), error.message)
        else:
            flash(
                _(
                    "Recorded: %(count)d texts citing %(clause)s are due for review.",
                    count=flagged,
                    clause=change.clause,
                ),
                "success",
            )
            return redirect(url_for(".index"))
    return render_template(
        "law_changes/index.html",
        form=form,
        curator=curator,
        due=law_changes.due_for_review(current_user),
        changes=law_changes.recent_changes(),
        confirm_form=ConfirmForm() if curator else None,
    ), 422 if request.method == "POST" else 200


@bp.post("/flags/<int:flag_id>/reviewed")
@requires(can_curate)
def reviewed(flag_id: int):
    flag = law_changes.visible_flag(current_user, flag_id)
    if flag is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        law_changes.mark_reviewed(flag, current_user)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(_("Marked reviewed: its notice is gone."), "success")
    return redirect(url_for(".index"))
