"""The API's six-month review for the centre's admins: its figures, and the same files as
the review page's exports (routes on the blueprint of ``routes``)."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from forum import calendar
from forum.permissions import can_run_review
from forum.services.errors import RuleViolation
from forum.services.review import export as review_export
from forum.services.review import figures as review
from forum.services.review import period as review_period
from forum.web.api.auth import require_user
from forum.web.api.problems import ApiError, ValidationFailed
from forum.web.api.queries import ReviewExportQuery, ReviewQuery
from forum.web.api.routes import bp
from forum.web.api.validation import read_query


def _reviewer():
    user = require_user()
    if not can_run_review(user):
        raise ApiError(403, _("The review and its exports are for the centre's admins."))
    return user


def _review_period(query: ReviewQuery | ReviewExportQuery):
    try:
        return review_period.parse_period(query.from_, query.to, today=calendar.today())
    except RuleViolation as error:
        raise ValidationFailed(
            [{"field": error.field or "from", "message": error.message}], status=400
        ) from None


@bp.get("/review")
def get_review():
    _reviewer()
    figures = review.build_review(_review_period(read_query(ReviewQuery)))
    return jsonify(review_export.as_document(figures))


@bp.get("/review/export")
def export_review():
    _reviewer()
    query = read_query(ReviewExportQuery)
    export_format = query.format
    figures = review.build_review(_review_period(query))
    return Response(
        review_export.export(figures, export_format),
        mimetype=review_export.MEDIA_TYPES[export_format],
        headers={
            "Content-Disposition": f'attachment; filename="{review_export.file_name(figures, export_format)}"'
        },
    )
