"""The thread a search document belongs to, in SQL: the search lists each thread once.

A question, its answers and its board answer share their question. An FAQ entry
drawn from one of that question's answers (or its board answer) joins that thread
too: it says again what the thread settled, and listed apart it took a second
place among the first results for the same words (issue 26). A guide section, or an
FAQ entry written from scratch, is a thread of its own: its negative document id,
which never meets a question's id.

Grouping reads only the documents the reader may see (the engines filter before),
so an FAQ entry whose thread is confidential to the reader is simply alone in it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func
from sqlalchemy.orm import aliased

from forum.models import Answer, BoardAnswer, FaqEntry, SearchDocument

_ENTRY = aliased(FaqEntry, name="thread_faq_entry")
_SOURCE_ANSWER = aliased(Answer, name="thread_source_answer")
_SOURCE_BOARD_ANSWER = aliased(BoardAnswer, name="thread_source_board_answer")


def joined(statement: Select) -> Select:
    """``statement`` (over ``SearchDocument``) outer-joined, by primary keys, to what
    names an FAQ entry's thread, for ``key``."""
    return (
        statement.outerjoin(_ENTRY, _ENTRY.id == SearchDocument.faq_entry_id)
        .outerjoin(_SOURCE_ANSWER, _SOURCE_ANSWER.id == _ENTRY.source_answer_id)
        .outerjoin(_SOURCE_BOARD_ANSWER, _SOURCE_BOARD_ANSWER.id == _ENTRY.source_board_answer_id)
    )


def key() -> ColumnElement[int]:
    """The document's thread, labelled ``thread``; needs ``joined``."""
    return func.coalesce(
        SearchDocument.question_id,
        _SOURCE_ANSWER.question_id,
        _SOURCE_BOARD_ANSWER.question_id,
        -SearchDocument.id,
    ).label("thread")
