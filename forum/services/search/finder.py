"""Search over questions, answers, published board answers, FAQ entries and the guide.

The one interface the pages and the JSON API call: ``search``, ``suggest`` and
``reindex_all``. Two engines sit behind it, chosen by the database in use:
SQLite's FTS5 (sqlite.py) for the embedded default and PostgreSQL's
full-text search (postgres.py) in production. Both index the same terms
(terms.py) of the same documents (index.py keeps them in step),
so they find the same things; only their ranking formulas differ.

Matching: a document matches if it contains any of the query's meaningful
words (a stem, an accent-free form, or a translation), so paraphrases find what
they mean; both rank by ts_rank times the words' rarity (ranking.py), the
title weighted above the body.
The cost stays bounded at any size: see ``_pool`` for how a query whose words
are in very many texts is ranked (``total_is_lower_bound`` then says so).

One result per thread: the question, its answers, its published board answer and
an FAQ entry drawn from one of them are parts of one thread (threads.py), listed
once, under the part that matches best (its score, its snippet, its anchor), so the
first results are different threads, guide sections and FAQ entries, not one thread
four times. Counts and pages count results, so page 2 never repeats a thread of page 1.

Confidentiality: every query joins the question and applies
``visible_questions_clause`` in SQL before anything is counted or ranked, so a
confidential question and its answers never reach a result, a count, a
snippet or a suggestion for someone who could not open it.

Hits are data: what a hit is (its kind and ids, the anchor on its page), its
title and date, and the passages to show with their matching words marked
(``terms.Passage``). Links and markup are the web layer's (forum/web/search/hits.py),
so the service reads no request and knows no endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, Subquery, func, literal, or_, select, union_all

from forum import calendar
from forum.extensions import db
from forum.models import (
    Answer,
    DocumentKind,
    FaqEntryTranslation,
    GuideSectionTranslation,
    Question,
    QuestionStatus,
    SearchDocument,
    SearchText,
    Topic,
    User,
    question_topic,
)
from forum.permissions import visible_questions_clause
from forum.services.errors import RuleViolation
from forum.services.search import index as search_index
from forum.services.search import postgres as search_postgres
from forum.services.search import sqlite as search_sqlite
from forum.services.search import threads as search_threads
from forum.services.search.terms import Passage, QueryTerms, parse_query, passage
from forum.services.translations import SOURCE_LANGUAGE

KINDS = ("question", "answer", "board-answer", "faq", "guide")
QUESTION_KINDS = frozenset({"question", "answer", "board-answer"})
SUGGESTION_KINDS = ("question", "faq", "guide")
# See _pool; each backend sets EXACT_LIMIT and SCAN for its engine's costs.
RESULT_CANDIDATES = 200
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchFilters:
    kinds: frozenset[str] = frozenset()  # subset of KINDS; empty = all
    topic_slug: str | None = None
    status: str | None = None  # QuestionStatus value; only question-bound kinds then match
    since: date | None = None  # first day, in the forum's time zone
    until: date | None = None  # last day, included


@dataclass(frozen=True)
class SearchHit:
    """One text found: what it is and where, and what of it to show."""

    kind: str
    object_id: int  # the question, answer, board answer, FAQ entry or guide section
    # A question's, an answer's or a board answer's question (its page); None for the
    # FAQ and the guide, each one page.
    question_id: int | None
    # Where on that page the text is: "answer-12", "board-answer", "faq-3", a guide
    # section's anchor; None for a question (the top of its page).
    anchor: str | None
    title: str  # the question's title for question-bound kinds
    title_passage: Passage  # the whole title, its matching words marked
    snippet: Passage  # a passage of the text around its first matching words
    created_at: (
        datetime | None
    )  # the date the text is known by: asked, answered, published, revised
    score: float
    # For an answer, its author's name as its page shows it ("in an answer by ..."):
    # a thread's result says which of its parts matched best.
    author_name: str | None = None
    # The languages of the title and the snippet shown, for the page's lang attributes:
    # what users wrote theirs in (questions and answers record it), the guide's and the
    # FAQ's title in the reader's language or English; None when not known.
    title_lang: str | None = None
    snippet_lang: str | None = None


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    # Results per kind for the same query and filters except the kinds (for the kind
    # links): a thread counts once under each kind it has a match of.
    kind_counts: dict[str, int] = field(default_factory=dict)
    # Results for the same query and filters except the kinds (each thread once); 0 when
    # not counted (``total_is_lower_bound``).
    all_count: int = 0
    # True when more documents matched than were ranked: ``total`` is then "at least".
    total_is_lower_bound: bool = False
    # False when the query had no searchable word (empty, only stop words or symbols).
    searched: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search(
    viewer,
    query: str,
    filters: SearchFilters = SearchFilters(),
    *,
    page: int = 1,
    per_page: int = 20,
    language: str | None = None,
) -> SearchResults:
    """The documents matching ``query`` that ``viewer`` may read, best first, one page.

    Any query string is accepted (operators, quotes and symbols are just
    separators); one without a searchable word gives no hits and
    ``searched=False``. Raises RuleViolation (with ``field``: kind, status, to)
    for a kind or status that does not exist, or a period that ends before it starts.
    A guide section or FAQ entry translated into ``language`` is listed under its title
    in that language (one query more when the page has such hits).
    """
    _check(filters)
    page = max(1, int(page))
    per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
    terms = parse_query(query)
    if terms.is_empty:
        return SearchResults(query, [], 0, page, per_page, searched=False)
    pool = _pool(
        terms,
        _visible(viewer),
        _conditions(viewer, filters),
        sorted(filters.kinds),
        RESULT_CANDIDATES,
    )
    start = (page - 1) * per_page
    hits = _in_language(_hits(pool.rows[start : start + per_page], terms), terms, language)
    return SearchResults(
        query,
        hits,
        len(pool.rows),
        page,
        per_page,
        pool.kind_counts,
        pool.all_count,
        pool.lower_bound,
    )


def suggest(viewer, title: str, *, limit: int = 6) -> list[SearchHit]:
    """Questions, FAQ entries and guide sections like a title being typed, best first.

    The last word may be unfinished (it also matches as a prefix). Only what
    ``viewer`` may read; an empty list for a title without a searchable word.
    """
    terms = parse_query(title, prefix_last=True)
    if terms.is_empty:
        return []
    limit = max(0, min(limit, MAX_PER_PAGE))
    visible = _visible(viewer)
    pool = _pool(terms, visible, [visible], SUGGESTION_KINDS, limit)
    return _hits(pool.rows[:limit], terms)


def reindex_all() -> int:
    """Rebuild the whole index from the content (committed); the number of documents."""
    report = search_index.rebuild()
    _backend().after_rebuild()
    db.session.commit()
    return report.documents


# --- filters ---------------------------------------------------------------------------


def _check(filters: SearchFilters) -> None:
    if not set(filters.kinds) <= set(KINDS):
        raise RuleViolation(_l("Choose the kinds of text among those listed."), field="kind")
    if filters.status is not None and filters.status not in {s.value for s in QuestionStatus}:
        raise RuleViolation(_l("Choose a status among those listed."), field="status")
    if filters.since and filters.until and filters.until < filters.since:
        raise RuleViolation(_l("The period ends before it starts."), field="to")


def _visible(viewer) -> ColumnElement[bool]:
    # The question is outer-joined by the backends: guide and FAQ documents have none.
    return or_(SearchDocument.question_id.is_(None), visible_questions_clause(viewer))


def _kind_condition(kinds) -> list[ColumnElement[bool]]:
    return [SearchDocument.kind.in_([DocumentKind(kind) for kind in kinds])] if kinds else []


def _conditions(viewer, filters: SearchFilters) -> list[ColumnElement[bool]]:
    conditions = [_visible(viewer)]
    if filters.topic_slug:
        topic_id = select(Topic.id).where(Topic.slug == filters.topic_slug).scalar_subquery()
        conditions.append(
            or_(
                SearchDocument.question_id.in_(
                    select(question_topic.c.question_id).where(
                        question_topic.c.topic_id == topic_id
                    )
                ),
                SearchDocument.topic_id == topic_id,
            )
        )
    if filters.status is not None:
        conditions.append(Question.status == QuestionStatus(filters.status))
    if filters.since is not None:
        conditions.append(SearchDocument.dated_at >= calendar.start_of(filters.since))
    if filters.until is not None and filters.until < date.max:
        conditions.append(
            SearchDocument.dated_at < calendar.start_of(filters.until + timedelta(days=1))
        )
    return conditions


# --- matching and ranking ----------------------------------------------------------------


def _backend():
    return search_postgres if db.engine.dialect.name == "postgresql" else search_sqlite


@dataclass(frozen=True)
class _Pool:
    rows: list  # (id, kind, thread, score), best first, one per thread
    kind_counts: dict[str, int]
    all_count: int
    lower_bound: bool


def _pool(
    terms: QueryTerms, visible: ColumnElement[bool], conditions: list, kinds, cap: int
) -> _Pool:
    """The ranked candidates for a query, in a fixed number of queries.

    When the query's words are in fewer than the backend's ``EXACT_LIMIT`` texts the
    reader may see (the probe, which stops at that many and returns them), those
    texts are all ranked by the engine's relevance score: exact results and counts.
    Beyond that, ranking every match would cost time in proportion to their
    number, so only ``SCAN`` texts with every word and ``SCAN`` with any word are
    considered, with a cheaper ordering; ``lower_bound`` then says there may be
    more. The probe counts visible texts only: counted over all, a confidential
    text could tip a visitor's page from exact to "at least". Each backend picks
    the way its engine finds the matches (``backend.plan``, given to the probe and
    the scan): on PostgreSQL that depends on how common the words are.

    Either way each thread comes once, as its best-ranked part: in Python over the
    exact ranking's rows (at most ``EXACT_LIMIT``, all in hand), in SQL (a window
    over the thread) over the bounded candidates, so the cap counts threads.
    """
    backend = _backend()
    with backend.plan(terms) as way:
        matches = backend.probe(terms, backend.EXACT_LIMIT, visible, way)
        if len(matches) < backend.EXACT_LIMIT:
            # Ranked by primary key among the probe's texts: no plan can wander off
            # into the whole index, whatever the engine's estimate of the words.
            rows = backend.exact(terms, conditions, matches)
            kind_counts = _count_kinds(rows)
            all_count = len(_one_per_thread(rows))
            if kinds:
                # Before grouping: a thread then shows its best part of these kinds.
                rows = [row for row in rows if DocumentKind(row.kind).value in kinds]
            return _Pool(_one_per_thread(rows), kind_counts, all_count, False)
        # The filters go into the engine's scan, not after it: filtered afterwards, a
        # narrow filter (the guide only, a topic) would keep nothing of a scan of the
        # texts that merely match best.
        candidates = backend.bounded_candidates(
            terms, [*conditions, *_kind_condition(kinds)], scan=backend.SCAN, way=way
        )
        rows = db.session.execute(_best_of(candidates, cap=max(cap, 1))).all()
    # Matches beyond the SCAN looked at were not ranked: the count is a floor.
    return _Pool(rows, {}, 0, True)


def _one_per_thread(rows) -> list:
    """Ranked rows with each thread's first (best) row only, in their order."""
    seen = set()
    kept = []
    for row in rows:
        key = row.thread  # threads.key, read with the row
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def _best_of(candidates: Subquery, *, cap: int) -> Select:
    """At most ``cap`` threads among an engine's (id, score) candidates, each as its
    best document (with that document's best score), best first and then newest.

    The candidates are a few hundred rows, so numbering each thread's documents with
    a window costs little; SQLite (3.25 and later) and PostgreSQL both have it."""
    per_document = (
        select(candidates.c.id, func.max(candidates.c.score).label("score"))
        .group_by(candidates.c.id)
        .subquery("per_document")
    )
    thread = search_threads.key()
    place = (
        func.row_number()
        .over(
            partition_by=thread.element,
            order_by=(per_document.c.score.desc(), SearchDocument.id.desc()),
        )
        .label("place")
    )
    numbered = search_threads.joined(
        select(SearchDocument.id, SearchDocument.kind, thread, per_document.c.score, place)
        .select_from(per_document)
        .join(SearchDocument, SearchDocument.id == per_document.c.id)
    ).subquery("numbered")
    return (
        select(numbered.c.id, numbered.c.kind, numbered.c.thread, numbered.c.score)
        .where(numbered.c.place == 1)
        .order_by(numbered.c.score.desc(), numbered.c.id.desc())
        .limit(cap)
    )


def _count_kinds(rows) -> dict[str, int]:
    """Results per kind: the threads with a match of that kind, and the FAQ entries
    and guide sections."""
    threads = {kind: set() for kind in KINDS}
    for row in rows:
        threads[DocumentKind(row.kind).value].add(row.thread)
    return {kind: len(keys) for kind, keys in threads.items()}


# --- hits ------------------------------------------------------------------------------


def _hits(rows, terms: QueryTerms) -> list[SearchHit]:
    """The hits for ranked candidate rows, in their order, in one query."""
    if not rows:
        return []
    documents = {
        # A removed question (its author deleted their account) keeps its answers
        # in the index for the experts, under the tombstone title.
        document.id: (
            document,
            text,
            Question.removed_title() if removed_at is not None else question_title,
            None if removed_at is not None else question_language,
            answer_language,
            _author_name(author_name, author_deleted_at),
        )
        for document, text, question_title, removed_at, question_language, answer_language, author_name, author_deleted_at in db.session.execute(
            select(
                SearchDocument,
                SearchText,
                Question.title,
                Question.removed_at,
                Question.language,
                Answer.language,
                # Two columns, not the account: loading whole accounts cost a
                # millisecond a page.
                User.stored_display_name,
                User.deleted_at,
            )
            .join(SearchText, SearchText.document_id == SearchDocument.id)
            .outerjoin(Question, Question.id == SearchDocument.question_id)
            .outerjoin(Answer, Answer.id == SearchDocument.answer_id)
            .outerjoin(User, User.id == Answer.author_id)
            .where(SearchDocument.id.in_([row.id for row in rows]))
        )
    }
    hits = []
    for row in rows:
        if row.id not in documents:  # deleted since the pool was read
            continue
        document, text, question_title, question_language, answer_language, author_name = documents[
            row.id
        ]
        title = question_title if document.question_id is not None else text.title
        kind = DocumentKind(document.kind)
        snippet_language = {
            DocumentKind.QUESTION: question_language,
            DocumentKind.ANSWER: answer_language,
        }.get(kind)
        hits.append(
            SearchHit(
                kind=kind.value,
                object_id=document.object_id,
                question_id=document.question_id,
                anchor=document.fragment or None,
                title=title,
                title_passage=passage(title, terms, limit=None),
                snippet=passage(text.body or text.title, terms),
                created_at=document.dated_at,
                score=float(row.score or 0.0),
                author_name=author_name,
                title_lang=_value(question_language),
                snippet_lang=_value(snippet_language),
            )
        )
    return hits


def _in_language(hits: list[SearchHit], terms: QueryTerms, language: str | None) -> list[SearchHit]:
    """The guide's and the FAQ's hits under their titles in ``language`` where translated,
    marked with the language of the title shown."""
    curated = [hit for hit in hits if hit.kind in (DocumentKind.GUIDE, DocumentKind.FAQ)]
    if not curated or language is None or language == SOURCE_LANGUAGE:
        return hits
    wanted = {
        kind: [hit.object_id for hit in curated if hit.kind == kind]
        for kind in (DocumentKind.GUIDE, DocumentKind.FAQ)
    }
    guide_titles = select(
        literal(DocumentKind.GUIDE.value),
        GuideSectionTranslation.section_id,
        GuideSectionTranslation.title,
    ).where(
        GuideSectionTranslation.language == language,
        GuideSectionTranslation.section_id.in_(wanted[DocumentKind.GUIDE] or [0]),
    )
    faq_titles = select(
        literal(DocumentKind.FAQ.value), FaqEntryTranslation.faq_entry_id, FaqEntryTranslation.title
    ).where(
        FaqEntryTranslation.language == language,
        FaqEntryTranslation.faq_entry_id.in_(wanted[DocumentKind.FAQ] or [0]),
    )
    titles = {
        (kind, object_id): title
        for kind, object_id, title in db.session.execute(union_all(guide_titles, faq_titles))
    }
    shown = []
    for hit in hits:
        if hit.kind not in (DocumentKind.GUIDE, DocumentKind.FAQ):
            shown.append(hit)
            continue
        title = titles.get((hit.kind, hit.object_id))
        if title is None:
            shown.append(replace(hit, title_lang=SOURCE_LANGUAGE))
        else:
            shown.append(
                replace(
                    hit,
                    title=title,
                    title_lang=language,
                    title_passage=passage(title, terms, limit=None),
                )
            )
    return shown


def _author_name(stored_name: str | None, deleted_at) -> str | None:
    """An answer's author as pages name them (``User.display_name``): a deleted
    account as a former member."""
    if stored_name is None:
        return None
    return str(_l("Former member")) if deleted_at is not None else stored_name


def _value(language) -> str | None:
    return language.value if language is not None else None
