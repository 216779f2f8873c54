"""Asking, editing and listing questions, and loading a question's page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Executable, Select, case, false, func, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import (
    Answer,
    BoardAnswer,
    ContentLanguage,
    DevelopmentStage,
    DeviceClass,
    HelpfulMark,
    Question,
    QuestionStatus,
    Stance,
    Topic,
    User,
    Visibility,
    question_topic,
)
from forum.models.columns import utcnow
from forum.permissions import (
    can_edit_question,
    can_see_question,
    visible_questions_clause,
    visible_questions_parts,
)
from forum.services import attachments, content, newcomers, projects
from forum.services.attachments import Upload
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.mail import notifications
from forum.services.next_page import PageOfRows, read_window
from forum.services.revisions import record_revision

# The limits of what an asker writes, shared by the ask form and the JSON API.
TITLE_MIN_LENGTH = 15
TITLE_MAX_LENGTH = 200  # Question.title
BODY_MIN_LENGTH = 30
BODY_MAX_LENGTH = 20_000  # also the limit of answers and other long Markdown texts


@dataclass(frozen=True)
class QuestionDraft:
    """What an asker supplies, already parsed into the domain's types."""

    title: str
    body: str
    topic_ids: Sequence[int]
    device_class: DeviceClass
    stage: DevelopmentStage
    visibility: Visibility
    # A funded project of the author's organisation, or None (services/projects.py).
    project_id: int | None = None
    # The language the asker wrote in (the form's default is the interface's).
    language: ContentLanguage = ContentLanguage.EN


class QuestionSort(StrEnum):
    """The orders a question list can be read in (the value is the URL's ``sort``)."""

    NEWEST = "newest"
    ACTIVE = "active"  # by Question.last_activity_at
    UNANSWERED = "unanswered"  # questions without an answer first, then newest


@dataclass(frozen=True)
class QuestionFilters:
    topic_slug: str | None = None
    status: QuestionStatus | None = None
    unanswered: bool = False
    mine: bool = False
    device_class: DeviceClass | None = None
    stage: DevelopmentStage | None = None
    sort: QuestionSort = QuestionSort.NEWEST


def all_topics() -> list[Topic]:
    return list(db.session.scalars(select(Topic).order_by(Topic.position, Topic.name)))


def _topics_for(topic_ids: Sequence[int]) -> list[Topic]:
    unique_ids = set(topic_ids)
    topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(unique_ids))))
    if not topics or len(topics) != len(unique_ids):
        raise RuleViolation(_l("Choose one or more topics from the list."), field="topics")
    return sorted(topics, key=lambda topic: topic.position)


def ask(author: User, draft: QuestionDraft, uploads: Sequence[Upload] = ()) -> Question:
    """Create a question with its first revision, in one transaction.

    Raises RuleViolation for unknown topics, a project that is not one of the author's
    organisation's (field "project"), or when a new account used its day's posts. A new
    member's question may be held for a moderator's approval (services/newcomers.py):
    then nobody is notified until it is approved.
    """
    newcomers.check_budget(author)
    topics = _topics_for(draft.topic_ids)
    project_id = projects.check_link(author.organisation_id, draft.project_id)
    # Before the first write: stemming a long text must not hold the write lock.
    analysis = content.analyse(title=draft.title.strip(), body=draft.body, language=draft.language)
    stored = attachments.store(uploads)
    question = Question(
        author=author,
        title=draft.title.strip(),
        body=draft.body,
        device_class=draft.device_class,
        stage=draft.stage,
        visibility=draft.visibility,
        language=draft.language,
        status=QuestionStatus.OPEN,
        topics=topics,
        project_id=project_id,
        moderation_state=newcomers.initial_state(author),
    )
    db.session.add(question)
    record_revision(subject=question, editor=author, title=question.title, body=question.body)
    db.session.flush()
    attachments.add(question, author, stored)
    content.saved(question, analysis)
    if not question.is_hidden:
        notifications.question_asked(question)
    db.session.commit()
    return question


def edit(
    question: Question,
    editor: User,
    draft: QuestionDraft,
    note: str = "",
    uploads: Sequence[Upload] = (),
    removed_ids: Sequence[int] = (),
) -> Question:
    """Save a new version of a question; the earlier text stays as a revision.

    Raises PermissionDenied if the editor may not edit it, RuleViolation for
    unknown topics or files past the limit. An edit that changes nothing is not a new
    revision; ``removed_ids`` (its files) are taken off and ``uploads`` attached either way.
    """
    if not can_edit_question(editor, question):
        raise PermissionDenied(_l("You cannot edit this question."))
    topics = _topics_for(draft.topic_ids)
    if draft.project_id != question.project_id:  # a link kept stays, whoever the author is now with
        question.project_id = projects.check_link(question.author.organisation_id, draft.project_id)
    # The language decides the index terms too (search_text.word_terms).
    text_changed = (draft.title.strip(), draft.body, draft.language) != (
        question.title,
        question.body,
        question.language,
    )
    # Before the first write (below): stemming must not hold the write lock.
    analysis = (
        content.analyse(title=draft.title.strip(), body=draft.body, language=draft.language)
        if text_changed
        else None
    )
    stored = attachments.store(uploads)
    attachments.remove(question, removed_ids)
    attachments.add(question, editor, stored)
    question.topics = topics
    question.device_class = draft.device_class
    question.stage = draft.stage
    question.visibility = draft.visibility
    question.language = draft.language
    if text_changed:
        question.title = draft.title.strip()
        question.body = draft.body
        question.updated_at = question.last_activity_at = utcnow()
        record_revision(
            subject=question, editor=editor, title=question.title, body=question.body, note=note
        )
        content.saved(question, analysis)
    db.session.commit()
    return question


def find_visible_question(viewer, question_id: int) -> Question | None:
    """The question, if it exists and the viewer may see it; else None (a 404)."""
    question = db.session.get(Question, question_id)
    if question is None or not can_see_question(viewer, question):
        return None
    return question


def _preload_bylines(user_ids: Iterable[int | None]) -> list[User]:
    """Load these users with their organisation and expert profile, in one query.

    A page that shows many authors calls this once; each ``author``-style
    relationship then finds its user in the session instead of querying. The
    session holds objects weakly: the caller keeps the returned list for as
    long as the page renders.
    """
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(wanted))
            .options(joinedload(User.organisation), joinedload(User.expert_profile))
        ).unique()
    )


def _people_on_page(question: Question) -> Iterator[int | None]:
    """Everyone a question page names: authors, commenters, endorsers, chairs."""
    yield question.author_id
    for comment in question.comments:
        yield comment.author_id
    for answer in question.answers:
        yield answer.author_id
        for comment in answer.comments:
            yield comment.author_id
    for board_answer in question.board_answers:
        yield board_answer.published_by_id
        yield board_answer.withdrawn_by_id
        for stance in board_answer.stances:
            yield stance.expert_id
            yield stance.overridden_by_id


@dataclass(frozen=True)
class QuestionPage:
    """Everything a question page shows."""

    question: Question
    helpful_answer_ids: set[int]
    # Everyone the page names, loaded at once; kept here so the session keeps them.
    people: list[User]
    # The question's and its answers' files, by ("question"|"answer", id).
    files: dict[tuple[str, int], list]


def load_question_page(viewer, question_id: int) -> QuestionPage | None:
    """A question with everything its page shows, in a fixed number of queries.

    None if the question does not exist or the viewer may not see it.
    """
    # Visibility is in the WHERE clause: for a question the viewer may not open, the
    # row query finds nothing and no relation is loaded, so its 404 costs what a missing
    # id costs and its timing does not tell that it exists (issue 20, finding 8).
    question = db.session.scalar(
        select(Question)
        .where(Question.id == question_id, visible_questions_clause(viewer))
        .options(
            selectinload(Question.topics),
            selectinload(Question.comments),
            # Each answer's and stance's declaration as given, joined to its row:
            # no query of its own.
            selectinload(Question.answers).options(
                selectinload(Answer.comments), joinedload(Answer.declaration)
            ),
            selectinload(Question.board_answers)
            .selectinload(BoardAnswer.stances)
            .joinedload(Stance.declaration),
        )
    )
    if question is None or not can_see_question(viewer, question):
        return None
    people = _preload_bylines(_people_on_page(question))
    helpful_ids: set[int] = set()
    if viewer.is_authenticated and question.answers:
        helpful_ids = set(
            db.session.scalars(
                select(HelpfulMark.answer_id)
                .join(Answer, Answer.id == HelpfulMark.answer_id)
                .where(Answer.question_id == question.id, HelpfulMark.user_id == viewer.id)
            )
        )
    files = attachments.of_question_page(question, question.answers)
    return QuestionPage(question, helpful_ids, people, files)


def _filter_conditions(viewer, filters: QuestionFilters) -> list[ColumnElement[bool]]:
    """The list's filters as SQL conditions (visibility aside)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.topic_slug:
        conditions.append(
            Question.id.in_(
                select(question_topic.c.question_id)
                .join(Topic, Topic.id == question_topic.c.topic_id)
                .where(Topic.slug == filters.topic_slug)
            )
        )
    if filters.status is not None:
        conditions.append(Question.status == filters.status)
    if filters.unanswered:
        conditions.append(Question.answer_count == 0)
    if filters.device_class is not None:
        conditions.append(Question.device_class == filters.device_class)
    if filters.stage is not None:
        conditions.append(Question.stage == filters.stage)
    if filters.mine:
        conditions.append(Question.author_id == viewer.id if viewer.is_authenticated else false())
    return conditions


def _unanswered_last(rows) -> ColumnElement[int]:
    # The count the list shows as "no answers" (answer_count), so the order agrees with the
    # row's label and with the "Unanswered only" filter.
    return case((rows.answer_count == 0, 0), else_=1)


def _order(sort: QuestionSort, rows, unanswered_last: ColumnElement[int]) -> tuple:
    """``sort``'s ORDER BY over ``rows`` (Question, or its alias over a merge of reads)."""
    newest = (rows.created_at.desc(), rows.id.desc())
    if sort == QuestionSort.ACTIVE:
        return (rows.last_activity_at.desc(), rows.id.desc())
    if sort == QuestionSort.UNANSWERED:
        return (unanswered_last, *newest)
    return newest


def _listed(viewer, filters: QuestionFilters) -> Select:
    """The questions the viewer may see, filtered, in ``filters.sort``'s order, with what a
    list row shows: one condition (``visible_questions_clause``), as a count reads them."""
    return (
        select(Question)
        .where(visible_questions_clause(viewer), *_filter_conditions(viewer, filters))
        .options(selectinload(Question.author), selectinload(Question.topics))
        .order_by(*_order(filters.sort, Question, _unanswered_last(Question)))
    )


def _listed_window(viewer, filters: QuestionFilters, limit: int, offset: int) -> Executable:
    """``limit`` rows of ``_listed`` from ``offset``, each part of the visible questions read
    down its own index.

    A reader who sees more than one part of the questions (a member: the public ones and
    their own beyond them; an expert: the unhidden ones and their own hidden ones;
    permissions.visible_questions_parts) gets a UNION ALL of one select per part, ordered
    and cut once outside, so each part is walked down an index in the list's order and the
    LIMIT stops the walks after the page's rows; the OR of the parts in one WHERE sorted
    every visible question instead (591 ms for a member's home page at 100,000 questions
    on SQLite). The parts are disjoint, so no question is listed twice. SQLite merges the
    ordered reads by itself; PostgreSQL (15) walks a part's index in order only when the
    part has its own ORDER BY and LIMIT (else it sorts the union), so there each part is
    cut at the window's end. The union is ordered by its own columns and mapped back with
    ``from_statement``: a subquery and an alias over it cost 3 ms of Python per page to
    build (their column proxies).
    """
    parts = visible_questions_parts(viewer)
    if len(parts) == 1:
        return _listed(viewer, filters).limit(limit).offset(offset)
    conditions = _filter_conditions(viewer, filters)
    # The union's ORDER BY names its columns only (SQLite's rule for a compound), so the
    # unanswered sort's key is a column of each read.
    key = _unanswered_last(Question).label("unanswered_last")
    reads = [select(Question, key).where(part, *conditions) for part in parts]
    if db.session.get_bind().dialect.name == "postgresql":
        order = _order(filters.sort, Question, _unanswered_last(Question))
        reads = [read.order_by(*order).limit(offset + limit) for read in reads]
    merged = union_all(*reads)
    columns = merged.selected_columns
    merged = (
        merged.order_by(*_order(filters.sort, columns, columns.unanswered_last))
        .limit(limit)
        .offset(offset)
    )
    return (
        select(Question)
        .options(selectinload(Question.author), selectinload(Question.topics))
        .from_statement(merged)
    )


def list_questions(viewer, filters: QuestionFilters, page: int, per_page: int) -> Pagination:
    """One page of the questions the viewer may see, with their total (a count query: the
    API's payload promises it; the pages use ``question_list_page``)."""
    return db.paginate(
        _listed(viewer, filters), page=page, per_page=per_page, error_out=False, max_per_page=100
    )


def question_list_page(viewer, filters: QuestionFilters, page: int, per_page: int) -> PageOfRows:
    """One page of the questions the viewer may see, without counting them all (the total is
    known on the last page only: services/next_page.py)."""
    return read_window(
        lambda limit, offset: _listed_window(viewer, filters, limit, offset), page, per_page
    )


def recent_questions(viewer, count: int) -> list[Question]:
    """The ``count`` newest questions the viewer may see (the home page's list)."""
    return list(db.session.scalars(_listed_window(viewer, QuestionFilters(), count, 0)))


def count_visible_questions(viewer) -> dict[QuestionStatus, int]:
    """How many questions of each status the viewer may see (for the home page)."""
    # Each part of the visible questions counted apart and the counts added up: one GROUP
    # BY over their OR cannot use an index, and the public count is an index-only scan on
    # its own (ix_question_visibility_status_moderation_author). The parts are disjoint.
    # Grouped by visibility too, the index's order: grouped by status alone, SQLite walked
    # ix_question_status_created_at and read every row to test an expert's condition on
    # moderation_state (280 ms of CPU at 100,000 questions; 10 ms down the covering index).
    counts_by_part = [
        select(Question.status, func.count())
        .where(part)
        .group_by(Question.visibility, Question.status)
        for part in visible_questions_parts(viewer)
    ]
    statement = counts_by_part[0] if len(counts_by_part) == 1 else union_all(*counts_by_part)
    counts = {status: 0 for status in QuestionStatus}
    for status, count in db.session.execute(statement):
        counts[QuestionStatus(status)] += count
    return counts
