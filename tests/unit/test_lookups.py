"""The web layer's shared lookups: ids past what a column holds and page numbers past
any list are answered before they reach the database."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from forum.web.forms import MAX_ID
from forum.web.lookups import bounded_id_or_404
from forum.web.paging import MAX_PAGE, requested_page


@pytest.mark.parametrize("number", [1, 12, MAX_ID])
def test_an_id_a_column_can_hold_passes(number):
    assert bounded_id_or_404(number) == number


@pytest.mark.parametrize("number", [0, -1, MAX_ID + 1, 2**63])
def test_an_id_no_column_can_hold_is_not_found(number):
    with pytest.raises(NotFound):
        bounded_id_or_404(number)


@pytest.mark.parametrize(
    ("query", "maximum", "page"),
    [
        ("", MAX_PAGE, 1),
        ("?page=abc", MAX_PAGE, 1),
        ("?page=-3", MAX_PAGE, 1),
        ("?page=7", MAX_PAGE, 7),
        ("?page=99999999999999999999", MAX_PAGE, MAX_PAGE),
        ("?page=5000", 1_000, 1_000),
    ],
)
def test_the_page_number_is_bounded_to_the_lists_maximum(app, query, maximum, page):
    with app.test_request_context("/questions" + query):
        assert requested_page(maximum) == page
