"""The demo centre: loads through the services, is idempotent and believable."""
from __future__ import annotations

from sqlalchemy import func, select

from forum.demo.questions import DEMO_QUESTIONS
from forum.extensions import db
from forum.models import (
    Answer,
    ExpertArea,
    FaqEntry,
    Question,
    QuestionStatus,
    Role,
    User,
    Visibility,
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_loads_a_believable_centre_and_prints_the_accounts(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin@ctcc.example" in result.output and "giulia-demo-2026" in result.output
    assert _count(Question) == len(DEMO_QUESTIONS) >= 20
    areas = set(db.session.scalars(select(User.area).where(User.role == Role.EXPERT)))
    assert areas == set(ExpertArea)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.is_chair)) >= 1
    assert db.session.scalar(select(func.count()).select_from(Question)
                             .where(Question.visibility == Visibility.CONFIDENTIAL)) >= 3
    statuses = set(db.session.scalars(select(Question.status)))
    assert statuses == set(QuestionStatus)
    assert _count(FaqEntry) >= 5
    shortest = db.session.scalar(select(func.min(func.length(Answer.body))))
    assert shortest > 600  # substantive answers, not one-liners


def test_seed_demo_twice_adds_nothing_more(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    counts = [_count(model) for model in (User, Question, Answer, FaqEntry)]
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert [_count(model) for model in (User, Question, Answer, FaqEntry)] == counts
    assert "0 accounts and 0 questions" in second.output


def test_demo_accounts_can_log_in_and_every_demo_page_renders(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    assert client.post("/login", data={"email": "anna.colombo@brianza-medtech.example",
                                       "password": "anna-demo-2026"}).status_code == 302
    for question_id in db.session.scalars(select(Question.id)):
        assert client.get(f"/questions/{question_id}").status_code in (200, 404)
    assert client.get("/faq").status_code == 200


def test_the_demo_writes_the_centres_four_pages_in_both_languages(app, client):
    from forum.models import CentrePage, CentrePageRevision
    from forum.services import centre_pages

    app.test_cli_runner().invoke(args=["seed-demo"])
    for page in CentrePage:
        revision = centre_pages.current(page)
        assert revision.body_en and revision.body_it, page
        for headers, expected in (({"Accept-Language": "en-GB"}, revision.title_en),
                                  ({"Accept-Language": "it-IT"}, revision.title_it)):
            shown = client.get(f"/{page.value}", headers=headers).get_data(as_text=True)
            assert f"<h1>{expected}</h1>" in shown.replace("&#39;", "'"), (page, headers)
    assert _count(CentrePageRevision) == 5  # the terms in two revisions: English, then Italian
    # Every demo account accepted the notice, so logging in leads straight on.
    assert db.session.scalar(select(func.count()).select_from(User)
                             .where(User.privacy_version_accepted.is_(None))) == 0
    client.post("/login", data={"email": "anna.colombo@brianza-medtech.example",
                                "password": "anna-demo-2026"})
    assert client.get("/questions").status_code == 200
    app.test_cli_runner().invoke(args=["seed-demo"])
    assert _count(CentrePageRevision) == 5
