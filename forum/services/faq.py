"""The FAQ: promoting an answer into an entry, and reading the published entries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Answer, FaqEntry, Topic, User
from forum.permissions import can_see_question
from forum.services.errors import PermissionDenied

# Regulation moves; an entry nobody has re-read for a year is suspect.
REVIEW_INTERVAL = timedelta(days=365)


@dataclass(frozen=True)
class FaqTopicGroup:
    topic: Topic
    entries: list[FaqEntry]


def promote_answer(admin: User, answer: Answer, *, question_text: str, answer_text: str,
                   topic: Topic, today: date | None = None) -> FaqEntry:
    """An admin turns an answer into an FAQ entry, rewritten (e.g. anonymised).

    Raises PermissionDenied for non-admins and for answers the admin cannot see.
    """
    if not admin.is_admin or not can_see_question(admin, answer.question):
        raise PermissionDenied(_l("Only the centre's admins promote answers into the FAQ."))
    today = today or date.today()
    last_position = db.session.scalar(
        select(func.max(FaqEntry.position)).where(FaqEntry.topic_id == topic.id)
    )
    entry = FaqEntry(
        topic=topic,
        position=(last_position or 0) + 1,
        question_text=question_text.strip(),
        answer_text=answer_text,
        source_answer=answer,
        created_by=admin,
        last_reviewed_on=today,
        review_due_on=today + REVIEW_INTERVAL,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def published_entries_by_topic() -> list[FaqTopicGroup]:
    """Published entries grouped by topic, topics and entries in their set order."""
    entries = db.session.scalars(
        select(FaqEntry)
        .join(FaqEntry.topic)
        .where(FaqEntry.published.is_(True))
        .options(
            selectinload(FaqEntry.topic),
            selectinload(FaqEntry.source_answer).selectinload(Answer.question),
        )
        .order_by(Topic.position, FaqEntry.position, FaqEntry.id)
    )
    groups: list[FaqTopicGroup] = []
    for entry in entries:
        if not groups or groups[-1].topic.id != entry.topic_id:
            groups.append(FaqTopicGroup(entry.topic, []))
        groups[-1].entries.append(entry)
    return groups
