"""Building and running surveys (admins only): /admin/surveys/..."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from forum.extensions import db
from forum.labels import LIKERT_LABELS
from forum.models import Survey, SurveyItem, SurveyItemKind
from forum.services import survey as surveys
from forum.services import survey_results, survey_translation
from forum.services.errors import RuleViolation
from forum.web import access, charts
from forum.web.forms import ConfirmForm, attach_error
from forum.web.survey.forms import (
    ItemForm,
    LinksForm,
    SurveyForm,
    translation_form,
    translation_from,
)

bp = Blueprint("survey_admin", __name__, url_prefix="/admin/surveys")


bp.before_request(access.admins_only)


@bp.get("", endpoint="index")
def survey_list():
    return render_template(
        "survey/admin/index.html",
        listings=surveys.list_surveys(),
        open_survey=surveys.current_open_survey(),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            survey = surveys.create_survey(
                current_user, form.title.data, form.description.data or ""
            )
        except RuleViolation as error:
            _attach(form, error)
        else:
            flash(
                _("The survey is created as a draft: add its questions, then open it."), "success"
            )
            return redirect(url_for(".show", survey_id=survey.id))
    status = 422 if request.method == "POST" else 200
    return render_template("survey/admin/new.html", form=form), status


@bp.get("/<int:survey_id>")
def show(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    return _render_show(survey)


@bp.post("/<int:survey_id>")
def update(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            surveys.update_survey(
                survey, current_user, form.title.data, form.description.data or ""
            )
        except RuleViolation as error:
            _attach(form, error)
        else:
            flash(_("The survey's title and introduction are saved."), "success")
            return redirect(url_for(".show", survey_id=survey.id))
    db.session.rollback()  # the page shows the stored title, the form the typed one
    return _render_show(survey, details_form=form, status=422)


@bp.post("/<int:survey_id>/items")
def add_item(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = ItemForm()
    if form.validate_on_submit():
        try:
            surveys.add_item(survey, current_user, form.draft())
        except RuleViolation as error:
            _attach(form, error)
        else:
            flash(_("The question is added."), "success")
            return redirect(url_for(".show", survey_id=survey.id, _anchor="items"))
    return _render_show(survey, item_form=form, status=422)


@bp.route("/<int:survey_id>/items/<int:item_id>", methods=["GET", "POST"])
def edit_item(survey_id: int, item_id: int):
    survey, item = _survey_and_item(survey_id, item_id)
    form = ItemForm() if request.method == "POST" else ItemForm.for_item(item)
    if form.validate_on_submit():
        try:
            surveys.edit_item(item, current_user, form.draft())
        except RuleViolation as error:
            _attach(form, error)
        else:
            flash(_("The question is saved."), "success")
            return redirect(url_for(".show", survey_id=survey.id, _anchor=f"item-{item.id}"))
    status = 422 if request.method == "POST" else 200
    return render_template("survey/admin/item.html", survey=survey, item=item, form=form), status


@bp.route("/<int:survey_id>/italian", methods=["GET", "POST"])
def translate(survey_id: int):
    """The survey's Italian beside its English, with the outdated marks."""
    survey = db.get_or_404(Survey, survey_id)
    form = translation_form(survey, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            survey_translation.translate(survey, current_user, translation_from(form, survey))
        except RuleViolation as error:
            db.session.rollback()
            survey = db.get_or_404(Survey, survey_id)
            _attach(form, error)
        else:
            flash(_("The survey's Italian is saved."), "success")
            return redirect(url_for(".show", survey_id=survey.id))
    status = 422 if request.method == "POST" else 200
    return render_template("survey/admin/translate.html", survey=survey, form=form), status


@bp.post("/<int:survey_id>/items/<int:item_id>/remove")
def remove_item(survey_id: int, item_id: int):
    survey, item = _survey_and_item(survey_id, item_id)
    try:
        surveys.remove_item(item, current_user)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(_("The question is removed."), "success")
    return redirect(url_for(".show", survey_id=survey.id, _anchor="items"))


@bp.post("/<int:survey_id>/items/<int:item_id>/move")
def move_item(survey_id: int, item_id: int):
    survey, item = _survey_and_item(survey_id, item_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    try:
        surveys.move_item(item, current_user, -1 if direction == "up" else 1)
    except RuleViolation as error:
        flash(str(error.message), "error")
    return redirect(url_for(".show", survey_id=survey.id, _anchor=f"item-{item.id}"))


@bp.post("/<int:survey_id>/open")
def open_survey(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    try:
        surveys.open_survey(survey, current_user)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(
            _(
                "The survey is open: signed-in users are invited to answer it on the home "
                "page, and one-time links work."
            ),
            "success",
        )
    return redirect(url_for(".show", survey_id=survey.id))


@bp.post("/<int:survey_id>/close")
def close_survey(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    try:
        surveys.close_survey(survey, current_user)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(_("The survey is closed: it takes no more answers."), "success")
    return redirect(url_for(".show", survey_id=survey.id))


@bp.route("/<int:survey_id>/links", methods=["GET", "POST"])
def links(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = LinksForm()
    created: list[str] = []
    if form.validate_on_submit():
        try:
            tokens = surveys.create_invitation_links(
                survey, form.count.data, form.label.data or "", current_user
            )
        except RuleViolation as error:
            _attach(form, error)
        else:
            # Shown this once: only the tokens' hashes are stored. Absolute, on the
            # public address (PUBLIC_BASE_URL), since they are printed or mailed.
            base = current_app.config["PUBLIC_BASE_URL"]
            created = [base + url_for("survey.answer_by_link", token=token) for token in tokens]
    status = 422 if request.method == "POST" and not created else 200
    page = render_template(
        "survey/admin/links.html",
        survey=survey,
        form=form,
        created=created,
        batches=surveys.invitation_summary(survey),
    )
    return page, status, {"Cache-Control": "no-store"}


@bp.get("/<int:survey_id>/results")
def results(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    figures = survey_results.results(survey)
    drawn = {
        result.item.id: _chart(result)
        for result in figures.items
        if result.item.kind != SurveyItemKind.TEXT
    }
    return render_template(
        "survey/admin/results.html",
        survey=survey,
        figures=figures,
        charts=drawn,
        value_label=_value_label,
    )


def _value_label(item: SurveyItem, value: str) -> str:
    """How a stored value reads in a chart or table."""
    if item.kind == SurveyItemKind.LIKERT and value in LIKERT_LABELS:
        return _("%(value)s: %(label)s", value=value, label=LIKERT_LABELS[value])
    return value


def _chart(result: survey_results.ItemResult) -> Markup:
    return charts.bar_chart(
        result.item.prompt,
        [_value_label(result.item, value) for value, _count in result.counts],
        [count for _value, count in result.counts],
    )


def _render_show(
    survey: Survey,
    *,
    details_form: SurveyForm | None = None,
    item_form: ItemForm | None = None,
    status: int = 200,
):
    details_form = details_form or SurveyForm(
        formdata=None, title=survey.title, description=survey.description
    )
    return render_template(
        "survey/admin/show.html",
        survey=survey,
        details_form=details_form,
        item_form=item_form or ItemForm(formdata=None),
        confirm_form=ConfirmForm(),
        batches=surveys.invitation_summary(survey),
    ), status


def _survey_and_item(survey_id: int, item_id: int) -> tuple[Survey, SurveyItem]:
    item = db.get_or_404(SurveyItem, item_id)
    if item.survey_id != survey_id:
        abort(404)
    return item.survey, item


def _attach(form, error: RuleViolation) -> None:
    if error.field and error.field in form:
        attach_error(form[error.field], error.message)
    else:
        flash(str(error.message), "error")
