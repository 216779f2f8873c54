"""The answer or published board answer a curated text is drawn from, named in the query
string (``?answer=<id>`` or ``?board_answer=<id>``): promoting into the FAQ, an admin's or an
expert's proposal for the guide. One reading of those parameters for the three."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from forum.extensions import db
from forum.models import Answer, BoardAnswer, BoardAnswerStatus
from forum.permissions import can_see_question
from forum.web.lookups import bounded_id_or_404


class DrawnFrom:
    """An answer or a published board answer, with its question and the text to draw."""

    def __init__(self, answer: Answer | None = None, board_answer: BoardAnswer | None = None):
        self.answer = answer
        self.board_answer = board_answer
        self.subject: Answer | BoardAnswer = answer if answer is not None else board_answer
        self.question = self.subject.question
        self.text = answer.body if answer is not None else board_answer.published_body
        self.anchor = f"answer-{answer.id}" if answer is not None else "board-answer"
        self.params = (
            {"answer": answer.id} if answer is not None else {"board_answer": board_answer.id}
        )


def named_in_query() -> DrawnFrom | None:
    """The source the query string names, or None when it names none.

    404 when it names both, for an id no column can hold (it would overflow the query),
    for unknown ids, for what the reader cannot see, and for a board answer that is
    not published.
    """
    answer_id = request.args.get("answer", type=int)
    board_answer_id = request.args.get("board_answer", type=int)
    if answer_id is None and board_answer_id is None:
        return None
    if answer_id is not None and board_answer_id is not None:
        abort(404)
    bounded_id_or_404(answer_id if answer_id is not None else board_answer_id)
    if answer_id is not None:
        answer = db.session.get(Answer, answer_id)
        if answer is None or not can_see_question(current_user, answer.question):
            abort(404)
        return DrawnFrom(answer=answer)
    board_answer = db.session.get(BoardAnswer, board_answer_id)
    if (
        board_answer is None
        or board_answer.status != BoardAnswerStatus.PUBLISHED
        or board_answer.published_body is None
        or not can_see_question(current_user, board_answer.question)
    ):
        abort(404)
    return DrawnFrom(board_answer=board_answer)


def named_in_query_or_404() -> DrawnFrom:
    """The source the query string names; 404 as ``named_in_query``, and when it names none."""
    drawn = named_in_query()
    if drawn is None:
        abort(404)
    return drawn
