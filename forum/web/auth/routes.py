"""Logging in and out, and registering as a member."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forum.services import accounts, centre_pages
from forum.services.errors import RuleViolation
from forum.web import rate_limits
from forum.web.auth.forms import LoginForm, RegistrationForm
from forum.web.forms_support import attach_error
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
            user = accounts.authenticate(form.email.data, form.password.data)
        except RuleViolation as error:  # a deactivated account
            attach_error(getattr(form, error.field or "email"), error.message)
        else:
            if user is not None:
                login_user(user, remember=form.remember.data)
                flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
                return redirect(safe_next_url(form.next.data) or url_for("main.home"))
            attach_error(form.password, _("The e-mail or the password is not right."))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@rate_limits.register_account
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegistrationForm()
    privacy_version = centre_pages.current_privacy_version()
    if form.validate_on_submit():
        try:
            user = accounts.register_member(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                organisation_name=form.organisation_name.data,
                organisation_kind=form.organisation_kind.data,
                locale=str(get_locale()),  # e-mails follow the language they registered in
                accepted_privacy=form.accept_privacy.data,
                privacy_version=form.privacy_version.data,
            )
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "email"), error.message)
        else:
            login_user(user)
            flash(_("Welcome to the forum, %(name)s.", name=user.display_name), "success")
            return redirect(url_for("main.home"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/register.html", form=form,
                           privacy_version=privacy_version), status
