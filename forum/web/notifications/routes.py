"""The user's notifications, marking them read, and which ones also come by e-mail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.models import NotificationKind
from forum.services.mail import notifications
from forum.web.notifications.forms import EmailSettingsForm, MarkReadForm
from forum.web.paging import requested_page

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

PER_PAGE = 30


@bp.app_context_processor
def _unread_count():
    """``unread_notifications()`` for the header: counted once, only when a page asks."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        if "unread_notifications" not in g:
            g.unread_notifications = notifications.unread_count(current_user)
        return g.unread_notifications

    return {"unread_notifications": unread_notifications}


@bp.get("")
@login_required
def index():
    page = requested_page()
    pagination = notifications.list_for(current_user, page=page, per_page=PER_PAGE)
    return render_template(
        "notifications/index.html", pagination=pagination, mark_form=MarkReadForm(formdata=None)
    )


@bp.post("/read")
@login_required
def mark_read():
    form = MarkReadForm()
    if not form.validate_on_submit():
        abort(400)
    if form.notification_id.data is None:
        notifications.mark_read(current_user)
        flash(_("All your notifications are marked as read."), "success")
    else:
        notifications.mark_read(current_user, [form.notification_id.data])
    return redirect(url_for(".index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = EmailSettingsForm()
    if request.method == "GET":
        opted_out = notifications.email_opt_outs(current_user)
        form.by_email.data = [kind for kind in NotificationKind if kind not in opted_out]
    if form.validate_on_submit():
        wanted = set(form.by_email.data or [])
        notifications.set_email_opt_outs(
            current_user, [kind for kind in NotificationKind if kind not in wanted]
        )
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for(".settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("notifications/settings.html", form=form), status
