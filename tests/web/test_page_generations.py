"""Page generations: a change only one member can see retires that member's cached pages,
and no one else's; a change others can see still retires every page (issue 27)."""

from __future__ import annotations

import threading

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, update
from sqlalchemy.orm import load_only

from forum.extensions import db
from forum.models import Notification, NotificationKind, User, UserPageGeneration
from forum.models.columns import utcnow
from forum.models.generation import (
    PRIVATE_TABLES,
    UNSHOWN_TABLES,
    current_generation,
    page_generations,
    private_to,
)
from forum.services import answers
from forum.services.mail import notifications
from tests.factories import ask_question
from tests.unit.test_concurrency import run_together
from tests.web.test_page_cache import _page_queries, _warm

PASSWORD = "correct-horse-battery"
BEFORE_THIS_MIGRATION = "3f6a2c9d8e41"
ROUNDS = 3


def _own_generation(user: User | int) -> int:
    return page_generations(user if isinstance(user, int) else user.id)[1]


def _signed_in(app, user: User):
    browser = app.test_client()
    browser.post("/login", data={"email": user.email, "password": PASSWORD})
    browser.get("/")  # shows the login's flash message, so later pages may be kept
    return browser


def _served_from_cache(browser, url: str, count_queries) -> bool:
    with count_queries() as statements:
        assert browser.get(url).status_code == 200
    return not _page_queries(statements)


def _unread_badge(page: str) -> str | None:
    marker = '<span class="count-badge">'
    if marker not in page:
        return None
    return page.split(marker, 1)[1].split("<", 1)[0]


def _news_for(people) -> None:
    """Two unread notifications for the asker: an expert answered each of their questions."""
    for title in (
        "Which pathway for our class IIb tool?",
        "Is a usability study an investigation?",
    ):
        question = ask_question(people.asker, title=title)
        answers.post_answer(question, people.expert, "Ask the notified body first, in writing.")


# --- what a change moves ---------------------------------------------------------------


def test_marking_notifications_read_retires_only_that_members_pages(app, people, count_queries):
    _news_for(people)
    member, other = _signed_in(app, people.asker), _signed_in(app, people.other)
    visitor = app.test_client()
    for browser in (member, other, visitor):
        for url in ("/questions", "/faq"):
            _warm(browser, url, count_queries)
    assert _unread_badge(member.get("/questions").get_data(as_text=True)) == "2"
    kept = len(app.extensions["page_cache"])
    generation, others_own = current_generation(), _own_generation(people.other)
    members_own = _own_generation(people.asker)

    member.post("/notifications/read", data={})
    member.get("/notifications")  # shows the flash message

    assert current_generation() == generation
    assert _own_generation(people.asker) == members_own + 1
    assert _own_generation(people.other) == others_own
    # Everyone else's pages survive, in this worker's cache, and are served from it.
    assert len(app.extensions["page_cache"]) >= kept
    for browser in (other, visitor):
        for url in ("/questions", "/faq"):
            assert _served_from_cache(browser, url, count_queries), url
    # The member's own page is rendered again: the header's count drops at once.
    with count_queries() as statements:
        page = member.get("/questions").get_data(as_text=True)
    assert _page_queries(statements)
    assert _unread_badge(page) is None
    assert _served_from_cache(member, "/questions", count_queries)


def test_opening_a_question_with_news_shows_the_lower_count_on_the_next_page(
    app, people, count_queries
):
    _news_for(people)
    first = db.session.scalars(
        select(Notification.question_id).where(Notification.user_id == people.asker.id)
    ).first()
    member, visitor = _signed_in(app, people.asker), app.test_client()
    for browser in (member, visitor):
        _warm(browser, "/questions", count_queries)
    assert _unread_badge(member.get("/questions").get_data(as_text=True)) == "2"

    member.get(f"/questions/{first}")  # reads the news about it

    assert _unread_badge(member.get("/questions").get_data(as_text=True)) == "1"
    assert _served_from_cache(visitor, "/questions", count_queries)


def test_a_shown_change_still_retires_every_cached_page(app, people, count_queries):
    question = ask_question(people.asker, title="Which fees apply to a pilot study?")
    member, visitor = _signed_in(app, people.other), app.test_client()
    for browser in (member, visitor):
        _warm(browser, "/questions", count_queries)
    assert len(app.extensions["page_cache"]) >= 2
    own = _own_generation(people.other)

    answers.post_answer(question, people.expert, "The regional tariff, paid before submission.")

    assert _own_generation(people.other) == own  # the content generation covers it
    assert not _served_from_cache(member, "/questions", count_queries)
    assert len(app.extensions["page_cache"]) == 1  # emptied, then the member's page kept
    assert not _served_from_cache(visitor, "/questions", count_queries)


def test_a_private_change_keeps_public_documents(app, people, count_queries):
    _news_for(people)
    feed_reader = app.test_client()
    feed_reader.get("/faq/feed.atom")
    assert _served_from_cache(feed_reader, "/faq/feed.atom", count_queries)
    notifications.mark_read(db.session.get(User, people.asker.id))
    assert _served_from_cache(feed_reader, "/faq/feed.atom", count_queries)


def test_changing_ones_email_settings_moves_only_ones_own_generation(app, people):
    generation, own = current_generation(), _own_generation(people.asker)
    notifications.set_email_opt_outs(people.asker, [NotificationKind.NEW_ANSWER])
    assert (current_generation(), _own_generation(people.asker)) == (generation, own + 1)
    notifications.set_email_opt_outs(people.asker, [])  # the row deleted
    assert (current_generation(), _own_generation(people.asker)) == (generation, own + 2)


def test_a_bulk_statement_on_a_private_table_without_an_owner_moves_the_content_generation(
    app, people
):
    _news_for(people)
    generation, own = current_generation(), _own_generation(people.asker)
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == people.asker.id)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert (current_generation(), _own_generation(people.asker)) == (generation + 1, own)

    db.session.execute(
        private_to(
            update(Notification)
            .where(Notification.user_id == people.asker.id)
            .values(read_at=None)
            .execution_options(synchronize_session=False),
            people.asker.id,
        )
    )
    db.session.commit()
    assert (current_generation(), _own_generation(people.asker)) == (generation + 1, own + 1)


def test_a_private_row_whose_owner_is_not_loaded_moves_the_content_generation(app, people):
    """The flush cannot tell whose row it was without a query: everyone's pages go."""
    _news_for(people)
    note_id = db.session.scalars(select(Notification.id)).first()
    asker_id = people.asker.id
    db.session.expunge_all()
    note = db.session.get(Notification, note_id, options=[load_only(Notification.read_at)])
    assert "user_id" not in inspect(note).dict
    generation, own = current_generation(), _own_generation(asker_id)
    note.read_at = utcnow()
    db.session.commit()
    assert (current_generation(), _own_generation(asker_id)) == (generation + 1, own)


def test_a_notification_passed_to_someone_else_moves_both_owners(app, people):
    _news_for(people)
    note = db.session.scalars(
        select(Notification).where(Notification.user_id == people.asker.id)
    ).first()
    before = {person.id: _own_generation(person) for person in (people.asker, people.other)}
    generation = current_generation()
    note.user_id = people.other.id
    db.session.commit()
    assert current_generation() == generation
    assert _own_generation(people.asker) == before[people.asker.id] + 1
    assert _own_generation(people.other) == before[people.other.id] + 1


def test_a_new_notification_alone_moves_its_recipients_generation(app, people):
    generation, own = current_generation(), _own_generation(people.asker)
    recipient = db.session.get(User, people.asker.id)
    db.session.add(Notification(user=recipient, kind=NotificationKind.NEW_ANSWER))
    db.session.commit()
    assert (current_generation(), _own_generation(people.asker)) == (generation, own + 1)


def test_a_rolled_back_private_change_moves_nothing(app, people):
    _news_for(people)
    generation, own = current_generation(), _own_generation(people.asker)
    db.session.execute(private_to(update(Notification).values(read_at=utcnow()), people.asker.id))
    db.session.rollback()
    db.session.commit()
    assert (current_generation(), _own_generation(people.asker)) == (generation, own)


# --- the lookup --------------------------------------------------------------------------


def test_a_signed_in_readers_cache_hit_reads_both_generations_in_one_query(
    app, people, count_queries
):
    member = _signed_in(app, people.asker)
    _warm(member, "/questions", count_queries)
    with count_queries() as statements:
        assert member.get("/questions").status_code == 200
    assert len(statements) == 1
    assert "content_generation" in statements[0] and "user_page_generation" in statements[0]


def test_a_visitors_cache_hit_reads_the_content_generation_alone(app, people, count_queries):
    visitor = app.test_client()
    _warm(visitor, "/questions", count_queries)
    with count_queries() as statements:
        visitor.get("/questions")
    assert len(statements) == 1 and "user_page_generation" not in statements[0]


# --- concurrent commits -------------------------------------------------------------------


def test_two_concurrent_private_commits_for_one_user_both_count(app, make_user):
    """Each round a new user, so both commits race to insert their row, then a second
    race on the row that exists. On PostgreSQL both transactions are open, their
    notifications written, before either commits; SQLite lets one writer at a time."""
    overlap = db.engine.dialect.name == "postgresql"
    for _ in range(ROUNDS):
        owner = make_user().id
        for _race in range(2):  # first with no row for the user, then on their row
            notes = [Notification(user_id=owner, kind=NotificationKind.NEW_ANSWER) for _ in "ab"]
            db.session.add_all(notes)
            db.session.commit()
            note_ids = [note.id for note in notes]
            before = _own_generation(owner)
            written = threading.Barrier(2)

            def read_one(index: int, note_ids=note_ids, written=written, owner=owner) -> None:
                db.session.execute(
                    private_to(
                        update(Notification)
                        .where(Notification.id == note_ids[index])
                        .values(read_at=utcnow()),
                        owner,
                    )
                )
                if overlap:
                    written.wait(timeout=30)
                db.session.commit()

            run_together(app, 2, read_one)
            assert _own_generation(owner) == before + 2


# --- the classification and the migration ------------------------------------------------


def test_each_private_table_names_its_owner_by_a_key_to_the_user():
    tables = db.metadata.tables
    for name, owner_column in PRIVATE_TABLES.items():
        assert name not in UNSHOWN_TABLES
        column = tables[name].c[owner_column]
        assert not column.nullable, f"{name}.{owner_column} may be empty"
        assert [key.target_fullname for key in column.foreign_keys] == ["user.id"]
    # A user's counter goes with them (their deletion moves the content generation).
    (key,) = UserPageGeneration.__table__.c.user_id.foreign_keys
    assert key.ondelete == "CASCADE"


def test_the_migration_adds_the_user_generations_and_its_downgrade_drops_them(app, people):
    notifications.set_email_opt_outs(people.asker, [NotificationKind.NEW_ANSWER])
    asker_id = people.asker.id
    db.session.remove()
    downgrade(revision=BEFORE_THIS_MIGRATION)
    try:
        assert "user_page_generation" not in inspect(db.engine).get_table_names()
        upgrade()
        assert "user_page_generation" in inspect(db.engine).get_table_names()
        assert _own_generation(asker_id) == 0  # no row yet: nothing kept under it
        notifications.set_email_opt_outs(db.session.get(User, asker_id), [])
        assert _own_generation(asker_id) == 1
    finally:
        db.session.remove()
        upgrade()
