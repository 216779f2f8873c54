"""The layout, the home page and the FAQ (the guide: tests/web/test_guide.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Role, Topic, Visibility
from forum.services import answers, faq
from forum.services.errors import PermissionDenied
from tests.factories import ask_question


def test_the_header_links_the_main_sections_and_the_account(client, make_user, login):
    page = client.get("/").get_data(as_text=True)
    for link in (
        'href="/questions">Questions',
        'href="/questions/ask">Ask a question',
        'href="/faq">FAQ',
        'href="/guide">Guide',
        'href="/login">Log in',
        'href="/register">Register',
    ):
        assert link in page
    assert '<html lang="en">' in page
    login(make_user())
    assert ">Log out</button>" in client.get("/").get_data(as_text=True)


def test_the_faq_links_a_confidential_source_only_for_those_who_can_see_it(
    client, make_user, login
):
    author = make_user()
    secret = ask_question(
        author,
        title="Confidential question behind an FAQ entry",
        visibility=Visibility.CONFIDENTIAL,
    )
    answer = answers.post_answer(
        secret, make_user(Role.EXPERT), "The general rule is MDR Art. 74(1)."
    )
    topic = db.session.scalar(select(Topic).where(Topic.slug == "pmcf"))
    faq.promote_answer(
        make_user(Role.ADMIN),
        answer,
        question_text="Do extra blood draws need a notice?",
        answer_text="Yes: notify at least 30 days before (MDR Art. 74(1)).",
        topic=topic,
    )
    public_page = client.get("/faq").get_data(as_text=True)
    assert "Do extra blood draws need a notice?" in public_page
    assert "Source discussion" not in public_page and f"/questions/{secret.id}" not in public_page
    login(author)
    assert "Source discussion" in client.get("/faq").get_data(as_text=True)


def test_only_admins_promote_and_only_what_they_can_see(make_user):
    question = ask_question(make_user())
    answer = answers.post_answer(
        question, make_user(Role.EXPERT), "The general rule is MDR Art. 70."
    )
    topic = db.session.scalar(select(Topic).where(Topic.slug == "pmcf"))
    with pytest.raises(PermissionDenied):
        faq.promote_answer(
            make_user(Role.EXPERT), answer, question_text="Q?", answer_text="A.", topic=topic
        )
