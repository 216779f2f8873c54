"""Answering the survey: /survey for signed-in users, /survey/t/<token> through a one-time link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import db
from forum.models import Survey, SurveyStatus
from forum.services import survey_answers as surveys
from forum.services.errors import RuleViolation
from forum.services.survey import current_open_survey
from forum.web.forms import attach_error
from forum.web.survey.forms import answer_form, answers_from, item_field_name

bp = Blueprint("survey", __name__, url_prefix="/survey")


@bp.app_template_global()
def survey_awaiting_reader() -> Survey | None:
    """The open survey the signed-in reader has not answered yet (for the home page)."""
    if not current_user.is_authenticated:
        return None
    return surveys.survey_awaiting(current_user)


@bp.route("", methods=["GET", "POST"])
@login_required
def answer():
    survey = current_open_survey()
    if survey is None:  # answers sent after the survey closed are refused, not lost silently
        submitted = request.method == "POST"
        return render_template("survey/none.html", submitted=submitted), 409 if submitted else 200
    if surveys.has_answered(survey, current_user):
        # A second submission (another tab, the back button) is refused politely.
        return _already_answered(survey, request.method == "POST")
    form = answer_form(survey)
    if form.validate_on_submit():
        try:
            surveys.submit_response(
                survey,
                answers_from(form, survey),
                user=current_user,
                quote_consent=bool(
                    getattr(form, "quote_consent", None) and form.quote_consent.data
                ),
            )
        except surveys.AlreadyAnswered:
            return _already_answered(survey, True)
        except surveys.InvalidAnswers as invalid:
            _attach_answer_errors(form, survey, invalid)
        except RuleViolation as error:  # closed in the meantime
            return render_template("survey/closed.html", survey=survey, message=error.message), 409
        else:
            flash(_("Thank you! Your answers are saved."), "success")
            return redirect(url_for(".answer"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "survey/answer.html", survey=survey, form=form, action=url_for(".answer")
    ), status


@bp.route("/t/<token>", methods=["GET", "POST"])
def answer_by_link(token: str):
    invitation = surveys.invitation_for_token(token)
    if invitation is None:
        abort(404)
    survey = db.get_or_404(Survey, invitation.survey_id)
    if survey.status != SurveyStatus.OPEN:
        return _no_store(render_template("survey/closed.html", survey=survey), 410)
    if invitation.used_at is not None:
        return _no_store(render_template("survey/link_used.html", survey=survey), 410)
    if current_user.is_authenticated:
        # Account holders answer as themselves, once; the link stays free for someone else.
        flash(
            _(
                "You are signed in, so you answer here as yourself. The link you followed "
                "stays unused."
            ),
            "info",
        )
        return redirect(url_for(".answer"))
    form = answer_form(survey)
    if form.validate_on_submit():
        try:
            surveys.submit_response(
                survey,
                answers_from(form, survey),
                invitation=invitation,
                quote_consent=bool(
                    getattr(form, "quote_consent", None) and form.quote_consent.data
                ),
            )
        except surveys.AlreadyAnswered:
            return _no_store(render_template("survey/link_used.html", survey=survey), 410)
        except surveys.InvalidAnswers as invalid:
            _attach_answer_errors(form, survey, invalid)
        except RuleViolation as error:
            return _no_store(
                render_template("survey/closed.html", survey=survey, message=error.message), 410
            )
        else:
            return _no_store(render_template("survey/thanks.html", survey=survey), 200)
    status = 422 if request.method == "POST" else 200
    return _no_store(
        render_template(
            "survey/answer.html",
            survey=survey,
            form=form,
            action=url_for(".answer_by_link", token=token),
        ),
        status,
    )


def _already_answered(survey: Survey, submitted: bool):
    return render_template("survey/answered.html", survey=survey), 409 if submitted else 200


def _attach_answer_errors(form, survey: Survey, invalid: surveys.InvalidAnswers) -> None:
    for item in survey.items:
        if item.id in invalid.errors:
            attach_error(form[item_field_name(item)], invalid.errors[item.id])


def _no_store(rendered: str, status: int):
    """Pages reached through a one-time link: kept out of shared caches and history caches."""
    return rendered, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
