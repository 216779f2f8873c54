"""Logging in and out, and registering as a member (in two steps: the form, then the
e-mailed link where the password is chosen; forum/services/accounts/registration.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.services import centre_pages
from forum.services.accounts import credentials, registration
from forum.services.accounts.password_reset import TokenProblem
from forum.services.accounts.registration import PendingRegistration, RegistrationLinkError
from forum.services.errors import RuleViolation
from forum.web.auth.forms import FinishRegistrationForm, LoginForm, RegistrationForm
from forum.web.auth.sessions import sign_in, sign_out_everywhere
from forum.web.forms import attach_error
from forum.web.infra import rate_limits
from forum.web.redirects import safe_next_url

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@rate_limits.login
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        try:
            user = credentials.authenticate(form.email.data, form.password.data)
        except RuleViolation as error:  # a deactivated account
            attach_error(getattr(form, error.field or "email"), error.message)
        else:
            if user is not None:
                sign_in(user, remember=form.remember.data)
                flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
                return redirect(safe_next_url(form.next.data) or url_for("main.home"))
            attach_error(form.password, _("The e-mail or the password is not right."))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    # Ends the session on the server, not only in this browser: a copied session or
    # remember-me cookie must not outlive the logout (docs/security.md, issue 20).
    sign_out_everywhere(current_user._get_current_object())
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@rate_limits.register_account
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegistrationForm()
    if form.validate_on_submit():
        picked = form.picked_id()
        draft = form.organisation_draft()
        try:
            if picked is None and not draft.name.strip():
                raise RuleViolation(
                    _("Pick your organisation from the list, or give the name of a new one."),
                    field="name",
                )
            registration.request_registration(
                PendingRegistration(
                    email=form.email.data,
                    display_name=form.display_name.data,
                    organisation_name=draft.name,
                    organisation_kind=draft.kind,
                    locale=str(get_locale()),  # e-mails follow the language they registered in
                    organisation_id=picked,
                    country=draft.country,
                    province=draft.province,
                    region=draft.region,
                    tax_code=draft.tax_code,
                    website=draft.website,
                )
            )
        except RuleViolation as error:
            form.show_error(error)
        else:
            # The same page whether or not the address has an account (no user enumeration).
            return render_template("auth/register_sent.html", email=form.email.data)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/register/finish/<token>", methods=["GET", "POST"])
@rate_limits.register_account
def finish_registration(token: str):
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    try:
        pending = registration.pending_for_token(token)
    except RegistrationLinkError as error:
        return _unusable_link(error.problem)
    form = FinishRegistrationForm()
    if form.validate_on_submit():
        try:
            user = registration.finish(
                token,
                form.password.data,
                accepted_privacy=form.accept_privacy.data,
                privacy_version=form.privacy_version.data,
            )
        except RegistrationLinkError as error:  # finished in another tab meanwhile
            return _unusable_link(error.problem)
        except RuleViolation as error:  # a weak password, or the privacy notice not accepted
            attach_error(getattr(form, error.field or "password"), error.message)
        else:
            sign_in(user)
            flash(_("Welcome to the forum, %(name)s.", name=user.display_name), "success")
            return redirect(url_for("main.home"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "auth/register_finish.html",
        form=form,
        pending=pending,
        token=token,
        privacy_version=centre_pages.current_privacy_version(),
    ), status


def _unusable_link(problem: TokenProblem):
    messages = {
        TokenProblem.EXPIRED: (
            _("This link has expired"),
            _("Registration links work for a limited time. Register again to get a new one."),
        ),
        TokenProblem.USED: (
            _("This account exists already"),
            _(
                "The account for this address has been made. Log in, or choose a new password "
                "if you do not know it."
            ),
        ),
        TokenProblem.INVALID: (
            _("This link is not valid"),
            _(
                "The link is incomplete or was changed. Copy the whole link from the e-mail, "
                "or register again."
            ),
        ),
    }
    title, message = messages[problem]
    return render_template(
        "auth/registration_unusable.html", title=title, message=message, problem=problem.value
    ), 400
