"""Six months of visit figures for the demo, so the review has a history to show.

Only aggregates (``VisitDay``) are made: visitor marks and salts exist for the
current day only, and real counting fills today. Deterministic (one seeded
``random.Random``) and idempotent: days and sections that have figures keep them.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from forum.extensions import db
from forum.models import VisitDay
from forum.services.visits import SECTIONS

HISTORY_DAYS = 190
# Views on an ordinary weekday at the end of the period, by section.
BASE_VIEWS = {
    "home": 48, "questions": 75, "faq": 32, "guide": 26, "clinics": 9,
    "experts": 12, "board": 7, "search": 14, "other": 18,
}


def seed_visit_history(today: date | None = None) -> int:
    """Add the figures of the last ``HISTORY_DAYS`` days (before today) that are missing.

    The forum grows from about a third of today's traffic; weekends are quieter.
    Returns the number of rows added.
    """
    today = today or date.today()
    first = today - timedelta(days=HISTORY_DAYS)
    existing = {(day, section) for day, section in db.session.execute(
        select(VisitDay.day, VisitDay.section).where(VisitDay.day >= first, VisitDay.day < today)
    )}
    rng = random.Random(2026)
    rows = []
    for offset in range(HISTORY_DAYS):
        day = first + timedelta(days=offset)
        growth = 0.35 + 0.65 * offset / (HISTORY_DAYS - 1)
        weekday = 0.35 if day.weekday() >= 5 else 1.0
        for section in SECTIONS:
            # Drawn for every day and section, so the figures do not depend on what exists.
            noise, share = rng.uniform(0.75, 1.25), rng.uniform(0.45, 0.7)
            if (day, section) in existing:
                continue
            views = max(0, round(BASE_VIEWS[section] * growth * weekday * noise))
            rows.append({"day": day, "section": section, "views": views,
                         "unique_visitors": min(views, max(1 if views else 0,
                                                           round(views * share)))})
    if rows:
        db.session.execute(insert(VisitDay), rows)
        db.session.commit()
    return len(rows)
