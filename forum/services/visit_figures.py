"""The visit figures as the review reads them: views and unique visitors per month,
per section and per day, from the rows ``VisitCounter`` (forum/services/visits.py)
writes. Read-only; what is counted, and how privately, is that module's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import VisitDay
from forum.services.visits import SECTIONS, SITE


class VisitFigures(NamedTuple):
    """One row of a visits table: a label (month, section or ISO day) and its figures."""

    label: str
    views: int
    unique_visitors: int


def visits_by_month(start: date, end: date) -> list[VisitFigures]:
    """Views and unique visitors of the whole site per calendar month from ``start`` to
    ``end`` (inclusive). Every month of the range has a row.

    A month's unique visitors are the sum of its days' site-wide unique visitors:
    within a day a visitor counts once however many sections they read, but someone
    who came on three days counts three times, because visitors cannot be linked
    across days, by design (each day's salt is forgotten).
    """
    totals: dict[str, list[int]] = {month: [0, 0] for month in _months(start, end)}
    for day, views, visitors in _daily_rows(start, end, SITE):
        month = totals[f"{day.year:04d}-{day.month:02d}"]
        month[0] += views
        month[1] += visitors
    return [VisitFigures(month, views, visitors) for month, (views, visitors) in totals.items()]


def visits_by_section(start: date, end: date) -> list[VisitFigures]:
    """Views and unique visitors per section over the range, every one of ``SECTIONS``
    listed (the site-wide row is not a section).

    Unique visitors are the sum of the section's daily figures.
    """
    rows = dict(
        (section, (views, visitors))
        for section, views, visitors in db.session.execute(
            select(VisitDay.section, func.sum(VisitDay.views), func.sum(VisitDay.unique_visitors))
            .where(VisitDay.day >= start, VisitDay.day <= end, VisitDay.section.in_(SECTIONS))
            .group_by(VisitDay.section)
        )
    )
    return [
        VisitFigures(
            section, int(rows.get(section, (0, 0))[0] or 0), int(rows.get(section, (0, 0))[1] or 0)
        )
        for section in SECTIONS
    ]


def daily_visits(start: date, end: date, section: str | None = None) -> list[VisitFigures]:
    """One row per day from ``start`` to ``end`` (ISO date labels), zeros where nothing
    was counted: the whole site's figures (each visitor once a day), or one section's
    if ``section`` is given."""
    found = {
        day: (views, visitors) for day, views, visitors in _daily_rows(start, end, section or SITE)
    }
    return [VisitFigures(day.isoformat(), *found.get(day, (0, 0))) for day in _days(start, end)]


def _daily_rows(start: date, end: date, section: str) -> Iterable[tuple[date, int, int]]:
    statement = select(VisitDay.day, VisitDay.views, VisitDay.unique_visitors).where(
        VisitDay.day >= start, VisitDay.day <= end, VisitDay.section == section
    )
    for day, views, visitors in db.session.execute(statement):
        yield day, int(views or 0), int(visitors or 0)


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _months(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
