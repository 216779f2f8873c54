"""What the sitemap lists: the public pages a search engine may index, with the time
each last changed, read as a visitor reads them (``feeds.VISITOR``), whoever asks.

The questions are listed in numbered parts of at most ``per_part`` each (the sitemap
protocol allows 50,000 addresses a file); everything else fits one part. Each
function runs a fixed number of queries, however many rows there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    CentrePage,
    CentrePageRevision,
    FaqEntry,
    GuideRelease,
    GuideSection,
    Question,
    Role,
    Topic,
    User,
)
from forum.services import citations
from forum.services.feeds import VISITOR, public_questions_clause


@dataclass(frozen=True)
class QuestionPlace:
    id: int
    title: str
    updated_at: datetime


@dataclass(frozen=True)
class FixedPlaces:
    """The pages other than questions: what links them, and when the FAQ and guide changed."""

    centre_pages: list[tuple[CentrePage, datetime]]  # the written ones, with their last edit
    topic_slugs: list[str]
    releases: list[tuple[str, datetime]]  # (version, published at)
    expert_ids: list[int]
    clause_slugs: list[str]
    faq_changed_at: datetime | None
    guide_changed_at: datetime | None


def count_public_questions() -> int:
    """How many questions a visitor may open (one query)."""
    return db.session.scalar(
        select(func.count()).select_from(Question).where(public_questions_clause())
    )


def public_questions(part: int, per_part: int) -> list[QuestionPlace]:
    """The ``part``-th slice (from 1) of the public questions in id order (one query): a
    question keeps its part as others are asked, so each part changes little."""
    rows = db.session.execute(
        select(Question.id, Question.stored_title, Question.updated_at)
        .where(public_questions_clause())
        .order_by(Question.id)
        .offset((part - 1) * per_part)
        .limit(per_part)
    )
    return [QuestionPlace(id, title, updated_at) for id, title, updated_at in rows]


def fixed_places(limit: int) -> FixedPlaces:
    """Topics, published releases, experts' profiles and the clauses cited in public
    texts, each list cut at ``limit``; the centre's written pages (seven queries)."""
    centre_pages = [
        (page, changed_at)
        for page, changed_at in db.session.execute(
            select(CentrePageRevision.page, func.max(CentrePageRevision.created_at))
            .group_by(CentrePageRevision.page)
            .order_by(CentrePageRevision.page)
        )
    ]
    topic_slugs = list(db.session.scalars(select(Topic.slug).order_by(Topic.position).limit(limit)))
    releases = [
        (version, published_at)
        for version, published_at in db.session.execute(
            select(GuideRelease.version, GuideRelease.published_at)
            .where(GuideRelease.published_at.is_not(None))
            .order_by(GuideRelease.published_at.desc())
            .limit(limit)
        )
    ]
    # The profiles experts.load_expert opens: an expert who deleted their account has none.
    expert_ids = list(
        db.session.scalars(
            select(User.id)
            .where(User.role == Role.EXPERT, User.active.is_(True), User.deleted_at.is_(None))
            .order_by(User.id)
            .limit(limit)
        )
    )
    clause_slugs = [item.slug for item in citations.clause_index(VISITOR)][:limit]
    faq_changed_at = db.session.scalar(
        select(func.max(FaqEntry.updated_at)).where(FaqEntry.published.is_(True))
    )
    guide_changed_at = db.session.scalar(select(func.max(GuideSection.updated_at)))
    return FixedPlaces(
        centre_pages,
        topic_slugs,
        releases,
        expert_ids,
        clause_slugs,
        faq_changed_at,
        guide_changed_at,
    )
