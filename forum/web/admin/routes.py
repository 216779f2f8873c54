"""The centre's administration (admins only): the index, the accounts, the e-mail outbox
and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.extensions import db
from forum.models import OutboxMessage, OutboxStatus
from forum.services import audit, moderation, referral_links
from forum.services.accounts import credentials, password_reset, profile, registration, user_admin
from forum.services.accounts.user_admin import UserFilters
from forum.services.audit import AuditFilters
from forum.services.errors import RuleViolation
from forum.services.mail import outbox
from forum.web import access
from forum.web.admin.forms import (
    AuditFilterForm,
    UserFilterForm,
    UserRoleForm,
    UserStatusForm,
)
from forum.web.forms import ConfirmForm, attach_error
from forum.web.infra import rate_limits
from forum.web.lookups import bounded_id_or_404
from forum.web.paging import requested_page

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


bp.before_request(access.admins_only)


@bp.get("", endpoint="index")
def index():
    return render_template("admin/index.html", limits_per_worker=rate_limits.counted_per_worker())


# --- accounts ----------------------------------------------------------------------


@bp.get("/users", endpoint="users")
def user_list():
    form = UserFilterForm(formdata=request.args)
    pagination = None
    if form.validate():
        pagination = user_admin.list_users(
            current_user,
            UserFilters(
                query=form.q.data or "",
                role=form.role.data,
                active=form.active_filter(),
            ),
            page=requested_page(),
            per_page=PER_PAGE,
        )
    status = 200 if pagination is not None else 400
    return render_template("admin/users.html", form=form, pagination=pagination), status


def _user_or_404(user_id: int):
    user = user_admin.get_user(current_user, bounded_id_or_404(user_id))
    if user is None:
        abort(404)
    return user


def _user_page(user, role_form, status_form, status: int = 200):
    return render_template(
        "admin/user.html",
        user=user,
        role_form=role_form,
        status_form=status_form,
        history=user_admin.account_history(current_user, user),
        record=moderation.author_record(user),
    ), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"], endpoint="user")
def user_edit(user_id: int):
    user = _user_or_404(user_id)
    role_form = UserRoleForm(obj=user) if request.method == "GET" else UserRoleForm()
    if role_form.validate_on_submit():
        try:
            user_admin.change_role(
                current_user,
                user,
                role_form.role.data,
                role_form.area.data,
                role_form.is_chair.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(role_form, error.field or "role"), error.message)
            user = _user_or_404(user_id)
        else:
            flash(_("The role of %(name)s is saved.", name=user.display_name), "success")
            return redirect(url_for(".user", user_id=user.id))
    status = 422 if request.method == "POST" else 200
    return _user_page(user, role_form, UserStatusForm(formdata=None), status)


def _set_active(user_id: int, active: bool):
    user = _user_or_404(user_id)
    status_form = UserStatusForm()
    if status_form.validate_on_submit():
        try:
            if active:
                user_admin.reactivate(current_user, user, status_form.reason.data)
            else:
                user_admin.deactivate(
                    current_user,
                    user,
                    status_form.reason.data,
                    hide_posts=status_form.hide_posts.data,
                )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(status_form, error.field or "reason"), error.message)
            user = _user_or_404(user_id)
        else:
            if active:
                flash(_("%(name)s can log in again.", name=user.display_name), "success")
            else:
                flash(
                    _(
                        "%(name)s is deactivated: signed out everywhere, API tokens revoked.",
                        name=user.display_name,
                    ),
                    "success",
                )
            return redirect(url_for(".user", user_id=user.id))
    return _user_page(user, UserRoleForm(formdata=None, obj=user), status_form, 422)


@bp.post("/users/<int:user_id>/deactivate", endpoint="user_deactivate")
def user_deactivate(user_id: int):
    return _set_active(user_id, active=False)


@bp.post("/users/<int:user_id>/reactivate", endpoint="user_reactivate")
def user_reactivate(user_id: int):
    return _set_active(user_id, active=True)


@bp.get("/outbox", endpoint="outbox")
def outbox_list():
    status_value = request.args.get("status") or None
    status = OutboxStatus(status_value) if status_value in set(OutboxStatus) else None
    return render_template(
        "admin/outbox.html",
        pagination=outbox.list_messages(status, page=requested_page(), per_page=PER_PAGE),
        summary=outbox.outbox_summary(),
        status=status,
        statuses=list(OutboxStatus),
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    # A password-reset link in a queued message would let an admin take over the
    # account, a registration link make one in someone's name (a new address's link is
    # hidden too, though it needs the account's login as well): the page shows the
    # message with the links' tokens hidden.
    body = profile.hide_email_change_tokens(
        registration.hide_registration_tokens(password_reset.hide_reset_tokens(message.body))
    )
    body = referral_links.hide_link_tokens(body)
    return render_template(
        "admin/outbox_message.html", message=message, body=body, confirm_form=ConfirmForm()
    )


@bp.post("/outbox/<int:message_id>/requeue")
def outbox_requeue(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    try:  # CSRFProtect has checked the token before the view runs
        outbox.requeue(message)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(
            _("The message to %(recipient)s is queued again.", recipient=message.recipient),
            "success",
        )
    return redirect(url_for(".outbox_message", message_id=message_id))


@bp.get("/audit", endpoint="audit")
def audit_log():
    form = AuditFilterForm(formdata=request.args)
    pagination = None
    if form.validate():
        filters = _audit_filters(form)
        if filters is not None:
            pagination = audit.search(filters, page=requested_page(), per_page=PER_PAGE)
    status = 200 if pagination is not None else 400
    return render_template("admin/audit.html", form=form, pagination=pagination), status


def _audit_filters(form: AuditFilterForm) -> AuditFilters | None:
    """The service's filters, or None with an error beside the field at fault."""
    actor = form.actor_id_or_email()
    if isinstance(actor, str):
        user = credentials.find_user_by_email(actor)
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
