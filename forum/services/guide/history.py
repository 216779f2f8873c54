"""A section's history: its revisions, each with its diff from the one before, and the
answers they were drawn from (only those the viewer may see)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Answer, BoardAnswer, GuideRevision, GuideSection
from forum.permissions import can_see_question
from forum.services.diffs import DiffLine, diff_texts


@dataclass(frozen=True)
class DrawnFrom:
    """An answer a revision was drawn from, as a link to its place on the question page."""

    question_id: int
    question_title: str
    answer_id: int | None  # None for the board's answer
    is_board_answer: bool


@dataclass(frozen=True)
class HistoryEntry:
    revision: GuideRevision
    diff: list[DiffLine]
    source: DrawnFrom | None  # None also when the viewer may not see the source's question


@dataclass(frozen=True)
class SectionHistory:
    section: GuideSection
    entries: list[HistoryEntry]  # newest first
    drawn_from: list[DrawnFrom]  # distinct, those the viewer may see, oldest first


def section_history(viewer, section_id: int) -> SectionHistory | None:
    """A section's revisions, each with its diff from the one before and the answer it
    was drawn from (only if the viewer may see that question); None for an unknown id."""
    section = db.session.scalar(
        select(GuideSection)
        .where(GuideSection.id == section_id)
        .options(
            selectinload(GuideSection.parent),
            selectinload(GuideSection.revisions).options(
                selectinload(GuideRevision.editor),
                selectinload(GuideRevision.proposer),
                selectinload(GuideRevision.source_answer).selectinload(Answer.question),
                selectinload(GuideRevision.source_board_answer).selectinload(BoardAnswer.question),
            ),
        )
    )
    if section is None:
        return None
    entries, drawn_from = [], []
    previous = ""
    for revision in section.revisions:
        text = revision_text(revision)
        source = _drawn_from(viewer, revision)
        if source is not None and source not in drawn_from:
            drawn_from.append(source)
        entries.append(HistoryEntry(revision, diff_texts(previous, text), source))
        previous = text
    entries.reverse()
    return SectionHistory(section, entries, drawn_from)


def revision_text(revision: GuideRevision) -> str:
    """What a diff compares: the title above the body."""
    return f"{revision.title}\n\n{revision.body}" if revision.body else revision.title


def _drawn_from(viewer, revision: GuideRevision) -> DrawnFrom | None:
    if revision.source_answer is not None:
        question = revision.source_answer.question
        answer_id, is_board = revision.source_answer.id, False
    elif revision.source_board_answer is not None:
        question = revision.source_board_answer.question
        answer_id, is_board = None, True
    else:
        return None
    if not can_see_question(viewer, question):
        return None
    return DrawnFrom(question.id, question.title, answer_id, is_board)
