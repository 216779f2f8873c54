"""Personal API tokens at /account/tokens: list, create (the secret shown once), revoke.

Signed-in users only, each seeing and revoking only their own tokens. The page
that shows a new secret is never cached nor redirected to: the secret exists
only in that one response.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.services.accounts import api_tokens
from forum.services.errors import RuleViolation
from forum.web.forms import ConfirmForm, attach_error
from forum.web.tokens.forms import CreateTokenForm

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


@bp.before_request
@login_required
def _signed_in_only():
    return None


def _render_list(form: CreateTokenForm, status: int = 200):
    return render_template(
        "tokens/index.html",
        tokens=api_tokens.list_tokens(current_user),
        form=form,
        confirm_form=ConfirmForm(),
    ), status


@bp.get("")
def index():
    return _render_list(CreateTokenForm(formdata=None))


@bp.post("")
def create():
    form = CreateTokenForm()
    if form.validate_on_submit():
        try:
            created = api_tokens.create(
                current_user,
                form.name.data,
                lifetime_days=form.lifetime_days,
                read_only=form.read_only,
            )
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "name"), error.message)
        else:
            response = make_response(
                render_template("tokens/created.html", token=created.token, secret=created.secret)
            )
            # The secret is in this page only: no cache, proxy or back button keeps it.
            response.headers["Cache-Control"] = "no-store"
            return response
    return _render_list(form, status=422)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    token = api_tokens.get_own_token(current_user, token_id)
    if token is None:
        abort(404)
    api_tokens.revoke(token, current_user)
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for(".index"))
