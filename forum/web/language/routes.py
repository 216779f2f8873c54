"""Choosing the language of the pages (/language).

Signed-in people post the choice (with the CSRF token every one of their
pages already carries) and it is kept on the account, so later sessions and
e-mails use it. Visitors choose by GET, stored in their session: their pages
carry no form token, so a visitor who never chooses never gets a cookie.
``forum._select_locale`` reads the account, then the session, then the
browser's Accept-Language.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user

from forum.locales import NATIVE_NAMES
from forum.services.accounts import profile
from forum.services.errors import RuleViolation
from forum.web.forms import attach_error
from forum.web.infra.security_headers import vary_on
from forum.web.language.forms import LanguageForm, VisitorLanguageForm
from forum.web.redirects import safe_next_url

bp = Blueprint("language", __name__)


@bp.app_context_processor
def _language_switch():
    """``other_languages`` and ``language_return_path`` for the header's switcher."""
    if not has_request_context():
        return {}
    current = str(get_locale())
    others = [
        (code, NATIVE_NAMES.get(code, code))
        for code in current_app.config["LANGUAGES"]
        if code != current
    ]
    # Back to the page being read; a page answering a POST (a form with errors)
    # cannot be fetched again, so the switch then leads to the home page.
    back = request.full_path.rstrip("?") if request.method == "GET" else ""
    return {"other_languages": others, "language_return_path": back}


@bp.after_app_request
def _vary_on_language(response):
    # Pages are rendered in the browser's language: a shared cache must not mix them.
    vary_on(response, "Accept-Language")
    return response


@bp.get("/language")
def choose():
    """A visitor's switch (``?locale=it&next=/path``); without a valid choice, or for
    a signed-in person (who must post), the page with the choice form."""
    signed_in = current_user.is_authenticated
    form = LanguageForm(formdata=None) if signed_in else VisitorLanguageForm(request.args)
    if not signed_in and "locale" in request.args:
        if form.validate():
            session["locale"] = form.locale.data
            return redirect(_back(form.next.data))
        return _render(form, status=400)
    if signed_in:
        form.next.data = request.args.get("next", "")
        form.locale.data = request.args.get("locale") or str(get_locale())
    else:
        form.locale.data = str(get_locale())
    return _render(form)


@bp.post("/language")
def change():
    """Keep the posted language: on the account when signed in, in the session always
    (so the pages after logging out stay in it)."""
    form = LanguageForm()
    if form.validate_on_submit():
        try:
            if current_user.is_authenticated:
                profile.set_locale(current_user, form.locale.data)
        except RuleViolation as error:
            attach_error(form.locale, error.message)
        else:
            session["locale"] = form.locale.data
            return redirect(_back(form.next.data), code=303)
    return _render(form, status=400)


def _render(form, status: int = 200):
    method = "post" if current_user.is_authenticated else "get"
    return render_template("language/choose.html", form=form, method=method), status


def _back(target: str | None) -> str:
    return safe_next_url(target) or url_for("main.home")
