"""What a URL names, found for the current reader or answered with a 404, and the URL
of a question: shared by every blueprint that leads to or from one.

A 404 (never a 403) for what the reader may not see: it hides that the thing exists.
"""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from forum.services import questions
from forum.slugs import slugify
from forum.web.forms import MAX_ID


def bounded_id_or_404(number: int) -> int:
    """``number`` if a row could have it as its id (1 to ``MAX_ID``), else a 404.

    A larger number names nothing, and would reach the database only to overflow
    there (SQLite cannot even take it as a parameter): a 500 instead of a 404.
    """
    if not 0 < number <= MAX_ID:
        abort(404)
    return number


def visible_question_or_404(question_id: int):
    """The question if the current user may see it; otherwise a 404, which hides that it exists."""
    question = questions.find_visible_question(current_user, bounded_id_or_404(question_id))
    if question is None:
        abort(404)
    return question


def question_url(question, **anchor) -> str:
    """The question page's address, with its readable slug (and ``_anchor=`` if given)."""
    return url_for(
        "questions.show", question_id=question.id, slug=slugify(question.title), **anchor
    )
