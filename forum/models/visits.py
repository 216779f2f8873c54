"""Visit counts per day and section, kept without cookies and without IP addresses.

A visitor is a hash of (day's salt, IP address, user agent). The salt is
random, stored for its day only and deleted afterwards, so yesterday's hashes
can no longer be linked to anyone. Requests are counted in memory and written
in batches (forum/services/visits.py), never one write per request.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db


class VisitDay(db.Model):
    """Page views and unique visitors of one section on one day."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    section: Mapped[str] = mapped_column(String(40), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    unique_visitors: Mapped[int] = mapped_column(Integer, default=0)


class VisitorMark(db.Model):
    """A visitor seen in a section on a day (the day's salted hash); deleted with the salt."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    section: Mapped[str] = mapped_column(String(40), primary_key=True)
    visitor_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class VisitSalt(db.Model):
    """The salt of one day, shared by all workers; forgotten once the day is over."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))
