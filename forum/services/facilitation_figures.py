"""The review's figures of referrals: trials facilitated, and referrals by status.

What counts as a trial facilitated is one rule (``counted_trials``): a referral whose
trial started in the period, with the start confirmed by the member or the clinic, or
verified by an admin (services/referral_introductions.py); an expert's word alone is
shown apart (``trials_started_unconfirmed``). The total, the months, the device
classes and the stages all count through it, so the review's tables agree. Days are
the forum's calendar days (FORUM_TIMEZONE), both ends of a range included.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Facilitation, FacilitationStatus, FacilitationStep, Question
from forum.services.facilitations import STARTED_STATUSES


def _started_in(start: date, end: date, *, confirmed: bool):
    """The referrals whose trial started in [start, end], confirmed or not."""
    confirmation = (
        Facilitation.trial_confirmation.is_not(None)
        if confirmed
        else Facilitation.trial_confirmation.is_(None)
    )
    return (
        Facilitation.status.in_(list(STARTED_STATUSES)),
        Facilitation.trial_started_on >= start,
        Facilitation.trial_started_on <= end,
        confirmation,
    )


def trials_facilitated(start: date, end: date) -> int:
    """Clinical trials facilitated in [start, end], both days included: the referrals
    whose trial started (``trial_started_on``, the date given at that step) in the
    range, wherever they were referred and whatever happened since (enrolment,
    completion, an outcome, abandonment), and whose start was confirmed by the member
    or the clinic, or verified by an admin. An expert's word alone never counts here:
    see ``trials_started_unconfirmed``."""
    return db.session.scalar(
        select(func.count()).select_from(Facilitation).where(*counted_trials(start, end))
    )


def trials_started_unconfirmed(start: date, end: date) -> int:
    """Starts in [start, end] recorded by an expert or admin that neither side has
    confirmed nor an admin verified: shown apart from the trials facilitated."""
    return db.session.scalar(
        select(func.count())
        .select_from(Facilitation)
        .where(*_started_in(start, end, confirmed=False))
    )


def counted_trials(start: date, end: date) -> tuple:
    """The conditions on Facilitation that make a referral one of the trials facilitated
    in [start, end]: a confirmed start in the range. Every figure of trials (the total,
    by month, by device class and by stage) counts through these, so they always agree."""
    return _started_in(start, end, confirmed=True)


def trials_facilitated_by(start: date, end: date, column) -> dict:
    """The trials ``trials_facilitated`` counts for [start, end], by a column of their
    question (``Question.device_class``, ``Question.stage``); values without a trial
    are left out."""
    return dict(
        db.session.execute(
            select(column, func.count())
            .select_from(Facilitation)
            .join(Question, Question.id == Facilitation.question_id)
            .where(*counted_trials(start, end))
            .group_by(column)
        ).all()
    )


def trials_facilitated_by_month(start: date, end: date) -> dict[str, int]:
    """The trials ``trials_facilitated`` counts for [start, end], by the calendar month
    (YYYY-MM) of their start day; months without a trial are left out."""
    by_month: dict[str, int] = {}
    for started_on in db.session.scalars(
        select(Facilitation.trial_started_on).where(*counted_trials(start, end))
    ):
        month = f"{started_on.year:04d}-{started_on.month:02d}"
        by_month[month] = by_month.get(month, 0) + 1
    return by_month


def facilitations_by_status(start: date, end: date) -> dict[FacilitationStatus, int]:
    """Referrals made in [start, end], both days included, counted by the status they
    are in now: a referral counts once, in the range of its referral day (the date of
    its "proposed" step, which an expert may give in the past), whatever happened
    since. Every status is a key, in workflow order, zero when none.

    So a referral made in the range whose trial started after it counts as trial
    started here but not in ``trials_facilitated`` for that range.
    """
    referred = select(FacilitationStep.facilitation_id).where(
        FacilitationStep.status == FacilitationStatus.PROPOSED,
        FacilitationStep.occurred_on >= start,
        FacilitationStep.occurred_on <= end,
    )
    rows = db.session.execute(
        select(Facilitation.status, func.count())
        .where(Facilitation.id.in_(referred))
        .group_by(Facilitation.status)
    )
    counts = {status: 0 for status in FacilitationStatus}
    counts.update({FacilitationStatus(status): count for status, count in rows})
    return counts
