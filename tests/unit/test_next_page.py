"""Next-page paging (services/next_page.py): what a page of rows tells without a count."""

from __future__ import annotations

import pytest

from forum.services.next_page import PageOfRows


def test_a_page_with_a_next_one_knows_its_rows_positions_but_not_the_total():
    page = PageOfRows(items=["d", "e", "f"], page=2, per_page=3, has_next=True)
    assert (page.first, page.last) == (4, 6)
    assert (page.prev_num, page.next_num) == (1, 3)
    assert page.total is None and page.pages is None


def test_the_last_page_gives_the_total_and_the_number_of_pages():
    page = PageOfRows(items=["g"], page=3, per_page=3, has_next=False)
    assert page.total == 7 and page.pages == 3
    assert page.has_prev and page.next_num is None


@pytest.mark.parametrize(
    ("page", "total", "has_prev"),
    [(1, 0, False), (5, None, True)],  # an empty list; a page past the end of one
)
def test_an_empty_page_is_an_empty_list_only_on_page_one(page, total, has_prev):
    empty = PageOfRows(items=[], page=page, per_page=20, has_next=False)
    assert empty.total == total and empty.has_prev is has_prev
    assert (empty.first, empty.last) == (0, 0)
    assert empty.pages == (1 if total == 0 else None)
