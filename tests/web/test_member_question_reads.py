"""A member's home page and question list read the public questions and the member's own
beyond them as two ordered reads merged (services/questions.py ``_listed``): their own
confidential and hidden questions are listed and counted, nobody else's ever is."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from forum.extensions import db
from forum.models import ModerationState, Role, Visibility
from forum.models.columns import utcnow
from tests.factories import ask_question

ROW_TITLE = re.compile(r'class="question-title">\s*<a [^>]*>([^<]+)</a>')
SO_FAR = re.compile(r"(\d+) questions? so far")


def _listed_and_counted(client, path: str) -> tuple[list[str], str]:
    page = client.get(path).get_data(as_text=True)
    counted = SO_FAR.search(page) if path == "/" else re.search(r'result-count">([^<]+)<', page)
    return [html.unescape(title) for title in ROW_TITLE.findall(page)], counted.group(1)


def test_each_reader_lists_and_counts_their_own_hidden_and_confidential_questions_only(
    app, client, make_user, login
):
    app.config["PAGE_CACHE_SECONDS"] = 0
    owner, stranger, expert = make_user(), make_user(), make_user(Role.EXPERT)
    asked = {}
    for days_ago, (name, author, visibility) in enumerate(
        [
            ("owner's public", owner, Visibility.PUBLIC),
            ("owner's confidential", owner, Visibility.CONFIDENTIAL),
            ("owner's hidden", owner, Visibility.PUBLIC),
            ("stranger's confidential", stranger, Visibility.CONFIDENTIAL),
            ("stranger's hidden", stranger, Visibility.PUBLIC),
            ("stranger's public", stranger, Visibility.PUBLIC),
        ]
    ):
        question = ask_question(
            author, title=f"The {name} question on a pilot study", visibility=visibility
        )
        # The newest first in the list order above, so the hidden ones lead the merge.
        question.created_at = question.last_activity_at = utcnow() - timedelta(days=days_ago)
        if "hidden" in name:
            question.moderation_state = ModerationState.HIDDEN
        asked[name] = question.title
    db.session.commit()

    def titles(*names: str) -> list[str]:
        return [asked[name] for name in names]

    expected = {
        None: titles("owner's public", "stranger's public"),
        owner: titles(
            "owner's public", "owner's confidential", "owner's hidden", "stranger's public"
        ),
        stranger: titles(
            "owner's public", "stranger's confidential", "stranger's hidden", "stranger's public"
        ),
        # Every confidential question, and of the hidden ones none (not theirs).
        expert: titles(
            "owner's public", "owner's confidential", "stranger's confidential", "stranger's public"
        ),
    }
    for reader, listed in expected.items():
        if reader is not None:
            login(reader)
        for path in ("/", "/questions", "/questions?sort=active", "/questions?sort=unanswered"):
            rows, counted = _listed_and_counted(client, path)
            assert sorted(rows) == sorted(listed), (reader, path)
            assert counted.startswith(str(len(listed))), (reader, path, counted)
        rows, _ = _listed_and_counted(client, "/questions")
        assert rows == sorted(listed, key=lambda title: list(asked.values()).index(title))
