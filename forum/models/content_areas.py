"""The content areas: which cached pages a committed change can alter, by the tables it writes.

A page cached under the content generation alone was retired by every write: an answer on
one question re-rendered the FAQ and the guide on every server (issue 28). Each table a page
shows now belongs to one area, and a commit moves the counter of each area it wrote in
(forum/models/generation.py); a cached page declares the areas it reads
(``cached_page(areas=...)``) and is kept under their counters alone.

Three rules keep it safe:

- a table named in no area below (and in neither UNSHOWN_TABLES nor PRIVATE_TABLES) moves
  the content generation itself, which retires every page: the user row (bylines, roles),
  the topics, organisations, experts' profiles, the law's changes... A table is given an
  area only when its writes are frequent enough to matter and the pages that read it are
  known;
- a page that declares nothing depends on every area;
- ``tests/web/test_page_areas.py`` renders each cached page as each kind of reader and fails
  when a page reads a table outside the areas it declares.

"question_headers" is the one area that owns no table: it is what pages outside a thread
read of questions and answers (the FAQ's "source discussion" link, the header's count of
unread news about questions one may still see): which rows exist, under which question,
and a question's title, author, visibility and moderation. A change of anything else in
those rows (an answer's text, a question's count of answers, its last activity) moves
"questions" alone, so an answer posted leaves the FAQ and the guide in place.

"threads" owns no table either: a question's own page is kept under its thread's
generation (``cached_page(thread=...)``, forum/models/thread_links.py), so an answer on
one question leaves the other questions' pages cached. "threads" is the coarse fallback,
moved by a write in a thread's tables whose threads the session cannot tell (a bulk
statement not given its threads, a row whose link columns were not loaded, a deletion
outside the threads that cascades into them): it retires every question's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from forum.extensions import db

QUESTION_HEADERS = "question_headers"
THREADS = "threads"

AREAS: dict[str, frozenset[str]] = {
    # Threads: what the lists, a question's page, the home page and search show of them.
    "questions": frozenset(
        {
            "question",
            "answer",
            "comment",
            "helpful_mark",
            "question_topic",
            "revision",
            "attachment",
            "board_answer",
            "board_revision",
            "stance",
            "invitation",
            "flag",
        }
    ),
    "faq": frozenset(
        {"faq_entry", "faq_revision", "faq_entry_translation", "faq_entry_translation_revision"}
    ),
    "guide": frozenset(
        {
            "guide_section",
            "guide_section_translation",
            "guide_section_translation_revision",
            "guide_revision",
            "guide_release",
            "guide_release_translation",
            "guide_release_stance",
            "guide_proposal",
        }
    ),
    # Written along with every text saved; read by search alone (search_fts is SQLite's
    # full-text table, kept by triggers on search_text).
    "search": frozenset({"search_document", "search_text", "search_fts"}),
    # Written along with every text saved that cites a clause; read by the clause pages.
    "citations": frozenset({"citation"}),
    "clinics": frozenset(
        {
            "clinic",
            "facilitation",
            "facilitation_step",
            "referral_link",
            "referral_message",
            "counselling_session",
            "counselling_session_expert",
        }
    ),
    # The Lombardy-Limburg network: its directory, vocabularies, rounds and visits.
    "network": frozenset(
        {
            "network_profile",
            "network_specialisation",
            "network_capability",
            "network_profile_specialisation",
            "network_profile_offer",
            "network_profile_need",
            "network_feasibility_note",
            "matchmaking_round",
            "matchmaking_round_theme",
            "matchmaking_dismissed_pair",
            "network_introduction",
            "network_introduction_step",
            "study_visit",
            "study_visit_organisation",
            "study_visit_interest",
        }
    ),
    # The home page's invitation to the survey; the admins' results.
    "survey": frozenset(
        {"survey", "survey_item", "survey_invitation", "survey_response", "survey_answer"}
    ),
    # The admins' log, written along with every board and curation action.
    "audit": frozenset({"audit_entry"}),
    QUESTION_HEADERS: frozenset(),
    THREADS: frozenset(),
}

AREA_OF_TABLE: dict[str, str] = {table: area for area, tables in AREAS.items() for table in tables}

# Pages outside the threads read these tables for their headers only (see the docstring).
HEADER_TABLES = frozenset({"question", "answer", "board_answer"})

# The columns of those tables whose change no page outside the threads shows. A column
# not listed here is a header: changing it moves "question_headers" too (the safe default
# for a column added later). Inserting a row moves only "questions" (no page outside the
# thread names a row that did not exist); deleting one moves both.
THREAD_ONLY_COLUMNS: dict[str, frozenset[str]] = {
    "question": frozenset(
        {
            "body",
            "body_html",  # the body's rendered copy (forum/models/rendered_markdown.py)
            "markdown_version",
            "device_class",
            "stage",
            "status",
            "accepted_answer_id",
            "answer_count",
            "updated_at",
            "last_activity_at",
            "project_id",
            "locked_at",
            "lock_reason",
        }
    ),
    "answer": frozenset(
        {
            "author_id",
            "language",
            "helpful_count",
            "updated_at",
            "declaration_id",
            "body",
            "body_html",
            "markdown_version",
            "moderation_state",
            "moderation_reason",
            "moderated_at",
        }
    ),
    "board_answer": frozenset(
        {
            "status",
            "body",
            "body_html",
            "language",
            "current_number",
            "opened_by_id",
            "published_body",
            "published_body_html",
            "markdown_version",
            "published_number",
            "published_at",
            "published_by_id",
            "withdrawn_at",
            "withdrawn_by_id",
            "withdrawal_reason",
            "updated_at",
        }
    ),
}

ALL_AREAS = tuple(sorted(AREAS))


def areas_of_change(table: str, changed_columns: Iterable[str] | None = None) -> frozenset[str]:
    """The areas a write to ``table`` moves; empty if the table is in none (the caller then
    moves the content generation).

    ``changed_columns``: the columns an UPDATE changed; None for a deletion, or for a bulk
    statement whose columns are not known, which count as changing the headers.
    ``()`` for an insertion.
    """
    area = AREA_OF_TABLE.get(table)
    if area is None:
        return frozenset()
    thread_only = THREAD_ONLY_COLUMNS.get(table)
    if thread_only is None:
        return frozenset({area})
    if changed_columns is not None and set(changed_columns) <= thread_only:
        return frozenset({area})
    return frozenset({area, QUESTION_HEADERS})


def tables_read_under(areas: Iterable[str]) -> frozenset[str]:
    """The tables a page declaring ``areas`` may read (besides the content generation's)."""
    tables: set[str] = set()
    for area in areas:
        tables |= AREAS[area]
        if area == QUESTION_HEADERS:
            tables |= HEADER_TABLES
        elif area == THREADS:  # every write in a thread moves its own or every thread's
            tables |= AREAS["questions"]
    return frozenset(tables)


@cache
def cascaded_tables(table: str) -> frozenset[str]:
    """The tables a deletion of a ``table`` row may change in the database itself, through
    foreign keys ON DELETE CASCADE or SET NULL, followed from table to table (an answer's
    deletion empties an FAQ entry's source and deletes its search document): the session
    never sees those rows, so their areas are moved by the deletion."""
    reached: set[str] = set()
    parents = [table]
    while parents:
        parent = parents.pop()
        for child in db.metadata.tables.values():
            if child.name in reached:
                continue
            if any(key.ondelete and key.column.table.name == parent for key in child.foreign_keys):
                reached.add(child.name)
                parents.append(child.name)
    return frozenset(reached - {table})
