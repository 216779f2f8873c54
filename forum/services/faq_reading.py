"""What a reader of /faq is shown: one page of the published entries at a time.

The FAQ is read a page at a time, the whole FAQ or one topic's (``PER_PAGE`` entries in
the FAQ's reading order), under an index of the topics with their counts: at 1,000
entries, rendering every entry on every uncached request cost over half a second of CPU
(issue 28). A link to an entry (``?entry=<id>``, from search, the feeds, the clause pages,
the "In the FAQ" badges, the law-change list) lands on the page that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models import FaqEntry, Topic
from forum.services import citations, faq, next_page

# Entries on a page: a page costs a few milliseconds to render, and the topic index
# above it is the way to the rest.
PER_PAGE = 25


@dataclass(frozen=True)
class FaqPage:
    """One page of the FAQ (or of one topic): its entries grouped by topic, its number,
    and how many pages there are (known from the topic counts, never counted again)."""

    groups: list[faq.FaqTopicGroup]
    number: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def published_page(total: int, number: int, topic_id: int | None = None) -> FaqPage:
    """Page ``number`` (from 1; past the end, the last) of the published entries, or of the
    topic ``topic_id``'s, of which there are ``total``: one query for the entries, and
    one for each of their topics and sources."""
    pages = next_page.pages_for(total, PER_PAGE)
    number = min(max(number, 1), pages)
    statement = select(FaqEntry).where(FaqEntry.published.is_(True))
    if topic_id is not None:
        statement = statement.where(FaqEntry.topic_id == topic_id)
    statement = faq.in_reading_order(statement).limit(PER_PAGE).offset((number - 1) * PER_PAGE)
    entries = db.session.scalars(faq.with_sources(statement))
    return FaqPage(faq.grouped_by_topic(entries), number, pages)


@dataclass(frozen=True)
class EntryPlace:
    """Where a published entry is read: its topic, and how many published entries come
    before it in that topic and in the whole FAQ."""

    topic_id: int
    in_topic: int
    in_faq: int

    def page(self, whole_faq: bool = True) -> int:
        """The page holding the entry: of the whole FAQ, or of its topic's list."""
        return (self.in_faq if whole_faq else self.in_topic) // PER_PAGE + 1


def place_of_entry(entry_id: int, topic_counts: list[tuple[Topic, int]]) -> EntryPlace | None:
    """Where the published entry ``entry_id`` is read, or None for no such entry
    (unpublished, deleted, never made): one query, the entries of earlier topics being
    ``topic_counts``' (``faq.published_topic_counts``, in reading order)."""
    earlier = aliased(FaqEntry)
    before_in_topic = (
        select(func.count(earlier.id))
        .where(
            earlier.published.is_(True),
            earlier.topic_id == FaqEntry.topic_id,
            or_(
                earlier.position < FaqEntry.position,
                and_(earlier.position == FaqEntry.position, earlier.id < FaqEntry.id),
            ),
        )
        .scalar_subquery()
    )
    found = db.session.execute(
        select(FaqEntry.topic_id, before_in_topic).where(
            FaqEntry.id == entry_id, FaqEntry.published.is_(True)
        )
    ).first()
    if found is None:
        return None
    topic_id, in_topic = found
    before_topic = 0
    for topic, count in topic_counts:
        if topic.id == topic_id:
            break
        before_topic += count
    return EntryPlace(topic_id, in_topic, before_topic + in_topic)


def cited_clauses(entry: FaqEntry) -> list[list[str]] | tuple[tuple[str, str], ...]:
    """The (slug, clause) pairs an entry's "Cites" line shows: those stored with its text,
    or, for a row written around the services (stored NULL), its text scanned now."""
    if entry.cited_clauses is not None:
        return entry.cited_clauses
    return citations.clauses_in(entry.question_text, entry.answer_text)
