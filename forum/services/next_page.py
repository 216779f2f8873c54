"""A page of a list read without counting the list ("next page" paging).

Counting every row a reader may see costs a scan of the whole visible list on each
request, and grows with the centre; reading ``per_page + 1`` rows tells whether a
next page exists at the cost of one more row. The list's total is then known only
where the rows themselves give it: on its last page (or a list that fits on one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable

from forum.extensions import db


def pages_for(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill, ``per_page`` a page (an empty list is one empty
    page)."""
    return max(-(-total // per_page), 1)


@dataclass(frozen=True)
class PageOfRows:
    """One page of a list: its rows, its number, and whether pages come before and after.

    ``total`` and ``pages`` are None where the rows do not give them (a page with a next
    one, or an empty page past the end), so a template shows them only where known.
    """

    items: list[Any]
    page: int
    per_page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    @property
    def first(self) -> int:
        """The list position of the page's first row (1-based); 0 on an empty page."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        """The list position of the page's last row; 0 on an empty page."""
        return (self.page - 1) * self.per_page + len(self.items) if self.items else 0

    @property
    def total(self) -> int | None:
        if self.has_next:
            return None
        if self.items:
            return self.last
        # An empty first page is an empty list; an empty later page is past the end,
        # which says nothing of where the end is.
        return 0 if self.page == 1 else None

    @property
    def pages(self) -> int | None:
        total = self.total
        if total is None:
            return None
        return pages_for(total, self.per_page)


def read_window(window: Callable[[int, int], Executable], page: int, per_page: int) -> PageOfRows:
    """Page ``page`` (from 1) of a list, ``per_page`` rows of it, in one query: ``window(limit,
    offset)`` returns the ordered statement of those rows (one entity or column per row;
    its eager-loading options apply as usual), so a list read as several ordered parts
    can cut each part at the window (services/questions.py)."""
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page start at 1")
    rows = list(db.session.scalars(window(per_page + 1, (page - 1) * per_page)).unique())
    return PageOfRows(rows[:per_page], page, per_page, has_next=len(rows) > per_page)
