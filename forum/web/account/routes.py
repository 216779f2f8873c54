"""The signed-in person's account (/account): overview, password, data download, deletion;
and the forgotten-password pages for those who cannot sign in (/password/...)."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from forum.services.accounts import (
    credentials,
    data_export,
    deletion,
    password_reset,
    profile,
)
from forum.services.accounts.password_reset import ResetTokenError, TokenProblem
from forum.services.accounts.profile import EmailLinkError, LinkForAnotherAccount, ProfileDraft
from forum.services.errors import RuleViolation
from forum.services.mail import digests
from forum.web.account.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    EmailChangeForm,
    EmailFrequencyForm,
    ForgotPasswordForm,
    ProfileForm,
    ResetPasswordForm,
)
from forum.web.auth import sessions as browser_sessions
from forum.web.forms import ConfirmForm, attach_error
from forum.web.infra import rate_limits

bp = Blueprint("account", __name__)


@bp.after_request
def _not_cached(response):
    # Personal details and one-time links: no browser or proxy cache should keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account")
@login_required
def index():
    return _render_index(EmailFrequencyForm(frequency=current_user.email_frequency))


@bp.post("/account/email-frequency")
@login_required
def email_frequency():
    form = EmailFrequencyForm()
    if not form.validate_on_submit():
        return _render_index(form), 422
    digests.set_email_frequency(current_user._get_current_object(), form.frequency.data)
    flash(_("Your choice of e-mails is saved."), "success")
    return redirect(url_for(".index"))


def _render_index(frequency_form: EmailFrequencyForm) -> str:
    return render_template(
        "account/index.html",
        user=current_user,
        sign_out_form=ConfirmForm(),
        frequency_form=frequency_form,
    )


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    user = current_user._get_current_object()
    form = ProfileForm()
    if request.method == "GET":
        form.display_name.data = user.display_name
        form.locale.data = user.locale or str(get_locale())
        if user.organisation is not None:
            form.organisation.data = str(user.organisation.id)
            form.organisation_kind.data = user.organisation.kind
    if form.validate_on_submit():
        picked = form.picked_id()
        new_organisation = form.organisation_draft()
        try:
            profile.update_profile(
                user,
                ProfileDraft(
                    display_name=form.display_name.data,
                    locale=form.locale.data,
                    organisation_id=picked,
                    organisation_kind=form.organisation_kind.data,
                    new_organisation=new_organisation
                    if picked is None and new_organisation.name.strip()
                    else None,
                ),
            )
        except RuleViolation as error:
            form.show_error(error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for(".index"))
    status = 422 if request.method == "POST" else 200
    return render_template("account/profile.html", form=form), status


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@rate_limits.password_check
def change_email():
    user = current_user._get_current_object()
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            profile.request_email_change(user, form.email.data, form.password.data)
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "email"), error.message)
        else:
            # The same words whether or not the address has an account (as registration).
            flash(
                _(
                    "We sent a message to %(email)s. Open the link in it to confirm the new "
                    "address; until then your account keeps %(current)s. If that address "
                    "already has an account, the message says so instead and nothing changes.",
                    email=credentials.normalise_email(form.email.data),
                    current=user.email,
                ),
                "info",
            )
            return redirect(url_for(".index"))
    status = 422 if request.method == "POST" else 200
    return render_template("account/email.html", form=form, user=user), status


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
@login_required
def confirm_email(token: str):
    # A GET only shows the change: mail scanners open links, and must not make it.
    viewer = current_user._get_current_object()
    try:
        change = profile.change_for_token(token, viewer)
    except EmailLinkError as error:
        return _unusable_email_link(error.problem)
    except LinkForAnotherAccount:
        return render_template(
            "account/link_unusable.html",
            title=_("This link is for another account"),
            message=_(
                "The link confirms a new address for another account than the one "
                "signed in here. Log out, log in to the account that asked for it, "
                "and open the link again."
            ),
            problem="other-account",
        ), 403
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            profile.confirm_email_change(token, viewer)
        except EmailLinkError as error:  # used in another tab meanwhile
            return _unusable_email_link(error.problem)
        except RuleViolation as error:
            return render_template(
                "account/link_unusable.html",
                title=_("This address is taken"),
                message=error.message,
                problem="taken",
            ), 409
        flash(
            _(
                "Your e-mail address is now %(email)s. We told your old address.",
                email=change.new_email,
            ),
            "success",
        )
        return redirect(url_for(".index"))
    return render_template("account/email_confirm.html", form=form, change=change, token=token)


def _unusable_email_link(problem: TokenProblem):
    messages = {
        TokenProblem.EXPIRED: (
            _("This link has expired"),
            _(
                "Links confirming a new address work for a limited time. Ask for a new one on "
                "your account page."
            ),
        ),
        TokenProblem.USED: (
            _("This link cannot be used any more"),
            _(
                "It was used already, or a newer link was sent, or your address changed since. "
                "Your account page shows your current address."
            ),
        ),
        TokenProblem.INVALID: (
            _("This link is not valid"),
            _("The link is incomplete or was changed. Copy the whole link from the e-mail."),
        ),
    }
    title, message = messages[problem]
    return render_template(
        "account/link_unusable.html", title=title, message=message, problem=problem.value
    ), 400


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    browser_sessions.sign_out_everywhere(current_user._get_current_object())
    flash(_("You are signed out on every device and browser, this one too."), "info")
    return redirect(url_for("main.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@rate_limits.password_check
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            # The user itself, not the proxy: login_user below stores what it is given.
            changed = credentials.change_password(
                current_user._get_current_object(), form.current_password.data, form.password.data
            )
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "password"), error.message)
        else:
            # The new session token signed out every session, this one too: sign it in
            # again, keeping "remember me" if this browser had it.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            browser_sessions.sign_in(changed.user, remember=remembered in request.cookies)
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            _flash_revoked_tokens(changed)
            return redirect(url_for(".index"))
    status = 422 if request.method == "POST" else 200
    return render_template("account/password.html", form=form), status


@bp.get("/account/export")
@login_required
def export():
    data = data_export.export(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return current_app.response_class(
        body + "\n",
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="ctcc-forum-my-data-{current_user.id}.json"'
        },
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@rate_limits.password_check
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            deletion.delete_account(current_user._get_current_object(), form.password.data)
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "password"), error.message)
        else:
            logout_user()
            flash(_("Your account is deleted. What you wrote stays, under no name."), "info")
            return redirect(url_for("main.home"))
    status = 422 if request.method == "POST" else 200
    return render_template("account/delete.html", form=form), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@rate_limits.password_reset
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_reset(form.email.data, locale=str(get_locale()))
        # The same answer whether or not the address has an account.
        return render_template("account/forgot_sent.html", email=form.email.data)
    status = 422 if request.method == "POST" else 200
    return render_template("account/forgot.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@rate_limits.password_reset
def reset_password(token: str):
    try:
        password_reset.user_for_token(token)
    except ResetTokenError as error:
        return _unusable_link(error.problem)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            changed = password_reset.reset_password(token, form.password.data)
        except ResetTokenError as error:  # used in another tab meanwhile
            return _unusable_link(error.problem)
        except RuleViolation as error:
            attach_error(form.password, error.message)
        else:
            logout_user()  # whoever was signed in here, the new password is what counts
            flash(_("Your password is changed. Log in with it."), "success")
            _flash_revoked_tokens(changed)
            return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("account/reset.html", form=form, token=token), status


def _flash_revoked_tokens(changed: credentials.PasswordChanged) -> None:
    if changed.revoked_tokens:
        flash(credentials.revoked_tokens_sentence(changed.revoked_tokens), "info")


def _unusable_link(problem: TokenProblem):
    messages = {
        TokenProblem.EXPIRED: (
            _("This link has expired"),
            _("Password reset links work for a limited time. Ask for a new one."),
        ),
        TokenProblem.USED: (
            _("This link has been used"),
            _(
                "A reset link works once, and only until the password is changed. "
                "Ask for a new one if you still need it."
            ),
        ),
        TokenProblem.INVALID: (
            _("This link is not valid"),
            _(
                "The link is incomplete or was changed. Copy the whole link from the e-mail, "
                "or ask for a new one."
            ),
        ),
    }
    title, message = messages[problem]
    return render_template(
        "account/reset_unusable.html", title=title, message=message, problem=problem.value
    ), 400
