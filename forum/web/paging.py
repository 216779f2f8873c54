"""What a list page was asked for: the page number (``?page=``), bounded, and a choice
among an enumeration's values (a state, a sort), forgiving of hand-edited URLs."""

from __future__ import annotations

from flask import request

# Past this, the OFFSET a page number becomes overflows SQLite's integers (and
# PostgreSQL's bigint soon after); no list here is that long.
MAX_PAGE = 1_000_000


def requested_page(maximum: int = MAX_PAGE) -> int:
    """``?page=`` as a number from 1 to ``maximum``; a missing or non-numeric value is page 1."""
    return min(max(request.args.get("page", 1, type=int), 1), maximum)


def requested_choice(enum, name: str, default=None):
    """``?<name>=`` when it is one of ``enum``'s values; else ``default``.

    A hand-edited or stale URL then shows the list as if the parameter were absent (the
    page shows which choice applies) rather than an error page.
    """
    value = request.args.get(name)
    return enum(value) if value in set(enum) else default
