"""What the Atom feeds carry: the newest FAQ entries, guide releases and a topic's
questions, each read as a visitor reads them.

A feed is a public document: a reader's feed program fetches it without a session,
and an address pasted by an expert must not carry confidential questions to whoever
they share it with. So every function here reads as ``VISITOR`` does, whoever asks:
published entries and releases only, public questions that moderation leaves
visible and whose text was not removed. Each list is bounded (``FEED_SIZE``) and
loads in a fixed number of queries.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import FaqEntry, GuideRelease, Question, Topic, question_topic
from forum.permissions import visible_questions_clause

# Someone not signed in: the permissions read None so (forum/permissions._is_authenticated).
VISITOR = None

# Enough for a feed reader that polls daily; a feed is not an archive.
FEED_SIZE = 50


def newest_faq_entries(limit: int = FEED_SIZE) -> list[FaqEntry]:
    """The published FAQ entries, newest first, with their topics (two queries)."""
    return list(
        db.session.scalars(
            select(FaqEntry)
            .where(FaqEntry.published.is_(True))
            .options(selectinload(FaqEntry.topic))
            .order_by(FaqEntry.created_at.desc(), FaqEntry.id.desc())
            .limit(limit)
        )
    )


def newest_releases(limit: int = FEED_SIZE) -> list[GuideRelease]:
    """The published releases of the guide, most recently published first (one query);
    a draft awaiting the board's approval is never among them."""
    return list(
        db.session.scalars(
            select(GuideRelease)
            .where(GuideRelease.published_at.is_not(None))
            .order_by(GuideRelease.published_at.desc(), GuideRelease.id.desc())
            .limit(limit)
        )
    )


def topic_by_slug(slug: str) -> Topic | None:
    """The topic of that slug, or None."""
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def public_questions_clause():
    """SQL: the questions a visitor reads, less those whose text was removed (a
    tombstone is no news)."""
    return visible_questions_clause(VISITOR) & Question.removed_at.is_(None)


def newest_topic_questions(topic: Topic, limit: int = FEED_SIZE) -> list[Question]:
    """The topic's public questions, newest first, with their askers (two queries)."""
    return list(
        db.session.scalars(
            select(Question)
            .where(
                public_questions_clause(),
                Question.id.in_(
                    select(question_topic.c.question_id).where(
                        question_topic.c.topic_id == topic.id
                    )
                ),
            )
            .options(selectinload(Question.author))
            .order_by(Question.created_at.desc(), Question.id.desc())
            .limit(limit)
        )
    )
