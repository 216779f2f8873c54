"""Visit counting: per day and section and for the whole site, unique visitors by a daily
salted hash, no IP addresses stored, bots ignored, and no database write on a page request
(batched flushes)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from forum.demo.visits import HISTORY_DAYS, seed_visit_history
from forum.extensions import db
from forum.models import Role, VisitDay, VisitorMark, VisitSalt
from forum.services import visit_figures, visits
from forum.services.visits import SITE, VisitCounter
from forum.web.infra.visits import visit_counter

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ADDRESS = "203.0.113.77"


@pytest.fixture
def counting(app):
    """Counting switched on (it is off in tests); the app's counter, never auto-flushed."""
    app.config["VISIT_COUNTING"] = True
    return visit_counter(app)


def visit(
    client, path: str, *, address: str = ADDRESS, agent: str = FIREFOX, headers: dict | None = None
):
    return client.get(
        path,
        headers={"User-Agent": agent, **(headers or {})},
        environ_base={"REMOTE_ADDR": address},
    )


def figures(day: date | None = None) -> dict[str, tuple[int, int]]:
    day = day or date.today()
    return {
        row.section: (row.views, row.unique_visitors)
        for row in db.session.scalars(select(VisitDay).where(VisitDay.day == day))
    }


def test_page_views_are_counted_per_section(client, counting):
    for path in ("/", "/questions", "/questions?page=2", "/faq", "/experts", "/login"):
        assert visit(client, path).status_code == 200
    assert counting.pending_views() == 6
    counting.flush()
    assert figures(counting.today()) == {
        "home": (1, 1),
        "questions": (2, 1),
        "faq": (1, 1),
        "experts": (1, 1),
        "other": (1, 1),
        SITE: (6, 1),  # every view, and the one visitor once
    }
    assert counting.pending_views() == 0


def test_one_visitor_reading_several_sections_is_one_unique_visitor_of_the_day(client, counting):
    visit(client, "/")
    visit(client, "/faq")
    visit(client, "/guide")
    visit(client, "/faq", address="198.51.100.4")  # someone else, in one section
    counting.flush()
    today = counting.today()
    assert figures(today) == {"home": (1, 1), "faq": (2, 2), "guide": (1, 1), SITE: (4, 2)}
    assert visit_figures.daily_visits(today, today) == [(today.isoformat(), 4, 2)]
    month = f"{today.year:04d}-{today.month:02d}"
    assert visit_figures.visits_by_month(today, today) == [(month, 4, 2)]
    by_section = visit_figures.visits_by_section(today, today)
    assert [row.label for row in by_section] == list(visits.SECTIONS)  # no site row
    assert sum(row.unique_visitors for row in by_section) == 4  # the sections' own, overlapping


def test_two_workers_count_a_visitor_of_two_sections_once_for_the_site(app):
    first, second = VisitCounter(), VisitCounter()
    today = first.today()
    first.record("home", ADDRESS, FIREFOX)
    second.record("faq", ADDRESS, FIREFOX)
    assert (first.flush().visitors, second.flush().visitors) == (1, 1)
    assert figures(today) == {"home": (1, 1), "faq": (1, 1), SITE: (2, 1)}
    assert (
        db.session.scalar(
            select(func.count()).select_from(VisitorMark).where(VisitorMark.section == SITE)
        )
        == 1
    )


def test_the_site_row_is_not_a_section_anyone_records_in(app):
    assert SITE not in visits.SECTIONS
    assert visits.section_for_path("/site") == "other"
    with pytest.raises(ValueError):
        VisitCounter().record(SITE, ADDRESS, FIREFOX)


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/", "home"),
        ("/questions/12/some-title", "questions"),
        ("/faq", "faq"),
        ("/guide/changes", "guide"),
        ("/citations/mdr-art-62", "guide"),
        ("/clinics", "clinics"),
        ("/experts/3", "experts"),
        ("/board/4", "board"),
        ("/search", "search"),
        ("/notifications", "other"),
        ("/survey/t/abc", "other"),
        ("/QUESTIONS", "questions"),
        ("/admin/outbox", None),
        ("/static/css/forum.css", None),
        ("/api/questions", None),
        ("/health", None),
        ("/review", None),
    ],
)
def test_each_path_counts_in_one_section_or_none(path, section):
    assert visits.section_for_path(path) == section


def test_unique_visitors_are_told_apart_by_address_and_browser(client, counting):
    visit(client, "/")
    visit(client, "/")  # the same person again
    visit(client, "/", address="198.51.100.4")  # someone else
    visit(client, "/", agent=SAFARI)  # another device behind the same address
    counting.flush()
    assert figures(counting.today())["home"] == (4, 3)


def test_rotating_user_agents_from_one_address_count_a_few_visitors_not_one_each(client, counting):
    # issue 20, finding 18b: 300 requests with 300 user agents were 300 unique visitors
    for number in range(300):
        visit(
            client, "/", agent=f"Mozilla/5.0 (X11; Linux x86_64; rv:{number}.0) Firefox/{number}.0"
        )
    counting.flush()
    views, visitors = figures(counting.today())["home"]
    assert views == 300
    assert 1 <= visitors <= visits.AGENT_BUCKETS
    assert figures(counting.today())[SITE][1] == visitors


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
        "Bytespider",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/126.0.6478.126 Safari/537.36",
        "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "",
    ],
)
def test_bots_and_tools_are_not_counted(client, counting, agent):
    assert visit(client, "/", agent=agent).status_code == 200
    assert counting.pending_views() == 0


@pytest.mark.parametrize(
    "agent",
    [
        FIREFOX,
        SAFARI,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0",
    ],
)
def test_browsers_are_not_mistaken_for_bots(agent):
    assert not visits.is_bot(agent)


def test_only_successful_page_gets_are_counted(client, counting, make_user, login):
    admin = make_user(Role.ADMIN)
    token = client.csrf_token()
    counting.flush()  # forget the form fetched for its token
    client.post(
        "/login",
        csrf=False,
        data={"email": "nobody@example.org", "password": "wrong", "csrf_token": token},
        headers={"User-Agent": FIREFOX},
    )  # a POST (answered with the form again)
    visit(client, "/questions/999999")  # 404
    visit(client, "/static/css/forum.css")  # an asset
    visit(client, "/questions/ask")  # a redirect to log in
    visit(client, "/", headers={"Sec-Purpose": "prefetch"})  # fetched ahead of a click
    assert counting.pending_views() == 0
    login(admin)
    counting.flush()  # forget the login form
    assert visit(client, "/admin/outbox").status_code == 200  # administration
    assert counting.pending_views() == 0


def test_nothing_is_counted_while_counting_is_off(client, app):
    assert app.config["VISIT_COUNTING"] is False  # the test default
    visit(client, "/")
    assert visit_counter(app).pending_views() == 0


def test_a_page_request_writes_nothing_to_the_database(
    client, counting, count_queries, make_user, login
):
    member = make_user()
    for signed_in in (False, True):
        if signed_in:
            login(member)
        before = counting.pending_views()
        with count_queries() as statements:
            assert visit(client, "/").status_code == 200
            assert visit(client, "/questions").status_code == 200
        writes = [
            statement
            for statement in statements
            if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
        ]
        assert writes == []
        assert not any("visit" in statement.lower() for statement in statements)
        assert counting.pending_views() == before + 2  # counted, in memory


def test_no_address_or_user_agent_is_stored_anywhere(client, counting):
    visit(client, "/")
    visit(client, "/faq", address="198.51.100.4")
    counting.flush()
    assert db.session.scalar(select(func.count()).select_from(VisitorMark)) == 4  # and the site's
    unsalted = visits.visitor_digest(ADDRESS, FIREFOX).hex()
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            dumped = " ".join(str(value) for value in row)
            for secret in (ADDRESS, "198.51.100.4", "Firefox", unsalted):
                assert secret not in dumped, (table.name, dumped)
    assert all(len(mark.visitor_hash) == 64 for mark in db.session.scalars(select(VisitorMark)))


def test_flushes_add_up(app):
    counter = VisitCounter()
    today = counter.today()
    counter.record("faq", ADDRESS, FIREFOX)
    counter.record("faq", ADDRESS, FIREFOX)
    report = counter.flush()
    assert (report.views, report.visitors) == (2, 1)
    counter.record("faq", ADDRESS, FIREFOX)  # seen already today: no new visitor
    counter.record("faq", "198.51.100.4", FIREFOX)
    counter.flush()
    assert figures(today) == {"faq": (4, 2), SITE: (4, 2)}
    assert counter.flush().views == 0  # nothing buffered, nothing written


def test_two_workers_count_the_same_visitor_once_a_day(app):
    first, second = VisitCounter(), VisitCounter()
    today = first.today()
    first.record("questions", ADDRESS, FIREFOX)
    second.record("questions", ADDRESS, FIREFOX)
    second.record("questions", "198.51.100.4", FIREFOX)
    first.flush()
    second.flush()
    assert figures(today) == {"questions": (3, 2), SITE: (3, 2)}
    assert db.session.scalar(select(func.count()).select_from(VisitSalt)) == 1


def test_yesterdays_salt_and_marks_are_forgotten_after_a_flush(app):
    counter = VisitCounter()
    today = counter.today()
    yesterday = today - timedelta(days=1)
    counter.record("home", ADDRESS, FIREFOX, day=yesterday)
    counter.flush(today=yesterday)  # a flush during yesterday
    assert db.session.get(VisitSalt, yesterday) is not None
    counter.record("home", "198.51.100.4", FIREFOX, day=yesterday)  # the last visit of the day
    counter.record("faq", ADDRESS, FIREFOX)
    report = counter.flush(today=today)  # the first flush after midnight
    assert report.salts_forgotten == 1
    assert db.session.get(VisitSalt, yesterday) is None
    assert db.session.scalars(select(VisitorMark.day).distinct()).all() == [today]
    assert figures(yesterday) == {"home": (2, 2), SITE: (2, 2)}  # the aggregates stay
    assert figures(today) == {"faq": (1, 1), SITE: (1, 1)}


def test_visits_buffered_past_a_forgotten_day_are_still_counted(app):
    early, late = VisitCounter(), VisitCounter()
    today = early.today()
    yesterday = today - timedelta(days=1)
    early.record("home", ADDRESS, FIREFOX, day=yesterday)
    late.record("home", "198.51.100.4", FIREFOX, day=yesterday)
    early.flush(today=today)  # writes yesterday, then forgets its salt
    late.flush(today=today)  # yesterday's marks are gone: added without deduplication
    assert figures(yesterday) == {"home": (2, 2), SITE: (2, 2)}
    assert db.session.get(VisitSalt, yesterday) is None


def test_a_failed_flush_keeps_the_counts_for_the_next(app, monkeypatch):
    counter = VisitCounter()
    counter.record("faq", ADDRESS, FIREFOX)
    monkeypatch.setattr(visits, "_add_views", _fail)
    with pytest.raises(RuntimeError):
        counter.flush()
    assert counter.pending_views() == 1
    monkeypatch.undo()
    counter.flush()
    assert figures(counter.today()) == {"faq": (1, 1), SITE: (1, 1)}


def _fail(rows):
    raise RuntimeError("the database is away")


def test_the_flushing_thread_starts_with_the_first_visit_and_writes(app):
    counter = VisitCounter(app=app, flush_seconds=0.05)
    assert counter._thread is None  # nothing started before a visit
    counter.record("guide", ADDRESS, FIREFOX)
    try:
        deadline = time.monotonic() + 10
        while counter.pending_views() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert counter.pending_views() == 0
    finally:
        counter._stop.set()
        counter._thread.join(5)
    db.session.rollback()
    assert figures(counter.today()) == {"guide": (1, 1), SITE: (1, 1)}


def test_the_app_never_starts_a_flushing_thread_in_tests(client, counting):
    visit(client, "/")
    assert counting._thread is None


def test_the_cli_flush_forgets_past_salts(app):
    db.session.add(VisitSalt(day=date.today() - timedelta(days=3), salt="x" * 64))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["visits", "flush"])
    assert result.exit_code == 0, result.output
    assert "forgot the salts of 1 past days" in result.output
    assert db.session.scalar(select(func.count()).select_from(VisitSalt)) == 0


def _seed_days(*rows: tuple[date, str, int, int]) -> None:
    db.session.add_all(
        VisitDay(day=day, section=section, views=views, unique_visitors=uniques)
        for day, section, views, uniques in rows
    )
    db.session.commit()


def test_figures_by_month_section_and_day(app):
    # 1 February: one visitor read the home page and the FAQ (1 unique visitor of the site,
    # though each section counts them), someone else only the home page.
    _seed_days(
        (date(2026, 1, 31), "home", 10, 6),
        (date(2026, 1, 31), SITE, 10, 6),
        (date(2026, 2, 1), "home", 5, 2),
        (date(2026, 2, 1), "faq", 3, 1),
        (date(2026, 2, 1), SITE, 8, 2),
        (date(2026, 3, 15), "faq", 7, 5),
        (date(2026, 3, 15), SITE, 7, 5),
        (date(2026, 4, 1), "faq", 100, 90),
        (date(2026, 4, 1), SITE, 100, 90),
    )  # outside
    assert visit_figures.visits_by_month(date(2026, 1, 1), date(2026, 3, 31)) == [
        ("2026-01", 10, 6),
        ("2026-02", 8, 2),
        ("2026-03", 7, 5),
    ]
    by_section = {
        row.label: row
        for row in visit_figures.visits_by_section(date(2026, 1, 1), date(2026, 3, 31))
    }
    assert list(by_section) == list(visits.SECTIONS)
    assert by_section["faq"] == ("faq", 10, 6)
    assert by_section["home"] == ("home", 15, 8)
    assert by_section["board"] == ("board", 0, 0)
    assert visit_figures.daily_visits(date(2026, 1, 31), date(2026, 2, 2)) == [
        ("2026-01-31", 10, 6),
        ("2026-02-01", 8, 2),
        ("2026-02-02", 0, 0),
    ]
    assert visit_figures.daily_visits(date(2026, 2, 1), date(2026, 2, 1), section="faq") == [
        ("2026-02-01", 3, 1)
    ]


def test_a_months_unique_visitors_are_the_sum_of_its_days(app):
    # The same person on two days cannot be recognised the second day: two visitors.
    _seed_days(
        (date(2026, 2, 1), "faq", 1, 1),
        (date(2026, 2, 1), SITE, 1, 1),
        (date(2026, 2, 2), "faq", 1, 1),
        (date(2026, 2, 2), SITE, 1, 1),
    )
    assert visit_figures.visits_by_month(date(2026, 2, 1), date(2026, 2, 28)) == [("2026-02", 2, 2)]


PREVIOUS_REVISION = "5aa07bbd0e25"  # the migration before the site rows


def test_the_migration_backfills_site_rows_and_its_downgrade_removes_them(app):
    yesterday, today = date(2026, 2, 1), date(2026, 2, 2)
    downgrade(revision=PREVIOUS_REVISION)
    try:
        _seed_days(
            (yesterday, "home", 5, 3),
            (yesterday, "faq", 4, 2),
            (today, "home", 2, 2),
            (today, "faq", 1, 1),
        )
        # Today's marks still exist: the visitor of both sections is one visitor.
        db.session.add_all(
            VisitorMark(day=today, section=section, visitor_hash=mark * 64)
            for section, mark in (("home", "a"), ("home", "b"), ("faq", "a"))
        )
        db.session.commit()
        db.session.remove()
        upgrade()
        # Yesterday's visitors can no longer be told apart: the sections' sum is all there is.
        assert figures(yesterday)[SITE] == (9, 5)
        assert figures(today)[SITE] == (3, 2)
        assert set(
            db.session.scalars(select(VisitorMark.visitor_hash).where(VisitorMark.section == SITE))
        ) == {"a" * 64, "b" * 64}
        db.session.remove()
        downgrade(revision=PREVIOUS_REVISION)
        assert SITE not in figures(yesterday) and SITE not in figures(today)
        assert (
            db.session.scalar(
                select(func.count()).select_from(VisitorMark).where(VisitorMark.section == SITE)
            )
            == 0
        )
        assert figures(yesterday) == {"home": (5, 3), "faq": (4, 2)}  # the sections untouched
    finally:
        db.session.remove()
        upgrade()


def test_the_demo_history_covers_six_months_and_is_idempotent(app):
    today = date(2026, 6, 1)
    assert seed_visit_history(today) == HISTORY_DAYS * (len(visits.SECTIONS) + 1)
    first = [
        (row.day, row.section, row.views)
        for row in db.session.scalars(select(VisitDay).order_by(VisitDay.day, VisitDay.section))
    ]
    assert seed_visit_history(today) == 0
    assert first[0][0] == today - timedelta(days=HISTORY_DAYS)
    assert first[-1][0] == today - timedelta(days=1)
    months = visit_figures.visits_by_month(today - timedelta(days=HISTORY_DAYS), today)
    assert months[-2].views > months[1].views  # the forum grows
    assert all(row.unique_visitors <= row.views for row in months)
    for day in {row[0] for row in first}:
        sections = [
            row
            for row in db.session.scalars(select(VisitDay).where(VisitDay.day == day))
            if row.section != SITE
        ]
        site = db.session.get(VisitDay, (day, SITE))
        assert site.views == sum(row.views for row in sections)
        # Fewer than the sections' sum (people read several), no fewer than the busiest's.
        assert (
            max(row.unique_visitors for row in sections)
            <= site.unique_visitors
            < sum(row.unique_visitors for row in sections)
        )
    db.session.execute(text("DELETE FROM visit_day"))
    db.session.commit()
    seed_visit_history(today)
    again = [
        (row.day, row.section, row.views)
        for row in db.session.scalars(select(VisitDay).order_by(VisitDay.day, VisitDay.section))
    ]
    assert again == first  # deterministic


# --- counting in one cheap step (issue 28) ----------------------------------------------------


def test_views_past_the_pending_bound_are_folded_by_the_recording_request(app, monkeypatch):
    """A request only queues its view; the queue, and the addresses it holds unhashed,
    stays bounded even when no flush comes."""
    monkeypatch.setattr(visits, "MAX_PENDING_VIEWS", 3)
    counter = VisitCounter()
    for number in range(7):
        counter.record("faq", f"198.51.100.{number % 2}", FIREFOX)
    assert len(counter._pending) < 3
    assert all(FIREFOX not in entry for entry in counter._pending)  # the agent's bucket only
    assert counter.pending_views() == 7
    counter.flush()
    assert figures(counter.today()) == {"faq": (7, 2), SITE: (7, 2)}


def test_a_view_counts_on_the_day_of_its_request_in_the_forums_zone(app, monkeypatch):
    """The day is read from the clock per view (worked out again only after midnight)."""
    rome = ZoneInfo("Europe/Rome")
    before_midnight = datetime(2026, 3, 1, 23, 59, 59, 900_000, tzinfo=rome).timestamp()
    counter = VisitCounter("Europe/Rome")
    monkeypatch.setattr(visits.time, "time", lambda: before_midnight)
    counter.record("home", ADDRESS, FIREFOX)
    monkeypatch.setattr(visits.time, "time", lambda: before_midnight + 0.2)
    counter.record("home", ADDRESS, FIREFOX)
    counter.record("faq", ADDRESS, FIREFOX)
    counter.flush(today=date(2026, 3, 2))
    assert figures(date(2026, 3, 1)) == {"home": (1, 1), SITE: (1, 1)}
    assert figures(date(2026, 3, 2)) == {"home": (1, 1), "faq": (1, 1), SITE: (2, 1)}
