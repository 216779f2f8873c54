"""The revision history of questions and answers, diffs between versions, and the note
every kind of revision may carry."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Answer, Question, Revision, User

# The column of a guide section's and of a translation's revision note.
MAX_NOTE_LENGTH = 300


def clean_note(note: str | None) -> str | None:
    """A revision's note stripped and cut to fit its column; None if empty."""
    return (note or "").strip()[:MAX_NOTE_LENGTH] or None


def record_revision(
    *,
    subject: Question | Answer,
    editor: User,
    body: str,
    title: str | None = None,
    note: str | None = None,
) -> Revision:
    """Add the next numbered revision of a question or an answer (not committed)."""
    is_question = isinstance(subject, Question)
    number = 1
    if subject.id is not None:
        column = Revision.question_id if is_question else Revision.answer_id
        number = (
            db.session.scalar(select(func.max(Revision.number)).where(column == subject.id)) or 0
        ) + 1
    revision = Revision(
        question=subject if is_question else None,
        answer=None if is_question else subject,
        number=number,
        title=title,
        body=body,
        note=(note or "").strip() or None,
        editor=editor,
    )
    db.session.add(revision)
    return revision


def revisions_of(subject: Question | Answer) -> list[Revision]:
    """All revisions of a question or an answer, oldest first, with their editors."""
    column = Revision.question_id if isinstance(subject, Question) else Revision.answer_id
    return list(
        db.session.scalars(
            select(Revision)
            .where(column == subject.id)
            .options(selectinload(Revision.editor))
            .order_by(Revision.number)
        )
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "hunk"
    text: str


CONTEXT_LINES = 2  # unchanged lines shown around each change


def diff_texts(before: str, after: str) -> list[DiffLine]:
    """A line diff of two texts, as lines a template can colour.

    The one diff of the forum (question, answer, board, FAQ and guide histories, the
    board's and the guide's conflict displays, release comparisons). Built from the
    matcher's opcodes, never by reading the lines of a unified diff back: there a
    removed Markdown rule ``---`` prints as ``----`` and was taken for a file header.
    """
    old, new = before.splitlines(), after.splitlines()
    lines = []
    for group in difflib.SequenceMatcher(None, old, new).get_grouped_opcodes(CONTEXT_LINES):
        first, last = group[0], group[-1]
        lines.append(
            DiffLine(
                "hunk", f"@@ -{_hunk_range(first[1], last[2])} +{_hunk_range(first[3], last[4])} @@"
            )
        )
        for tag, old_start, old_end, new_start, new_end in group:
            if tag == "equal":
                lines.extend(DiffLine("context", line) for line in old[old_start:old_end])
                continue
            lines.extend(DiffLine("removed", line) for line in old[old_start:old_end])
            lines.extend(DiffLine("added", line) for line in new[new_start:new_end])
    return lines


def _hunk_range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it: first line (1-based), count."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"


def history_with_diffs(subject: Question | Answer) -> list[tuple[Revision, list[DiffLine]]]:
    """Each revision with the diff from the one before it (the first against nothing), newest first."""
    entries = []
    previous_text = ""
    for revision in revisions_of(subject):
        text = revision_text(revision)
        entries.append((revision, diff_texts(previous_text, text)))
        previous_text = text
    entries.reverse()
    return entries


def revision_text(revision: Revision) -> str:
    """The text a diff compares: the title (for questions) above the body."""
    if revision.title is not None:
        return f"{revision.title}\n\n{revision.body}"
    return revision.body
