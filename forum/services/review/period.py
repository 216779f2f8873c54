"""The review's period and its tables as values: what the figures, the summary,
the exports and the charts share (kept apart so none of them imports another to
get them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from forum import calendar
from forum.services.errors import RuleViolation


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as [start, end) instants in the forum's time zone."""
        return calendar.start_of(self.start), calendar.start_of(self.end + timedelta(days=1))

    def months(self) -> list[str]:
        """Each calendar month the period touches, as YYYY-MM."""
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


# The dates a period may use, and its longest span: enough for any review, and far
# from the ends of the calendar that ``Period.bounds`` and the month list step past.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2999, 12, 31)
MAX_PERIOD = timedelta(days=3653)


def six_months_before(day: date) -> date:
    """The same day six calendar months earlier (the last day of the month if it has fewer days)."""
    year, month = (day.year, day.month - 6) if day.month > 6 else (day.year - 1, day.month + 6)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def parse_period(start_text: str | None, end_text: str | None, today: date) -> Period:
    """The period from ``?from=YYYY-MM-DD&to=YYYY-MM-DD``; by default the last six months.

    Raises RuleViolation (field "from" or "to") for a date that is not one, and
    for a reversed range.
    """
    end = _parse_day(end_text, "to") if end_text else today
    start = _parse_day(start_text, "from") if start_text else six_months_before(end)
    if start > end:
        raise RuleViolation(_l("The start date comes after the end date: swap them."), field="from")
    if end - start > MAX_PERIOD:
        raise RuleViolation(
            _l("A review covers at most ten years: choose a shorter period."), field="from"
        )
    return Period(start, end)


def _parse_day(text: str, field_name: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise RuleViolation(
            _l(
                "“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2026-05-31.",
                value=text[:40],
            ),
            field=field_name,
        ) from None
    # Far-off years would overflow the date arithmetic of a period (a 500, not an answer).
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise RuleViolation(
            _l(
                "Choose a date between %(first)s and %(last)s.",
                first=EARLIEST_DAY.isoformat(),
                last=LATEST_DAY.isoformat(),
            ),
            field=field_name,
        )
    return day


@dataclass
class Table:
    """One table of the review: a sheet in the workbook, a CSV file, a chart on the page."""

    key: str  # file and sheet name
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""  # how to read the figures, shown under the title on the page
    # The part of the review the table belongs to, shown as a heading above its first
    # table ("Lombardy–Limburg network"); empty for the centre's own tables.
    section: str = ""


@dataclass
class Review:
    period: Period
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def aware(moment: datetime) -> datetime:
    # Aggregates (min) bypass the UTC column type on SQLite and come back naive UTC.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
