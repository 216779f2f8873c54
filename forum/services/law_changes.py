"""Law-aware review: a change of a cited document puts every text citing it up for review.

An admin records that a cited document changed ("MDCG 2021-6 Rev.2 published
on 2026-11-20"). The citation index (``services.citations``) knows which
guide sections, FAQ entries, answers and board answers cite it: each gets a
``LawChangeFlag``. An open flag puts the text on the review-due list with the
change as its reason, and shows readers a dated notice on the text, until an
admin marks it reviewed. Both actions are audited.

Flags on answers carry their question, and every read applies the
question's visibility in SQL, as the clause pages do: a confidential answer
shows up only for those who may open it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from forum import calendar
from forum.extensions import db
from forum.models import (
    Answer,
    AuditAction,
    BoardAnswer,
    Citation,
    FaqEntry,
    GuideSection,
    LawChange,
    LawChangeFlag,
    Question,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import can_curate, can_see_law_reviews, visible_questions_clause
from forum.services import audit, citations
from forum.services.errors import PermissionDenied, RuleViolation
from forum.slugs import slugify

MAX_DESCRIPTION_LENGTH = 300  # LawChange.description


# --- recording a change -------------------------------------------------------------------


def record_change(
    admin: User, clause_slug: str, description: str, changed_on: date
) -> tuple[LawChange, int]:
    """Record that the document behind a cited clause changed, and flag every text citing
    it; returns the change and how many texts were flagged (committed).

    PermissionDenied for non-admins; RuleViolation (with the field) for a clause
    nothing cites, a missing description or a date in the future.
    """
    if not can_curate(admin):
        raise PermissionDenied(_l("Only the centre's admins record changes of the law."))
    description = " ".join((description or "").split())
    if not description:
        raise RuleViolation(
            _l("Say what changed, for example “MDCG 2021-6 Rev.2 published”."), field="description"
        )
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise RuleViolation(
            _l("Keep the description under %(count)d characters.", count=MAX_DESCRIPTION_LENGTH),
            field="description",
        )
    if changed_on > calendar.today():
        raise RuleViolation(
            _l("The date of the change cannot be in the future."), field="changed_on"
        )
    citing = db.session.execute(
        select(Citation.clause, Citation.subject_type, Citation.subject_id, Citation.question_id)
        .where(Citation.clause_slug == clause_slug)
        .order_by(Citation.subject_type, Citation.subject_id)
    ).all()
    if not citing:
        raise RuleViolation(
            _l("No text cites this clause: choose one from the list."), field="clause"
        )
    change = LawChange(
        clause=citing[0].clause,
        clause_slug=clause_slug,
        description=description,
        changed_on=changed_on,
        recorded_by_id=admin.id,
    )
    db.session.add(change)
    db.session.flush()
    for row in citing:
        db.session.add(
            LawChangeFlag(
                law_change_id=change.id,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                question_id=row.question_id,
            )
        )
    audit.record(
        admin,
        AuditAction.LAW_CHANGE_RECORDED,
        change,
        detail=f"{change.clause}: {description} on {changed_on.isoformat()}, "
        f"{len(citing)} texts flagged",
    )
    db.session.commit()
    return change, len(citing)


def cited_clauses(viewer) -> list[citations.ClauseCount]:
    """The clauses a change can be recorded for: those cited by a text the viewer sees."""
    return citations.clause_index(viewer)


# --- marking reviewed --------------------------------------------------------------------------


def mark_reviewed(flag: LawChangeFlag, admin: User) -> None:
    """An admin re-read a flagged text against the changed law: its notice goes (committed).

    PermissionDenied for non-admins; RuleViolation if it was reviewed already.
    """
    if not can_curate(admin):
        raise PermissionDenied(_l("Only the centre's admins mark texts reviewed."))
    if flag.reviewed_at is not None:
        raise RuleViolation(_l("This text was already marked reviewed."))
    flag.reviewed_at, flag.reviewed_by_id = utcnow(), admin.id
    audit.record(
        admin,
        AuditAction.LAW_CHANGE_REVIEWED,
        flag.law_change,
        question_id=flag.question_id,
        detail=f"{flag.subject_type} {flag.subject_id} reviewed after "
        f"“{flag.law_change.description}”",
    )
    db.session.commit()


def visible_flag(viewer, flag_id: int) -> LawChangeFlag | None:
    """An open or closed flag the viewer may see (its question included), else None."""
    return db.session.scalar(
        select(LawChangeFlag)
        .outerjoin(Question, Question.id == LawChangeFlag.question_id)
        .where(LawChangeFlag.id == flag_id, _flag_visible_to(viewer))
        .options(selectinload(LawChangeFlag.law_change))
    )


# --- the review-due list -----------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """A text to review because the law it cites changed."""

    flag: LawChangeFlag
    kind: str  # the citation subject type: guide-section, faq-entry, answer, board-answer
    title: str
    endpoint: str
    params: dict

    @property
    def change(self) -> LawChange:
        return self.flag.law_change


def due_for_review(viewer) -> list[DueItem]:
    """Every text with an open flag the viewer may see, oldest change first, with where
    to read it (five queries whatever the count). Texts gone since are left out."""
    if not can_see_law_reviews(viewer):
        return []
    flags = list(
        db.session.scalars(
            select(LawChangeFlag)
            .join(LawChangeFlag.law_change)
            .outerjoin(Question, Question.id == LawChangeFlag.question_id)
            .where(LawChangeFlag.reviewed_at.is_(None), _flag_visible_to(viewer))
            .options(contains_eager(LawChangeFlag.law_change))
            .order_by(
                LawChange.changed_on,
                LawChange.id,
                LawChangeFlag.subject_type,
                LawChangeFlag.subject_id,
            )
        )
    )
    ids: dict[str, set[int]] = defaultdict(set)
    for flag in flags:
        ids[flag.subject_type].add(flag.subject_id)
    sections = _by_id(GuideSection, ids["guide-section"])
    entries = _by_id(FaqEntry, ids["faq-entry"])
    answers = _by_id(Answer, ids["answer"], selectinload(Answer.question))
    board_answers = _by_id(BoardAnswer, ids["board-answer"], selectinload(BoardAnswer.question))
    items = []
    for flag in flags:
        item = _due_item(flag, sections, entries, answers, board_answers)
        if item is not None:
            items.append(item)
    return items


def open_count(viewer) -> int:
    """How many open flags the viewer may see (one query)."""
    if not can_see_law_reviews(viewer):
        return 0
    return (
        db.session.scalar(
            select(func.count(LawChangeFlag.id))
            .outerjoin(Question, Question.id == LawChangeFlag.question_id)
            .where(LawChangeFlag.reviewed_at.is_(None), _flag_visible_to(viewer))
        )
        or 0
    )


def recent_changes(limit: int = 20) -> list[LawChange]:
    """The changes recorded, newest first, with who recorded them."""
    return list(
        db.session.scalars(
            select(LawChange)
            .options(selectinload(LawChange.recorded_by))
            .order_by(LawChange.changed_on.desc(), LawChange.id.desc())
            .limit(limit)
        )
    )


# --- the readers' notices ------------------------------------------------------------------------


def open_notices(subject_type: str) -> dict[int, list[LawChange]]:
    """The changes still under review for the texts of one type (guide sections, FAQ
    entries), by text id, in one query. The caller shows them on texts its reader sees."""
    return _notices(LawChangeFlag.subject_type == subject_type)[subject_type]


def question_notices(question_id: int) -> dict[str, dict[int, list[LawChange]]]:
    """The changes under review for a question's answers and board answer, as
    {"answer": {id: [...]}, "board-answer": {id: [...]}}, in one query."""
    return _notices(LawChangeFlag.question_id == question_id)


# --- internals -------------------------------------------------------------------------------------


def _flag_visible_to(viewer):
    """Flags without a question (guide, FAQ) for all who may see the list; an answer's
    only with its question's visibility (the caller joins Question)."""
    return or_(LawChangeFlag.question_id.is_(None), visible_questions_clause(viewer))


def _notices(condition) -> dict[str, dict[int, list[LawChange]]]:
    statement = (
        select(LawChangeFlag.subject_type, LawChangeFlag.subject_id, LawChange)
        .join(LawChange, LawChange.id == LawChangeFlag.law_change_id)
        .where(condition, LawChangeFlag.reviewed_at.is_(None))
        .order_by(LawChange.changed_on, LawChange.id)
    )
    notices: dict[str, dict[int, list[LawChange]]] = defaultdict(lambda: defaultdict(list))
    for subject_type, subject_id, change in db.session.execute(statement):
        notices[subject_type][subject_id].append(change)
    return notices


def _by_id(model, ids: set[int], *options) -> dict[int, object]:
    if not ids:
        return {}
    return {
        row.id: row
        for row in db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    }


def _due_item(flag, sections, entries, answers, board_answers) -> DueItem | None:
    if flag.subject_type == "guide-section" and flag.subject_id in sections:
        section = sections[flag.subject_id]
        params = {"_anchor": section.anchor} if section.level > 1 else {}
        return DueItem(flag, flag.subject_type, section.title, "guide.index", params)
    if flag.subject_type == "faq-entry" and flag.subject_id in entries:
        entry = entries[flag.subject_id]
        return DueItem(
            flag,
            flag.subject_type,
            entry.question_text,
            "faq.index",
            {"entry": entry.id, "_anchor": f"faq-{entry.id}"},
        )
    if flag.subject_type == "answer" and flag.subject_id in answers:
        question = answers[flag.subject_id].question
        return DueItem(
            flag,
            flag.subject_type,
            question.title,
            "questions.show",
            {
                "question_id": question.id,
                "slug": slugify(question.title),
                "_anchor": f"answer-{flag.subject_id}",
            },
        )
    if flag.subject_type == "board-answer" and flag.subject_id in board_answers:
        question = board_answers[flag.subject_id].question
        return DueItem(
            flag,
            flag.subject_type,
            question.title,
            "questions.show",
            {
                "question_id": question.id,
                "slug": slugify(question.title),
                "_anchor": "board-answer",
            },
        )
    return None
