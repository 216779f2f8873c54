"""The review meeting's report: the targets and the narrative admins write for a period,
and the report as a PDF.

A period is its first and last day; what admins write for it is one
``ReviewPeriodReport`` row, saved whole (targets and the three narrative texts) and
audited. A period nobody wrote for yet starts from the targets of the latest period
saved that started before it, so the action plan's targets need typing once, and are
shown as carried over until saved for the new period.

The PDF is laid out by WeasyPrint from ``templates/review/report_print.html`` (page 1:
the three figures, the previous period and the targets; then the narrative, then each
chart with its table), in the language the caller renders it in. Nothing is fetched
while laying out: charts are inline SVG drawn on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditAction, ReviewPeriodReport, User
from forum.models.columns import utcnow
from forum.permissions import can_run_review
from forum.services import audit, pdf_layout
from forum.services.errors import PermissionDenied, RuleViolation

MAX_NARRATIVE_LENGTH = 10_000
MAX_TARGET = 10_000_000
TARGET_FIELDS = ("visits", "questions_answered", "trials")


@dataclass(frozen=True)
class ReportDraft:
    target_visits: int | None
    target_questions_answered: int | None
    target_trials: int | None
    summary: str
    highlights: str
    next_steps: str


@dataclass(frozen=True)
class PeriodReport:
    """What the page and the PDF show for a period: the saved row's values, or the
    targets carried over from an earlier period of the same length (``carried_from``)."""

    targets: dict[str, int | None]
    summary: str = ""
    highlights: str = ""
    next_steps: str = ""
    saved: ReviewPeriodReport | None = None
    carried_from: ReviewPeriodReport | None = None


def _targets_of(row: ReviewPeriodReport | None) -> dict[str, int | None]:
    if row is None:
        return {name: None for name in TARGET_FIELDS}
    return {
        "visits": row.target_visits,
        "questions_answered": row.target_questions_answered,
        "trials": row.target_trials,
    }


def report_for(start: date, end: date) -> PeriodReport:
    """The targets and narrative of the period [start, end] (two queries at most)."""
    saved = db.session.scalar(
        select(ReviewPeriodReport).where(
            ReviewPeriodReport.starts_on == start, ReviewPeriodReport.ends_on == end
        )
    )
    if saved is not None:
        return PeriodReport(
            _targets_of(saved), saved.summary, saved.highlights, saved.next_steps, saved=saved
        )
    # The latest period saved that started before this one: the action plan's targets
    # carry over (a six-month period has 181 to 184 days, so lengths are not compared).
    earlier = db.session.scalars(
        select(ReviewPeriodReport)
        .where(ReviewPeriodReport.starts_on < start)
        .order_by(ReviewPeriodReport.starts_on.desc(), ReviewPeriodReport.id.desc())
        .limit(1)
    ).first()
    return PeriodReport(_targets_of(earlier), carried_from=earlier)


def _check_target(value: int | None, field_name: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_TARGET:
        raise RuleViolation(
            _l("A target is a whole number from 0 to %(max)d.", max=MAX_TARGET), field=field_name
        )
    return value


def _check_text(value: str | None, field_name: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_NARRATIVE_LENGTH:
        raise RuleViolation(
            _l("This is too long (at most %(max)d characters).", max=MAX_NARRATIVE_LENGTH),
            field=field_name,
        )
    return text


def save_report(admin: User, start: date, end: date, draft: ReportDraft) -> ReviewPeriodReport:
    """Save the period's targets and narrative (a new row, or the period's row replaced);
    audited.

    Raises PermissionDenied unless the admin may run the review; RuleViolation (with the
    field) for a target out of range or a text over its length.
    """
    if not can_run_review(admin):
        raise PermissionDenied(_l("Only the admins write the review's report."))
    values = {
        "target_visits": _check_target(draft.target_visits, "target_visits"),
        "target_questions_answered": _check_target(
            draft.target_questions_answered, "target_questions_answered"
        ),
        "target_trials": _check_target(draft.target_trials, "target_trials"),
        "summary": _check_text(draft.summary, "summary"),
        "highlights": _check_text(draft.highlights, "highlights"),
        "next_steps": _check_text(draft.next_steps, "next_steps"),
    }
    row = db.session.scalar(
        select(ReviewPeriodReport).where(
            ReviewPeriodReport.starts_on == start, ReviewPeriodReport.ends_on == end
        )
    )
    if row is None:
        row = ReviewPeriodReport(starts_on=start, ends_on=end)
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by_id, row.updated_at = admin.id, utcnow()
    db.session.flush()
    audit.record(
        admin,
        AuditAction.REVIEW_REPORT_SAVED,
        row,
        detail=f"{start.isoformat()} – {end.isoformat()}",
    )
    db.session.commit()
    return row


def pdf_of(html: str, stylesheet_path: str) -> bytes:
    """The report's HTML laid out as a PDF with the print stylesheet."""
    return pdf_layout.pdf_of(html, stylesheet_path)
