"""The page number a list page was asked for (``?page=``), bounded."""

from __future__ import annotations

from flask import request

# Past this, the OFFSET a page number becomes overflows SQLite's integers (and
# PostgreSQL's bigint soon after); no list here is that long.
MAX_PAGE = 1_000_000


def requested_page(maximum: int = MAX_PAGE) -> int:
    """``?page=`` as a number from 1 to ``maximum``; a missing or non-numeric value is page 1."""
    return min(max(request.args.get("page", 1, type=int), 1), maximum)
