"""A referral's page and what is done on it, for the member, the experts and the admins
(/facilitations/<id>...), and the same referral as its clinic sees it through the link
e-mailed to its contact (/facilitations/<id>/clinic/<token>...), without an account.

The clinic's pages are answered ``Cache-Control: no-store`` and ``Referrer-Policy:
no-referrer``, so the token in the URL is neither kept by a browser cache nor sent to
another site. An unknown, tampered or other referral's link is a 404 (it reveals
nothing), an expired or replaced one a 410 with a page saying how to get a new one.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import calendar
from forum.extensions import db
from forum.models import Facilitation, ReferralDecision
from forum.permissions import (
    can_advance_referral,
    can_answer_introduction,
    can_confirm_trial_start,
    can_send_referral_link,
    can_verify_trial_start,
    can_write_referral_message,
)
from forum.services import facilitations, referral_introductions, referral_links, referral_reading
from forum.services.errors import RuleViolation
from forum.services.referral_links import LinkProblem, LinkRefused
from forum.web.clinics.forms import AdvanceForm, IntroductionForm, MessageForm, VerifyStartForm
from forum.web.clinics.routes import bp
from forum.web.forms import ConfirmForm, attach_error
from forum.web.infra import rate_limits
from forum.web.lookups import question_url

NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# Writing in the thread, and everything the clinic posts through its link (by address,
# as it has no account), spends the "posting" budget of forum/web/infra/rate_limits.py.


def _forms(facilitation: Facilitation, actor, given: dict) -> dict:
    """Every form of the referral's page, blank unless ``given`` (one that failed)."""
    advance_form = given.get("advance_form") or AdvanceForm(
        formdata=None, occurred_on=calendar.today()
    )
    advance_form.set_status_choices(facilitations.next_statuses(facilitation, actor))
    return {
        "advance_form": advance_form,
        "next_statuses": facilitations.next_statuses(facilitation, actor),
        "introduction_form": given.get("introduction_form") or IntroductionForm(formdata=None),
        "message_form": given.get("message_form") or MessageForm(formdata=None),
        "verify_form": given.get("verify_form") or VerifyStartForm(formdata=None),
        "confirm_form": ConfirmForm(),
    }


# --- the member's, the experts' and the admins' page -----------------------------------


def _referral_or_404(facilitation_id: int) -> Facilitation:
    facilitation = referral_reading.load_facilitation(current_user, facilitation_id)
    if facilitation is None:
        abort(404)
    return facilitation


def _render_referral(facilitation: Facilitation, status: int = 200, **given):
    return render_template(
        "clinics/referral.html",
        facilitation=facilitation,
        question=facilitation.question,
        question_url=question_url(facilitation.question),
        links=referral_reading.links_of(current_user, facilitation),
        **_forms(facilitation, current_user, given),
    ), status


def _done(facilitation_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("clinics.referral", facilitation_id=facilitation_id))


def _refused(facilitation_id: int, form_name: str, form, error: RuleViolation, field: str):
    """The page again with the service's refusal beside the field, what was typed kept."""
    db.session.rollback()
    attach_error(getattr(form, error.field or field, None) or getattr(form, field), error.message)
    return _render_referral(_referral_or_404(facilitation_id), 422, **{form_name: form})


@bp.get("/facilitations/<int:facilitation_id>")
@login_required
def referral(facilitation_id: int):
    return _render_referral(_referral_or_404(facilitation_id))


@bp.post("/facilitations/<int:facilitation_id>/advance")
@login_required
def advance(facilitation_id: int):
    facilitation = _referral_or_404(facilitation_id)
    if not can_advance_referral(current_user, facilitation):
        abort(403)
    form = AdvanceForm()
    form.set_status_choices(facilitations.next_statuses(facilitation, current_user))
    if form.validate_on_submit():
        try:
            facilitations.advance(
                facilitation,
                current_user,
                form.status.data,
                form.occurred_on.data,
                form.note.data or "",
            )
        except RuleViolation as error:
            return _refused(facilitation_id, "advance_form", form, error, "status")
        return _done(facilitation_id, _("The referral's step is recorded."))
    return _render_referral(_referral_or_404(facilitation_id), 422, advance_form=form)


@bp.post("/facilitations/<int:facilitation_id>/introduction")
@login_required
def answer_introduction(facilitation_id: int):
    facilitation = _referral_or_404(facilitation_id)
    if not can_answer_introduction(current_user, facilitation):
        abort(403)
    form = IntroductionForm()
    if form.validate_on_submit():
        try:
            referral_introductions.answer_introduction(
                facilitation,
                current_user,
                ReferralDecision(form.decision.data),
                form.note.data or "",
            )
        except RuleViolation as error:
            return _refused(facilitation_id, "introduction_form", form, error, "decision")
        return _done(facilitation_id, _("Your answer is recorded."))
    return _render_referral(_referral_or_404(facilitation_id), 422, introduction_form=form)


@bp.post("/facilitations/<int:facilitation_id>/messages")
@login_required
@rate_limits.posting
def post_message(facilitation_id: int):
    facilitation = _referral_or_404(facilitation_id)
    if not can_write_referral_message(current_user, facilitation):
        abort(403)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            referral_introductions.post_message(facilitation, current_user, form.body.data)
        except RuleViolation as error:
            return _refused(facilitation_id, "message_form", form, error, "body")
        return _done(facilitation_id, _("Your message is posted."))
    return _render_referral(_referral_or_404(facilitation_id), 422, message_form=form)


@bp.post("/facilitations/<int:facilitation_id>/confirm-start")
@login_required
def confirm_start(facilitation_id: int):
    facilitation = _referral_or_404(facilitation_id)
    if not can_confirm_trial_start(current_user, facilitation):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        referral_introductions.confirm_trial_start(facilitation, current_user)
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("clinics.referral", facilitation_id=facilitation_id)), 303
    return _done(facilitation_id, _("The trial's start is confirmed."))


@bp.post("/facilitations/<int:facilitation_id>/verify-start")
@login_required
def verify_start(facilitation_id: int):
    facilitation = _referral_or_404(facilitation_id)
    if not can_verify_trial_start(current_user, facilitation):
        abort(403)
    form = VerifyStartForm()
    if form.validate_on_submit():
        try:
            referral_introductions.verify_trial_start(facilitation, current_user, form.note.data)
        except RuleViolation as error:
            return _refused(facilitation_id, "verify_form", form, error, "note")
        return _done(facilitation_id, _("The trial's start is verified."))
    return _render_referral(_referral_or_404(facilitation_id), 422, verify_form=form)


@bp.post("/facilitations/<int:facilitation_id>/send-link")
@login_required
def send_link(facilitation_id: int):
    facilitation = _referral_or_404(facilitation_id)
    if not can_send_referral_link(current_user, facilitation):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        referral_links.send_new_link(facilitation, current_user)
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("clinics.referral", facilitation_id=facilitation_id))
    return _done(
        facilitation_id,
        _("A new link is e-mailed to the clinic; earlier links no longer open the referral."),
    )


# --- the clinic's pages, through its link ----------------------------------------------

_LINK_STATUS = {LinkProblem.UNKNOWN: 404, LinkProblem.EXPIRED: 410, LinkProblem.REVOKED: 410}


def _link_or_refusal(facilitation_id: int, token: str):
    """(link, facilitation), or (None, the refusal's page)."""
    try:
        link = referral_links.resolve(facilitation_id, token)
    except LinkRefused as refused:
        return None, (
            render_template("clinics/link_refused.html", problem=refused.problem.value),
            _LINK_STATUS[refused.problem],
            NO_STORE,
        )
    return link, referral_reading.load_for_clinic(link)


def _render_clinic_page(link, facilitation: Facilitation, token: str, status: int = 200, **given):
    return (
        render_template(
            "clinics/clinic_referral.html",
            facilitation=facilitation,
            token=token,
            link=link,
            **_forms(facilitation, link, given),
        ),
        status,
        NO_STORE,
    )


def _clinic_done(facilitation_id: int, token: str, message: str, category: str = "success"):
    flash(message, category)
    return (
        redirect(url_for("clinics.clinic_referral", facilitation_id=facilitation_id, token=token)),
        303,
        NO_STORE,
    )


@bp.get("/facilitations/<int:facilitation_id>/clinic/<token>")
def clinic_referral(facilitation_id: int, token: str):
    link, facilitation = _link_or_refusal(facilitation_id, token)
    if link is None:
        return facilitation
    return _render_clinic_page(link, facilitation, token)


def _clinic_action(
    facilitation_id: int, token: str, form_name: str, form, field: str, act, done_message: str
):
    """Check the link, then the form, then ``act(facilitation, link)``: the page again
    with the error beside its field, or the page with ``done_message``."""
    link, facilitation = _link_or_refusal(facilitation_id, token)
    if link is None:
        return facilitation
    if form is not None and not form.validate_on_submit():
        return _render_clinic_page(link, facilitation, token, 422, **{form_name: form})
    try:
        act(facilitation, link)
    except RuleViolation as error:
        db.session.rollback()
        if form is None:
            return _clinic_done(facilitation_id, token, error.message, "error")
        link, facilitation = _link_or_refusal(facilitation_id, token)
        if error.field == "decision":  # answered already: the form is gone from the page
            flash(error.message, "error")
            return _render_clinic_page(link, facilitation, token, 409)
        attach_error(
            getattr(form, error.field or field, None) or getattr(form, field), error.message
        )
        status = 422
        return _render_clinic_page(link, facilitation, token, status, **{form_name: form})
    return _clinic_done(facilitation_id, token, done_message)


@bp.post("/facilitations/<int:facilitation_id>/clinic/<token>/introduction")
@rate_limits.posting
def clinic_answer(facilitation_id: int, token: str):
    form = IntroductionForm()
    return _clinic_action(
        facilitation_id,
        token,
        "introduction_form",
        form,
        "decision",
        lambda facilitation, link: referral_introductions.answer_introduction(
            facilitation, link, ReferralDecision(form.decision.data), form.note.data or ""
        ),
        _("Your answer is recorded. Thank you."),
    )


@bp.post("/facilitations/<int:facilitation_id>/clinic/<token>/messages")
@rate_limits.posting
def clinic_message(facilitation_id: int, token: str):
    form = MessageForm()
    return _clinic_action(
        facilitation_id,
        token,
        "message_form",
        form,
        "body",
        lambda facilitation, link: referral_introductions.post_message(
            facilitation, link, form.body.data
        ),
        _("Your message is posted."),
    )


@bp.post("/facilitations/<int:facilitation_id>/clinic/<token>/advance")
@rate_limits.posting
def clinic_advance(facilitation_id: int, token: str):
    form = AdvanceForm()
    form.status.choices = []  # any status reaches the service, which says why not
    return _clinic_action(
        facilitation_id,
        token,
        "advance_form",
        form,
        "status",
        lambda facilitation, link: facilitations.advance(
            facilitation, link, form.status.data, form.occurred_on.data, form.note.data or ""
        ),
        _("The referral's step is recorded."),
    )


@bp.post("/facilitations/<int:facilitation_id>/clinic/<token>/confirm-start")
@rate_limits.posting
def clinic_confirm_start(facilitation_id: int, token: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _clinic_action(
        facilitation_id,
        token,
        "confirm_form",
        None,
        "",
        lambda facilitation, link: referral_introductions.confirm_trial_start(facilitation, link),
        _("The trial's start is confirmed. Thank you."),
    )
