"""The forum's calendar: days are the forum's local days (``FORUM_TIMEZONE``, Europe/Rome
by default), not the server's, which usually runs on UTC.

Between midnight in Rome and midnight UTC the two disagree about the date; every
"today", every day a moment falls on and every day's first instant is read here,
so a period, a referral's date and a search filter agree with each other.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")


def today() -> date:
    """Today in the forum's time zone."""
    return datetime.now(zone()).date()


def day_of(moment: datetime) -> date:
    """The forum's local day an instant falls on."""
    return moment.astimezone(zone()).date()


def start_of(day: date) -> datetime:
    """The first instant of a local day (midnight in the forum's time zone)."""
    return datetime.combine(day, time.min, tzinfo=zone())
