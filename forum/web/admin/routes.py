"""The centre's administration: the e-mail outbox and the audit log (admins only)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.extensions import db
from forum.models import OutboxMessage, OutboxStatus
from forum.services import accounts, audit, outbox, password_reset
from forum.services.audit import AuditFilters
from forum.services.errors import RuleViolation
from forum.web.admin.forms import AuditFilterForm, ConfirmForm
from forum.web.forms_support import attach_error

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50
# A larger page number would overflow SQLite's integers in OFFSET; no log is that long.
MAX_PAGE = 1_000_000


@bp.before_request
def _admins_only():
    """Visitors are sent to log in; signed-in people who are not admins get 403."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


def _page() -> int:
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


@bp.get("", endpoint="index")
def index():
    return redirect(url_for(".outbox"))


@bp.get("/outbox", endpoint="outbox")
def outbox_list():
    status_value = request.args.get("status") or None
    status = OutboxStatus(status_value) if status_value in set(OutboxStatus) else None
    return render_template(
        "admin/outbox.html",
        pagination=outbox.list_messages(status, page=_page(), per_page=PER_PAGE),
        summary=outbox.outbox_summary(),
        status=status,
        statuses=list(OutboxStatus),
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    # A password-reset link in a queued message would let an admin take over the
    # account: the page shows the message with the link's token hidden.
    return render_template("admin/outbox_message.html", message=message,
                           body=password_reset.hide_reset_tokens(message.body),
                           confirm_form=ConfirmForm())


@bp.post("/outbox/<int:message_id>/requeue")
def outbox_requeue(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    try:  # CSRFProtect has checked the token before the view runs
        outbox.requeue(message)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(_("The message to %(recipient)s is queued again.",
                recipient=message.recipient), "success")
    return redirect(url_for(".outbox_message", message_id=message_id))


@bp.get("/audit", endpoint="audit")
def audit_log():
    form = AuditFilterForm(formdata=request.args)
    pagination = None
    if form.validate():
        filters = _audit_filters(form)
        if filters is not None:
            pagination = audit.search(filters, page=_page(), per_page=PER_PAGE)
    status = 200 if pagination is not None else 400
    return render_template("admin/audit.html", form=form, pagination=pagination), status


def _audit_filters(form: AuditFilterForm) -> AuditFilters | None:
    """The service's filters, or None with an error beside the field at fault."""
    actor = form.actor_id_or_email()
    if isinstance(actor, str):
        user = accounts.find_user_by_email(actor)
        if user is None:
            attach_error(form.actor, _("No account has this e-mail address."))
            return None
        actor = user.id
    return AuditFilters(
        action=form.action.data,
        actor_id=actor,
        question_id=form.question.data,
        since=form.since.data,
        until=form.until.data,
    )
