"""Six months of visit figures for the demo, so the review has a history to show.

Only aggregates (``VisitDay``) are made: visitor marks and salts exist for the
current day only, and real counting fills today. Each day has its sections' rows
and the whole site's (``SITE``): the site's views are the sum of the sections',
its unique visitors fewer than the sum of theirs, since many people read more
than one section in a visit. Deterministic (seeded ``random.Random``s) and
idempotent: days and sections that have figures keep them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from forum import calendar
from forum.extensions import db
from forum.models import VisitDay
from forum.services.visits import SECTIONS, SITE

HISTORY_DAYS = 190
# Views on an ordinary weekday at the end of the period, by section.
BASE_VIEWS = {
    "home": 48,
    "questions": 75,
    "faq": 32,
    "guide": 26,
    "clinics": 9,
    "experts": 12,
    "board": 7,
    "search": 14,
    "other": 18,
}
# The site's unique visitors of a day as a share of the sum of its sections': a
# visitor reads between one and two sections on average.
SITE_SHARE = (0.5, 0.7)


def seed_visit_history(today: date | None = None) -> int:
    """Add the figures of the last ``HISTORY_DAYS`` days (before today) that are missing.

    The forum grows from about a third of today's traffic; weekends are quieter.
    A missing site row is made from the figures its day's sections hold (drawn
    or already there). Returns the number of rows added.
    """
    today = today or calendar.today()
    first = today - timedelta(days=HISTORY_DAYS)
    existing = {
        (day, section): (views, visitors)
        for day, section, views, visitors in db.session.execute(
            select(VisitDay.day, VisitDay.section, VisitDay.views, VisitDay.unique_visitors).where(
                VisitDay.day >= first, VisitDay.day < today
            )
        )
    }
    rng = random.Random(2026)
    # A generator of its own for the site, so the sections' figures stay as they were.
    site_rng = random.Random(2027)
    rows = []
    for offset in range(HISTORY_DAYS):
        day = first + timedelta(days=offset)
        growth = 0.35 + 0.65 * offset / (HISTORY_DAYS - 1)
        weekday = 0.35 if day.weekday() >= 5 else 1.0
        held: list[tuple[int, int]] = []  # each section's (views, unique visitors) that day
        for section in SECTIONS:
            # Drawn for every day and section, so the figures do not depend on what exists.
            noise, share = rng.uniform(0.75, 1.25), rng.uniform(0.45, 0.7)
            if (day, section) in existing:
                held.append(existing[(day, section)])
                continue
            views = max(0, round(BASE_VIEWS[section] * growth * weekday * noise))
            visitors = min(views, max(1 if views else 0, round(views * share)))
            rows.append(
                {"day": day, "section": section, "views": views, "unique_visitors": visitors}
            )
            held.append((views, visitors))
        site_share = site_rng.uniform(*SITE_SHARE)
        if (day, SITE) in existing:
            continue
        summed = sum(visitors for _views, visitors in held)
        # Never fewer than the busiest section's visitors: each of them visited the site.
        site_visitors = max(
            max((visitors for _views, visitors in held), default=0), round(summed * site_share)
        )
        rows.append(
            {
                "day": day,
                "section": SITE,
                "views": sum(views for views, _ in held),
                "unique_visitors": min(site_visitors, summed),
            }
        )
    if rows:
        db.session.execute(insert(VisitDay), rows)
        db.session.commit()
    return len(rows)
