"""Flagging a text (any signed-in reader) and the moderators' pages (/admin/moderation)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum.extensions import db
from forum.models import Stance
from forum.permissions import can_flag, can_see_board_workspace
from forum.services import moderation, moderation_queue
from forum.services.errors import RuleViolation
from forum.services.moderation import Action
from forum.slugs import slugify
from forum.web import access
from forum.web.forms import attach_error
from forum.web.infra import rate_limits
from forum.web.moderation.forms import FlagForm, ModerationForm
from forum.web.paging import requested_page

bp = Blueprint("moderation", __name__)
admin_bp = Blueprint("moderation_admin", __name__, url_prefix="/admin/moderation")
admin_bp.before_request(access.admins_only)

TEXT_KIND = "<any(question, answer, comment, stance):kind>/<int:text_id>"

ACTION_LABELS = {
    Action.HIDE: _l("Hide"),
    Action.RESTORE: _l("Restore"),
    Action.REMOVE: _l("Remove for good"),
    Action.SPAM: _l("Mark as spam"),
    Action.APPROVE: _l("Approve"),
    Action.LOCK: _l("Lock the question"),
    Action.UNLOCK: _l("Unlock the question"),
}


def _text_or_404(kind: str, text_id: int):
    """The text if the current reader may see it and its question, else 404."""
    text = moderation.find_text(kind, text_id)
    if text is None or not moderation.may_read(current_user, text):
        abort(404)
    return text


def _thread_url(text) -> str:
    question = moderation.question_of(text)
    if isinstance(text, Stance) and (
        text.revision_number != text.board_answer.published_number
        or not text.board_answer.is_published
    ):
        # Only the workspace shows a stance on a draft, an amendment or a withdrawn answer.
        if can_see_board_workspace(current_user, question):
            return url_for(
                "board.workspace", board_answer_id=text.board_answer_id, _anchor=f"stance-{text.id}"
            )
    anchor = "" if text is question else f"{moderation.kind_of(text)}-{text.id}"
    return url_for(
        "questions.show",
        question_id=question.id,
        slug=slugify(question.title),
        _anchor=anchor or None,
    )


@bp.route(f"/flags/{TEXT_KIND}", methods=["GET", "POST"])
@login_required
@rate_limits.posting
def flag(kind: str, text_id: int):
    text = _text_or_404(kind, text_id)
    if not can_flag(current_user, text):
        abort(403)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            moderation.flag(current_user, text, form.reason.data, form.note.data or "")
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "reason"), error.message)
        else:
            flash(_("Thank you: the moderators will review it."), "success")
            return redirect(_thread_url(text))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "moderation/flag.html",
        form=form,
        text=text,
        kind=kind,
        question=moderation.question_of(text),
        thread_url=_thread_url(text),
    ), status


@admin_bp.get("", endpoint="queue")
def queue():
    pagination = moderation_queue.queue(requested_page())
    return render_template("moderation/queue.html", pagination=pagination)


@admin_bp.route(f"/{TEXT_KIND}", methods=["GET", "POST"], endpoint="text")
def moderate(kind: str, text_id: int):
    text = moderation.find_text(kind, text_id)
    if text is None:
        abort(404)
    actions = moderation.actions_for(text)
    form = ModerationForm()
    form.action.choices = [(action.value, ACTION_LABELS[action]) for action in actions]
    if form.validate_on_submit():
        try:
            moderation.act(current_user, text, Action(form.action.data), form.reason.data)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "reason"), error.message)
        else:
            flash(_("Done. The author is told, with your reason."), "success")
            return redirect(url_for(".queue"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "moderation/text.html",
        form=form,
        text=text,
        kind=kind,
        question=moderation.question_of(text),
        flags=moderation_queue.flags_on(text),
        thread_url=_thread_url(text),
    ), status
