"""The six-month review (admins): the figures for a period, with charts, and their exports."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from forum import calendar
from forum.permissions import can_run_review
from forum.services import review, review_export
from forum.services.errors import RuleViolation
from forum.services.review_export import ExportFormat
from forum.web.access import refusal
from forum.web.errors import render_error
from forum.web.review.charts import charts_for

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.before_request
def _admins_only():
    return refusal(can_run_review)


def _period_or_error():
    try:
        return review.parse_period(request.args.get("from"), request.args.get("to"),
                                   today=calendar.today()), None
    except RuleViolation as error:
        return None, error


@bp.get("")
def index():
    period, error = _period_or_error()
    if error is not None:
        return render_template("review/index.html", review=None, error=error,
                               typed={"from": request.args.get("from", ""),
                                      "to": request.args.get("to", "")}), 400
    figures = review.build_review(period)
    return render_template("review/index.html", review=figures, error=None,
                           charts=charts_for(figures), formats=list(ExportFormat),
                           typed={"from": period.start.isoformat(), "to": period.end.isoformat()})


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
        headers={"Content-Disposition":
                 f'attachment; filename="{review_export.file_name(figures, export_format)}"'},
    )
