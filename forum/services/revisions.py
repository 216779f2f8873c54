"""The revision history of questions and answers, each revision with its difference from
the one before (``services.diffs``), and the note every kind of revision may carry."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Answer, Question, Revision, User
from forum.services.diffs import DiffLine, diff_texts

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
