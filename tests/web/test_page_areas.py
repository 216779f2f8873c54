"""Content areas (issue 28): a cached page is kept under the generations of the areas it
declares, so a write retires the pages that show it and leaves the others cached; and a
page that reads outside its declared areas fails here."""

from __future__ import annotations

import re
import threading

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, event, inspect, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.util import find_tables

from forum import create_app
from forum.demo.accounts import DEMO_ACCOUNTS
from forum.demo.seed import seed_demo
from forum.extensions import db, login_manager
from forum.models import (
    Answer,
    AreaGeneration,
    FaqEntry,
    Notification,
    NotificationKind,
    Question,
    Topic,
    User,
    Visibility,
)
from forum.models.content_areas import (
    AREA_OF_TABLE,
    AREAS,
    QUESTION_HEADERS,
    areas_of_change,
    cascaded_tables,
    tables_read_under,
)
from forum.models.generation import PRIVATE_TABLES, UNSHOWN_TABLES, page_generations
from forum.services import answers, faq, questions
from forum.services.accounts import credentials
from forum.services.guide import importing
from forum.web.infra import page_cache
from tests.conftest import CsrfClient, _test_settings
from tests.factories import ask_question, topic_id
from tests.unit.test_concurrency import run_together
from tests.web.test_page_cache import _page_queries, _warm
from tests.web.test_page_generations import _signed_in

GUIDE = """# A small guide

An introduction that cites MDR Art. 70.

## Choosing the pathway

Pick the route before anything else.
"""
BEFORE_THIS_MIGRATION = "b8d2e6f1a4c3"
ROUNDS = 3

# --- the guard: what each cached page reads -----------------------------------------------

# Every cached page and document, with the paths that exercise it (a confidential
# question, filters, the English original); the documents are built as a visitor sees
# the site, whoever asks.
PAGES = {
    "main.home": ["/"],
    "questions.index": ["/questions", "/questions?mine=1&sort=active", "/questions?page=2"],
    "questions.show": ["public question", "confidential question"],
    "faq.index": ["/faq", "/faq?topic=regulatory-pathway", "/faq?text=en"],
    "guide.index": ["/guide", "/guide?text=en"],
    "search.index": ["/search?q=ethics+committee", "/search?q=pilot&kind=faq", "/search?q=guide"],
}
DOCUMENTS = {
    "feeds.faq": ["/faq/feed.atom"],
    "feeds.guide_releases": ["/guide/releases.atom"],
    "feeds.topic": ["/topics/regulatory-pathway/feed.atom"],
    "site_files.sitemap_index_file": ["/sitemap.xml"],
    "site_files.pages": ["/sitemaps/pages.xml"],
    "site_files.questions": ["/sitemaps/questions-1.xml"],
}
READERS = ["visitor", "member_anna", "expert_elena", "admin_giulia"]
PRIVILEGED = ("expert_elena", "admin_giulia")  # they open confidential questions
NAMED_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
KNOWN_TABLES = frozenset(db.metadata.tables) | AREAS["search"]
# Tables no area claims: a write to one moves the content generation, every page's.
EVERYTHING = KNOWN_TABLES - AREA_OF_TABLE.keys() - PRIVATE_TABLES.keys() - UNSHOWN_TABLES


def _tables_of(statement: str, context) -> set[str]:
    """The tables a statement reads: those its compiled form names (exact for the ORM's
    and Core's statements), and those its text names after FROM or JOIN (plain SQL)."""
    found = set(NAMED_TABLE.findall(statement))
    compiled = getattr(context, "compiled", None)
    if compiled is not None and not isinstance(compiled.statement, TextClause):
        found |= {
            table.name
            for table in find_tables(
                compiled.statement, include_joins=True, include_aliases=True, include_crud=True
            )
            if hasattr(table, "name")
        }
    return found & KNOWN_TABLES  # a CTE's or subquery's name is none of them


def _tables_read(client, url: str) -> set[str]:
    read: set[str] = set()

    def record(conn, cursor, statement, parameters, context, executemany):
        read.update(_tables_of(statement, context))

    # On every engine: the rendering app has its own.
    event.listen(Engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    assert read, f"{url}: no statement seen"
    return read


def _outside(read: set[str], areas, signed_in: bool) -> set[str]:
    """What a page read that neither its areas nor the content generation cover."""
    allowed = tables_read_under(areas) | EVERYTHING | UNSHOWN_TABLES
    if signed_in:  # the reader's own rows, and the header's news about questions
        allowed |= PRIVATE_TABLES.keys() | tables_read_under([QUESTION_HEADERS])
    return read - allowed


@pytest.fixture
def rendering(app):
    """The app with the page cache off, so every request renders (and reads) its page."""
    uncached = create_app(
        {**_test_settings(app.config["SQLALCHEMY_DATABASE_URI"]), "PAGE_CACHE_SECONDS": 0}
    )
    uncached.test_client_class = CsrfClient
    return uncached


def _demo_reader(app, key: str):
    client = app.test_client()
    if key != "visitor":
        email, _name, password = DEMO_ACCOUNTS[key][:3]
        client.post("/login", data={"email": email, "password": password})
        client.get("/")  # the login's greeting
    return client


def test_every_cached_page_reads_only_the_areas_it_declares(app, rendering):
    seed_demo()
    # A public question a visitor opens, and a confidential one both privileged readers
    # open (ids are random: the first one by id may be one a moderator removed).
    privileged = [credentials.find_user_by_email(DEMO_ACCOUNTS[key][0]) for key in PRIVILEGED]
    public, confidential = (
        next(
            question_id
            for question_id in db.session.scalars(
                select(Question.id).where(Question.visibility == visibility).order_by(Question.id)
            )
            if all(questions.find_visible_question(user, question_id) for user in readers)
        )
        for visibility, readers in (
            (Visibility.PUBLIC, [login_manager.anonymous_user()]),
            (Visibility.CONFIDENTIAL, privileged),
        )
    )
    paths = {"public question": f"/questions/{public}", "confidential question": ""}
    views = rendering.view_functions
    cached = {name for name, view in views.items() if hasattr(view, "page_areas")}
    assert cached == PAGES.keys() | DOCUMENTS.keys(), "a cached page the guard does not render"

    wrong: list[str] = []
    for reader in READERS:
        client = _demo_reader(rendering, reader)
        # The confidential question, for those who may open it (a 404 for the others).
        paths["confidential question"] = (
            f"/questions/{confidential}" if reader in PRIVILEGED else ""
        )
        cases = {**PAGES, **(DOCUMENTS if reader == "visitor" else {})}
        for endpoint, urls in cases.items():
            for url in filter(None, (paths.get(url, url) for url in urls)):
                read = _tables_read(client, url)
                extra = _outside(read, views[endpoint].page_areas, reader != "visitor")
                if extra:
                    wrong.append(f"{url} as {reader} reads {sorted(extra)}")
        # The guard bites: the FAQ's reads, declared as the guide's, are outside it.
        if reader == "visitor":
            assert _outside(_tables_read(client, "/faq"), ("guide",), False)
    assert not wrong, "pages reading outside their declared areas:\n" + "\n".join(wrong)


def test_each_areas_tables_are_tables_and_each_page_names_real_areas():
    assert AREAS["search"] - db.metadata.tables.keys() == {"search_fts"}  # SQLite's index
    for area, tables in AREAS.items():
        assert tables <= KNOWN_TABLES, area
        assert not tables & (UNSHOWN_TABLES | PRIVATE_TABLES.keys()), area
    with pytest.raises(ValueError, match="no such content area"):
        page_cache.cached_page(areas=("fqa",))(lambda: "")


# --- what a change moves ------------------------------------------------------------------


def test_a_question_counted_or_active_moves_the_thread_only_but_renamed_its_headers():
    assert areas_of_change("question", {"answer_count", "last_activity_at"}) == {"questions"}
    assert areas_of_change("question", ()) == {"questions"}  # asked: no other page names it
    for changed in ({"title"}, {"visibility"}, {"moderation_state"}, {"removed_at"}, None):
        assert areas_of_change("question", changed) == {"questions", QUESTION_HEADERS}
    assert areas_of_change("answer", {"body", "updated_at"}) == {"questions"}
    assert areas_of_change("answer", None) == {"questions", QUESTION_HEADERS}  # deleted
    assert areas_of_change("faq_entry", {"answer_text"}) == {"faq"}
    assert areas_of_change("user", {"display_name"}) == frozenset()  # the content generation


def _generations():
    return page_generations(None)


def test_an_answer_moves_the_questions_search_and_nothing_else(app, people):
    question = ask_question(people.asker)
    before = _generations()
    answers.post_answer(question, people.expert, "Ask the notified body, MDR Art. 62.")
    after = _generations()
    moved = {area for area in AREAS if after.areas.get(area, 0) != before.areas.get(area, 0)}
    assert moved == {"questions", "search", "citations"}
    assert all(after.areas[area] == before.areas.get(area, 0) + 1 for area in moved)
    assert after.content == before.content


def test_an_answer_edited_moves_its_thread_and_not_the_headers_with_its_stored_copy(app, people):
    # The edit writes the body and its rendered copy (body_html, markdown_version): all
    # three are the thread's own, so the FAQ and other pages outside the thread stay.
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, "Ask the notified body first.")
    before = _generations()
    answers.edit_answer(answer, people.expert, "Ask the notified body, **then** the clinic.")
    after = _generations()
    assert answer.body_html is not None and "<strong>then</strong>" in answer.body_html
    assert after.areas.get(QUESTION_HEADERS, 0) == before.areas.get(QUESTION_HEADERS, 0)
    assert after.areas["questions"] == before.areas["questions"] + 1
    assert after.content == before.content


def test_a_bulk_update_of_questions_moves_their_headers(app, people):
    ask_question(people.asker)
    before = _generations()
    db.session.execute(update(Question).values(answer_count=0))
    db.session.commit()
    after = _generations()
    assert after.areas[QUESTION_HEADERS] == before.areas.get(QUESTION_HEADERS, 0) + 1


def test_changing_a_questions_topics_moves_the_questions(app, people):
    question = ask_question(people.asker)
    before = _generations()
    question.topics = [db.session.get(Topic, topic_id("ethics-committee"))]
    db.session.commit()
    assert _generations().areas["questions"] == before.areas["questions"] + 1


# --- pages that survive a write, and pages that do not ------------------------------------


@pytest.fixture
def faq_and_guide(people):
    """A question with an answer drawn into the FAQ, and a guide."""
    question = ask_question(people.asker, title="Which notified body for a class III pilot?")
    answer = answers.post_answer(question, people.expert, "One designated for your codes.")
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="Which notified body for a pilot?",
        answer_text="One designated for the device's codes.",
        topic=db.session.get(Topic, topic_id()),
    )
    importing.import_guide(GUIDE, people.admin)
    return question, entry


def test_deleting_an_answer_retires_the_pages_its_foreign_keys_reach(
    app, people, faq_and_guide, count_queries
):
    """The database itself empties the FAQ entry's source: the session never sees it."""
    assert {"faq_entry", "search_document", "guide_revision"} <= cascaded_tables("answer")
    question, _entry = faq_and_guide
    visitor = app.test_client()
    for page in ("/faq", "/guide"):
        _warm(visitor, page, count_queries)
    db.session.delete(db.session.get(Answer, question.answers[0].id))
    db.session.commit()
    for page in ("/faq", "/guide"):
        assert not _served_from_cache(visitor, page, count_queries), page


def _served_from_cache(browser, url: str, count_queries) -> bool:
    with count_queries() as statements:
        assert browser.get(url).status_code == 200
    return not _page_queries(statements)


def test_an_answer_leaves_the_faq_and_the_guide_cached_and_shows_at_once(
    app, people, faq_and_guide, count_queries
):
    question, _entry = faq_and_guide
    other = ask_question(people.other, title="Do we need insurance for a usability study?")
    url = f"/questions/{other.id}"
    visitor, member = app.test_client(), _signed_in(app, people.asker)
    for browser in (visitor, member):
        # The asker's own question first: opening it reads their news (their own
        # generation moves), which would retire their pages warmed before it.
        for page in (f"/questions/{question.id}", url, "/questions", "/faq", "/guide"):
            _warm(browser, page, count_queries)

    answers.post_answer(other, people.expert, "Yes: the sponsor insurance, always.")
    answers.post_comment(other, people.other, "Thank you, that settles it.")
    answers.set_helpful(db.session.get(Answer, question.answers[0].id), people.other, True)

    for browser in (visitor, member):
        for page in ("/faq", "/guide"):
            assert _served_from_cache(browser, page, count_queries), page
        assert "sponsor insurance" in browser.get(url).get_data(as_text=True)
        assert "settles it" in browser.get(url).get_data(as_text=True)
        listed = browser.get("/questions").get_data(as_text=True)
        assert not _served_from_cache(browser, f"/questions/{question.id}", count_queries)
        assert "Do we need insurance" in listed


def test_a_faq_edit_retires_the_faq_page_and_leaves_the_guide(
    app, people, faq_and_guide, count_queries
):
    _question, entry = faq_and_guide
    visitor = app.test_client()
    for page in ("/faq", "/guide"):
        _warm(visitor, page, count_queries)
    faq.edit_entry(
        db.session.get(FaqEntry, entry.id),
        people.admin,
        "Which notified body for a first pilot?",
        "One designated for the device's codes, asked early.",
        db.session.get(Topic, topic_id()),
    )
    assert "asked early" in visitor.get("/faq").get_data(as_text=True)
    assert _served_from_cache(visitor, "/guide", count_queries)


def test_a_source_question_made_confidential_leaves_no_page_showing_it(
    app, people, faq_and_guide, count_queries
):
    """The FAQ names its entries' source discussions: a question made confidential (its
    headers moved, not only its thread) is gone from every reader's cached FAQ at once."""
    question, _entry = faq_and_guide
    visitor, other = app.test_client(), _signed_in(app, people.other)
    for browser in (visitor, other):
        for page in ("/faq", "/", "/questions", "/search?q=notified+body"):
            _warm(browser, page, count_queries)
        assert question.title in browser.get("/faq").get_data(as_text=True)

    stored = db.session.get(Question, question.id)
    stored.visibility = Visibility.CONFIDENTIAL
    db.session.commit()

    for browser in (visitor, other):
        for page in ("/faq", "/", "/questions", "/search?q=notified+body"):
            assert "class III pilot" not in browser.get(page).get_data(as_text=True), page
        assert browser.get(f"/questions/{question.id}").status_code == 404


def test_a_question_made_confidential_drops_from_the_news_count_on_every_cached_page(
    app, people, count_queries
):
    """The header counts one's unread news about questions one may still see: a question
    made confidential moves its headers, under which every signed-in reader's page is kept."""
    question = ask_question(people.asker, title="Is a sham arm ethical here?")
    importing.import_guide(GUIDE, people.admin)
    reader = db.session.get(type(people.other), people.other.id)
    db.session.add(Notification(user=reader, kind=NotificationKind.NEW_ANSWER, question=question))
    db.session.commit()
    member = _signed_in(app, people.other)
    _warm(member, "/guide", count_queries)
    assert '<span class="count-badge">1<' in member.get("/guide").get_data(as_text=True)

    stored = db.session.get(Question, question.id)
    stored.visibility = Visibility.CONFIDENTIAL
    db.session.commit()

    assert '<span class="count-badge">' not in member.get("/guide").get_data(as_text=True)


def test_an_area_move_drops_only_that_areas_entries():
    entry = page_cache._Entry(b"<p>page</p>", b"gzipped", "text/html", expires_at=float("inf"))
    cache = page_cache.PageCache(max_bytes=10 * entry.size)
    cache.put(("/faq",), 7, entry, {"faq": 3})
    cache.put(("/questions",), 7, entry, {"questions": 5})
    cache.put(("/",), 7, entry, {"faq": 3, "questions": 5})
    assert cache.get(("/questions", 6), 7, {"questions": 6}) is None
    assert len(cache) == 1 and cache.get(("/faq",), 7, {"faq": 3}) is entry
    cache.put(("/questions",), 7, entry, {"questions": 5})  # rendered before the move
    assert cache.get(("/questions",), 7, {"questions": 5}) is None
    assert len(cache) == 1
    assert cache.get(("/faq",), 8, {"faq": 3}) is None and len(cache) == 0  # everything


# --- concurrent commits and the migration ------------------------------------------------


def test_two_concurrent_commits_in_one_area_both_count(app, people):
    """On PostgreSQL both transactions are open, their answers written, before either
    commits; the first round races to insert the area's row, the next ones update it."""
    overlap = db.engine.dialect.name == "postgresql"
    asked = [ask_question(people.asker, title=f"Question {number}") for number in range(2)]
    ids = [question.id for question in asked]
    db.session.execute(delete(AreaGeneration))
    db.session.commit()
    for _ in range(ROUNDS):
        before = _generations().areas.get("questions", 0)
        written = threading.Barrier(2)

        def touch(index: int, written=written) -> None:
            db.session.execute(
                update(Question).where(Question.id == ids[index]).values(answer_count=index)
            )
            if overlap:
                written.wait(timeout=30)
            db.session.commit()

        run_together(app, 2, touch)
        assert _generations().areas["questions"] == before + 2


def test_the_migration_adds_the_area_generations_and_its_downgrade_drops_them(app, people):
    asker_id = people.asker.id
    db.session.remove()
    downgrade(revision=BEFORE_THIS_MIGRATION)
    try:
        assert "area_generation" not in inspect(db.engine).get_table_names()
        upgrade()
        assert _generations().areas == {}  # no rows yet: every area reads 0
        ask_question(db.session.get(User, asker_id))
        assert _generations().areas["questions"] == 1
    finally:
        db.session.remove()
        upgrade()
