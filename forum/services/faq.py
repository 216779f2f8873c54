"""The FAQ: promoting answers into entries, curating them, and reading the published ones.

An admin promotes an individual answer or a published board answer, rewriting
its question and answer (to anonymise a confidential source, say). Every save
of an entry's text is a numbered FaqRevision, the promotion being number 1.
Entries are ordered by ``position`` within their topic and carry the date they
were last reviewed and the date their next review is due. Every curation action
is in the audit log, and the citations index follows what is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import calendar
from forum.extensions import db
from forum.models import (
    Answer,
    AuditAction,
    BoardAnswer,
    BoardAnswerStatus,
    FaqEntry,
    FaqRevision,
    Question,
    Topic,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import can_curate, can_see_question
from forum.services import audit, citations, content, faq_sources
from forum.services.diffs import DiffLine, diff_texts
from forum.services.errors import PermissionDenied, RuleViolation

# Regulation moves; an entry nobody has re-read for a year is suspect.
REVIEW_INTERVAL = timedelta(days=365)
MAX_QUESTION_LENGTH = 300  # the column's size
DIRECTIONS = ("up", "down")


@dataclass(frozen=True)
class FaqTopicGroup:
    topic: Topic
    entries: list[FaqEntry]


@dataclass(frozen=True)
class FaqSource:
    """Where an entry came from: the question, and the anchor of the answer on its page."""

    question: Question
    anchor: str


# --- reading -------------------------------------------------------------------


def with_sources(statement):
    """``statement`` loading each entry's topic and source question (one query each)."""
    return statement.options(
        selectinload(FaqEntry.topic),
        selectinload(FaqEntry.source_answer).selectinload(Answer.question),
        selectinload(FaqEntry.source_board_answer).selectinload(BoardAnswer.question),
    )


def grouped_by_topic(entries) -> list[FaqTopicGroup]:
    """Entries in reading order, one group per run of a topic."""
    groups: list[FaqTopicGroup] = []
    for entry in entries:
        if not groups or groups[-1].topic.id != entry.topic_id:
            groups.append(FaqTopicGroup(entry.topic, []))
        groups[-1].entries.append(entry)
    return groups


def in_reading_order(statement):
    """``statement`` ordered as the FAQ reads: topics in their set order, entries in theirs
    (ids break ties, so a page of the FAQ is always the same slice)."""
    return statement.join(FaqEntry.topic).order_by(
        Topic.position, Topic.id, FaqEntry.position, FaqEntry.id
    )


def published_entries_by_topic(topic_id: int | None = None) -> list[FaqTopicGroup]:
    """Published entries grouped by topic, topics and entries in their set order; only
    the topic ``topic_id``'s when given."""
    statement = select(FaqEntry).where(FaqEntry.published.is_(True))
    if topic_id is not None:
        statement = statement.where(FaqEntry.topic_id == topic_id)
    return grouped_by_topic(db.session.scalars(with_sources(in_reading_order(statement))))


def published_topic_counts() -> list[tuple[Topic, int]]:
    """The topics that have published entries, in their set order, with how many: one query."""
    count = func.count(FaqEntry.id)
    return [
        (topic, number)
        for topic, number in db.session.execute(
            select(Topic, count)
            .join(FaqEntry, FaqEntry.topic_id == Topic.id)
            .where(FaqEntry.published.is_(True))
            .group_by(Topic.id)
            .order_by(Topic.position, Topic.id)
        )
    ]


def topic_by_slug(slug: str) -> Topic | None:
    """The topic with this slug, or None (for the FAQ's ?topic= filter)."""
    return db.session.scalar(select(Topic).where(Topic.slug == slug[:60]))


def admin_list() -> list[FaqTopicGroup]:
    """Every entry, published or not, grouped by topic in order, with its source (for admins)."""
    return grouped_by_topic(db.session.scalars(with_sources(in_reading_order(select(FaqEntry)))))


def entries_due_for_review(today: date | None = None) -> list[FaqEntry]:
    """Published entries whose review is due on or before ``today``, most overdue first."""
    today = today or calendar.today()
    return list(
        db.session.scalars(
            with_sources(select(FaqEntry))
            .where(FaqEntry.published.is_(True), FaqEntry.review_due_on <= today)
            .order_by(FaqEntry.review_due_on, FaqEntry.id)
        )
    )


def source_of(entry: FaqEntry) -> FaqSource | None:
    """The question (and answer anchor) an entry was promoted from, if it still exists.

    The caller decides whether the reader may be shown it (``can_see_question``).
    """
    if entry.source_answer is not None:
        return FaqSource(entry.source_answer.question, f"answer-{entry.source_answer.id}")
    if entry.source_board_answer is not None:
        return FaqSource(entry.source_board_answer.question, "board-answer")
    return None


def load_entry(entry_id: int) -> FaqEntry | None:
    """An entry with its topic and source, or None."""
    return db.session.scalar(with_sources(select(FaqEntry).where(FaqEntry.id == entry_id)))


def history_with_diffs(entry: FaqEntry) -> list[tuple[FaqRevision, list[DiffLine]]]:
    """Each revision with the diff from the one before it (the first against nothing), newest first."""
    revisions = db.session.scalars(
        select(FaqRevision)
        .where(FaqRevision.faq_entry_id == entry.id)
        .options(selectinload(FaqRevision.editor))
        .order_by(FaqRevision.number)
    )
    history = []
    previous = ""
    for revision in revisions:
        text = revision_text(revision)
        history.append((revision, diff_texts(previous, text)))
        previous = text
    history.reverse()
    return history


def revision_text(revision: FaqRevision) -> str:
    """What a diff compares: the question above the answer."""
    return f"{revision.question_text}\n\n{revision.answer_text}"


# --- promoting ---------------------------------------------------------------------


def promote_answer(
    admin: User,
    answer: Answer,
    *,
    question_text: str,
    answer_text: str,
    topic: Topic,
    today: date | None = None,
) -> FaqEntry:
    """An admin turns an answer into an FAQ entry, rewritten (e.g. anonymised).

    Raises PermissionDenied for non-admins and for answers the admin cannot see,
    RuleViolation (with the field) for an empty or too long text, AlreadyInFaq when
    the answer is already promoted.
    """
    if not can_curate(admin) or not can_see_question(admin, answer.question):
        raise PermissionDenied(_l("Only the centre's admins promote answers into the FAQ."))
    return _create(
        admin,
        answer.question,
        question_text=question_text,
        answer_text=answer_text,
        topic=topic,
        today=today,
        source_answer=answer,
    )


def promote_board_answer(
    admin: User,
    board_answer: BoardAnswer,
    *,
    question_text: str,
    answer_text: str,
    topic: Topic,
    today: date | None = None,
) -> FaqEntry:
    """An admin turns the board's published answer into an FAQ entry, rewritten as needed.

    Raises PermissionDenied for non-admins and for answers the admin cannot see,
    RuleViolation if the board answer is not published (drafts and withdrawn
    answers are not the board's word) or for an empty or too long text, AlreadyInFaq
    when it is already promoted.
    """
    if not can_curate(admin) or not can_see_question(admin, board_answer.question):
        raise PermissionDenied(_l("Only the centre's admins promote answers into the FAQ."))
    if board_answer.status != BoardAnswerStatus.PUBLISHED or board_answer.published_body is None:
        raise RuleViolation(_l("Only a published board answer can be promoted into the FAQ."))
    return _create(
        admin,
        board_answer.question,
        question_text=question_text,
        answer_text=answer_text,
        topic=topic,
        today=today,
        source_board_answer=board_answer,
    )


def _create(
    admin: User,
    question: Question,
    *,
    question_text: str,
    answer_text: str,
    topic: Topic,
    today: date | None,
    source_answer: Answer | None = None,
    source_board_answer: BoardAnswer | None = None,
) -> FaqEntry:
    question_text, answer_text = checked_texts(question_text, answer_text)
    promoted = faq_sources.entry_drawn_from(source_answer, source_board_answer)
    if promoted is not None:
        raise faq_sources.AlreadyInFaq(promoted.id)
    today = today or calendar.today()
    entry = FaqEntry(
        topic=topic,
        position=_next_position(topic),
        question_text=question_text,
        answer_text=answer_text,
        source_answer=source_answer,
        source_board_answer=source_board_answer,
        created_by=admin,
        last_reviewed_on=today,
        review_due_on=today + REVIEW_INTERVAL,
        published=True,
        cited_clauses=citations.clauses_to_store(question_text, answer_text),
    )
    db.session.add(entry)
    db.session.add(
        FaqRevision(
            entry=entry,
            number=1,
            question_text=question_text,
            answer_text=answer_text,
            editor=admin,
        )
    )
    try:
        db.session.flush()
    except IntegrityError:
        # The same answer promoted at the same moment by another request (unique index).
        db.session.rollback()
        raise faq_sources.AlreadyInFaq(None) from None
    source = "board answer" if source_board_answer is not None else "answer"
    source_id = (source_board_answer or source_answer).id
    audit.record(
        admin,
        AuditAction.FAQ_ENTRY_PROMOTED,
        entry,
        question_id=question.id,
        detail=f"from {source} {source_id} into topic {topic.slug}",
    )
    content.saved(entry)
    db.session.commit()
    return entry


# --- curating ----------------------------------------------------------------------


def edit_entry(
    entry: FaqEntry, admin: User, question_text: str, answer_text: str, topic: Topic, note: str = ""
) -> FaqEntry:
    """Save a new version of an entry's text, or move it to another topic (last there).

    A changed text is a new numbered revision with the note; an edit that
    changes nothing records nothing. Raises PermissionDenied for non-admins,
    RuleViolation (with the field) for an empty or too long text.
    """
    _require_curator(admin)
    question_text, answer_text = checked_texts(question_text, answer_text)
    text_changed = (question_text, answer_text) != (entry.question_text, entry.answer_text)
    topic_changed = topic.id != entry.topic_id
    if not text_changed and not topic_changed:
        return entry
    changes = []
    if text_changed:
        entry.question_text = question_text
        entry.answer_text = answer_text
        entry.cited_clauses = citations.clauses_to_store(question_text, answer_text)
        number = _next_revision_number(entry)
        db.session.add(
            FaqRevision(
                entry=entry,
                number=number,
                question_text=question_text,
                answer_text=answer_text,
                note=_clean(note),
                editor=admin,
            )
        )
        changes.append(f"revision {number}")
    if topic_changed:
        changes.append(f"topic {entry.topic.slug} -> {topic.slug}")
        entry.position = _next_position(topic)
        entry.topic = topic
    entry.updated_at = utcnow()
    audit.record(
        admin,
        AuditAction.FAQ_ENTRY_EDITED,
        entry,
        question_id=_source_question_id(entry),
        detail="; ".join(changes),
    )
    content.saved(entry)
    db.session.commit()
    return entry


def mark_reviewed(entry: FaqEntry, admin: User, today: date | None = None) -> FaqEntry:
    """An admin confirms the entry still holds: reviewed today, next review in a year."""
    _require_curator(admin)
    today = today or calendar.today()
    entry.last_reviewed_on = today
    entry.review_due_on = today + REVIEW_INTERVAL
    audit.record(
        admin,
        AuditAction.FAQ_ENTRY_REVIEWED,
        entry,
        question_id=_source_question_id(entry),
        detail=f"next review due {entry.review_due_on.isoformat()}",
    )
    db.session.commit()
    return entry


def move(entry: FaqEntry, admin: User, direction: str) -> FaqEntry:
    """Swap the entry with its neighbour above ("up") or below ("down") in its topic.

    Raises RuleViolation for another direction, or when the entry is already
    first (up) or last (down).
    """
    _require_curator(admin)
    if direction not in DIRECTIONS:
        raise RuleViolation(_l("Move an entry up or down."))
    siblings = list(
        db.session.scalars(
            select(FaqEntry)
            .where(FaqEntry.topic_id == entry.topic_id)
            .order_by(FaqEntry.position, FaqEntry.id)
        )
    )
    # Positions may have gaps or ties (entries moved away, older rows); number
    # them afresh so a swap always changes the order.
    for number, sibling in enumerate(siblings, start=1):
        sibling.position = number
    index = siblings.index(entry)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        if direction == "up":
            raise RuleViolation(_l("This entry is already the first of its topic."))
        raise RuleViolation(_l("This entry is already the last of its topic."))
    neighbour = siblings[other]
    entry.position, neighbour.position = neighbour.position, entry.position
    audit.record(
        admin,
        AuditAction.FAQ_ENTRY_MOVED,
        entry,
        question_id=_source_question_id(entry),
        detail=f"{direction} to position {entry.position} in {entry.topic.slug}",
    )
    db.session.commit()
    return entry


def unpublish(entry: FaqEntry, admin: User) -> FaqEntry:
    """Take an entry off /faq (kept, with its history, for the admins); its citations go."""
    _require_curator(admin)
    if not entry.published:
        raise RuleViolation(_l("This entry is not published."))
    entry.published = False
    entry.updated_at = utcnow()
    audit.record(
        admin, AuditAction.FAQ_ENTRY_UNPUBLISHED, entry, question_id=_source_question_id(entry)
    )
    content.saved(entry)
    db.session.commit()
    return entry


def republish(entry: FaqEntry, admin: User) -> FaqEntry:
    """Put an unpublished entry back on /faq; its citations come back."""
    _require_curator(admin)
    if entry.published:
        raise RuleViolation(_l("This entry is already published."))
    entry.published = True
    entry.updated_at = utcnow()
    audit.record(
        admin, AuditAction.FAQ_ENTRY_REPUBLISHED, entry, question_id=_source_question_id(entry)
    )
    content.saved(entry)
    db.session.commit()
    return entry


# --- internals -----------------------------------------------------------------------


def _require_curator(user: User) -> None:
    if not can_curate(user):
        raise PermissionDenied(_l("Only the centre's admins curate the FAQ."))


def checked_texts(question_text: str, answer_text: str) -> tuple[str, str]:
    """The question and answer stripped; RuleViolation (with the field) if either is empty or
    the question too long. Translations are held to the same."""
    question_text = (question_text or "").strip()
    answer_text = (answer_text or "").strip()
    if not question_text:
        raise RuleViolation(
            _l("Write the question as the FAQ will show it."), field="question_text"
        )
    if len(question_text) > MAX_QUESTION_LENGTH:
        raise RuleViolation(
            _l("Keep the question under %(max)d characters.", max=MAX_QUESTION_LENGTH),
            field="question_text",
        )
    if not answer_text:
        raise RuleViolation(_l("Write the answer as the FAQ will show it."), field="answer_text")
    return question_text, answer_text


def _next_position(topic: Topic) -> int:
    last = db.session.scalar(
        select(func.max(FaqEntry.position)).where(FaqEntry.topic_id == topic.id)
    )
    return (last or 0) + 1


def _next_revision_number(entry: FaqEntry) -> int:
    last = db.session.scalar(
        select(func.max(FaqRevision.number)).where(FaqRevision.faq_entry_id == entry.id)
    )
    return (last or 0) + 1


def _source_question_id(entry: FaqEntry) -> int | None:
    source = source_of(entry)
    return source.question.id if source is not None else None


def _clean(note: str) -> str | None:
    return (note or "").strip()[:300] or None
