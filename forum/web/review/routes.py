"""The six-month review (admins): the figures for a period, with charts, their exports,
the targets and narrative admins write for the period, and the meeting's report as a PDF."""

from __future__ import annotations

import os

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from forum import calendar
from forum.permissions import can_run_review
from forum.services.errors import RuleViolation
from forum.services.review import export as review_export
from forum.services.review import figures as review
from forum.services.review import period as review_period
from forum.services.review import report as review_report
from forum.services.review.export import ExportFormat
from forum.web.access import refusal
from forum.web.errors import render_error
from forum.web.forms import attach_error
from forum.web.review.charts import charts_for
from forum.web.review.forms import ReportForm

bp = Blueprint("review", __name__, url_prefix="/review")

# The languages the report is printed in: the forum's two.
REPORT_LANGUAGES = ("en", "it")


@bp.before_request
def _admins_only():
    return refusal(can_run_review)


def _period_or_error():
    try:
        return review_period.parse_period(
            request.args.get("from"), request.args.get("to"), today=calendar.today()
        ), None
    except RuleViolation as error:
        return None, error


def _period_args(period) -> dict:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


@bp.get("")
def index():
    period, error = _period_or_error()
    if error is not None:
        return render_template(
            "review/index.html",
            review=None,
            error=error,
            typed={"from": request.args.get("from", ""), "to": request.args.get("to", "")},
        ), 400
    figures = review.build_review(period)
    return render_template(
        "review/index.html",
        review=figures,
        error=None,
        charts=charts_for(figures),
        formats=list(ExportFormat),
        report=review_report.report_for(period.start, period.end),
        period_args=_period_args(period),
        languages=REPORT_LANGUAGES,
        typed={"from": period.start.isoformat(), "to": period.end.isoformat()},
    )


@bp.get("/export")
def export():
    period, error = _period_or_error()
    if error is not None:
        return render_error(400, str(error.message))
    format_value = request.args.get("format", "xlsx")
    if format_value not in set(ExportFormat):
        return render_error(400, _("Choose an export format: xlsx, csv or json."))
    export_format = ExportFormat(format_value)
    figures = review.build_review(period)
    return Response(
        review_export.export(figures, export_format),
        mimetype=review_export.MEDIA_TYPES[export_format],
        headers={
            "Content-Disposition": f'attachment; filename="{review_export.file_name(figures, export_format)}"'
        },
    )


@bp.route("/report", methods=["GET", "POST"])
def report():
    """The period's targets and narrative, saved before printing the report."""
    period, error = _period_or_error()
    if error is not None:
        return render_error(400, str(error.message))
    saved = review_report.report_for(period.start, period.end)
    form = ReportForm(
        data={
            **{f"target_{name}": value for name, value in saved.targets.items()},
            "summary": saved.summary,
            "highlights": saved.highlights,
            "next_steps": saved.next_steps,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            review_report.save_report(
                current_user,
                period.start,
                period.end,
                review_report.ReportDraft(
                    target_visits=form.target_visits.data,
                    target_questions_answered=form.target_questions_answered.data,
                    target_trials=form.target_trials.data,
                    summary=form.summary.data or "",
                    highlights=form.highlights.data or "",
                    next_steps=form.next_steps.data or "",
                ),
            )
        except RuleViolation as refused:
            attach_error(getattr(form, refused.field or "summary"), refused.message)
        else:
            flash(_("The targets and the narrative for this period are saved."), "success")
            return redirect(url_for(".index", **_period_args(period), _anchor="table-summary"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "review/report.html",
        form=form,
        period=period,
        saved=saved,
        period_args=_period_args(period),
    ), status


@bp.get("/report.pdf")
def report_pdf():
    """The review meeting's report, in English or Italian (``?lang=``), as a PDF."""
    period, error = _period_or_error()
    if error is not None:
        return render_error(400, str(error.message))
    language = request.args.get("lang", "en")
    if language not in REPORT_LANGUAGES:
        return render_error(400, _("Choose the report's language: en or it."))
    with force_locale(language):
        figures = review.build_review(period)
        html = render_template(
            "review/report_print.html",
            review=figures,
            charts=charts_for(figures),
            language=language,
            report=review_report.report_for(period.start, period.end),
        )
    stylesheet = os.path.join(current_app.static_folder, "css", "forum.css")
    name = f"ctcc-review-report-{period.start}-{period.end}-{language}.pdf"
    return Response(
        review_report.pdf_of(html, stylesheet),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
