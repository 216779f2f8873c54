"""Every XSS vector of tests/xss_vectors.py, posted where users and curators write
(question titles and bodies, answers, comments, FAQ entries, guide sections, board
answers), comes back in no page as something that could run.

Each test posts every vector through the real forms, then reads the pages that
show it and parses them (``executable_content``): no script or style element,
no event handler or style attribute, no javascript:, vbscript: or data: URL.
The browser test (tests/browser/test_xss_browser.py) loads the same kind of pages in
Chromium.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.markdown_render import render_markdown
from forum.models import BoardAnswer, GuideSection
from forum.services import answers, board, faq
from forum.services.guide import importing
from tests.access_matrix import SMALL_GUIDE
from tests.factories import ask_question, question_form, topic_id
from tests.fixtures.people import PASSWORD
from tests.xss_vectors import VECTORS, executable_content

NUMBERED = list(enumerate(VECTORS, start=1))


def test_there_are_at_least_fifty_distinct_vectors():
    assert len(VECTORS) >= 50
    assert len({text for _name, text in VECTORS}) == len(VECTORS)
    assert len({name for name, _text in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize("name,vector", VECTORS, ids=[name for name, _ in VECTORS])
def test_the_markdown_filter_leaves_nothing_executable(name, vector):
    html = str(render_markdown(f"Some text before.\n\n{vector}\n\nSome text after."))
    assert executable_content(html) == []
    assert "Some text after." in html


def test_the_checker_finds_what_the_sanitiser_removes():
    # Without nh3, Python-Markdown passes raw HTML through: the checker must see it,
    # or the page tests below would prove nothing.
    import markdown

    from forum.markdown_render import MARKDOWN_EXTENSIONS

    flagged = [
        name
        for name, vector in VECTORS
        if executable_content(markdown.markdown(vector, extensions=MARKDOWN_EXTENSIONS))
    ]
    assert len(flagged) >= 50


def _client(app, user=None):
    client = app.test_client()
    if user is not None:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
    return client, client.csrf_token()


class Pages:
    """Reads pages and collects what is wrong with them."""

    def __init__(self):
        self.failures: list[str] = []

    def check(self, client, url: str, marker: str | None, label: str) -> None:
        response = client.get(url)
        page = response.get_data(as_text=True)
        if response.status_code != 200 or (marker is not None and marker not in page):
            self.failures.append(
                f"{label}: {url} answered {response.status_code} without {marker!r}"
            )
            return
        self.check_html(page, f"{label}: {url}")

    def check_html(self, page: str, where: str) -> None:
        self.failures.extend(f"{where}: {problem}" for problem in executable_content(page))

    def assert_none(self) -> None:
        assert not self.failures, f"{len(self.failures)} problems:\n" + "\n".join(self.failures)


def _id_after(location: str, pattern: str) -> int:
    return int(re.search(pattern, location).group(1))


def test_questions_answers_and_comments(app, people):
    member, member_token = _client(app, people.asker)
    expert, expert_token = _client(app, people.expert)
    visitor = app.test_client()
    pages = Pages()
    for number, (name, vector) in NUMBERED:
        label = f"#{number} {name}"
        marker = f"Vector {number} marker"
        title = f"{marker}: {vector}"[:200]
        asked = member.post(
            "/questions/ask",
            data=question_form(
                title=title,
                body=f"{marker} in the body.\n\n{vector}\n\nEnd of the body.",
                csrf_token=member_token,
            ),
        )
        assert asked.status_code == 302, (label, asked.status_code)
        question_id = _id_after(asked.location, r"/questions/(\d+)")
        answered = expert.post(
            f"/questions/{question_id}/answers",
            data={"body": f"Answer {marker}.\n\n{vector}", "csrf_token": expert_token},
        )
        assert answered.status_code == 302, (label, answered.status_code)
        answer_id = _id_after(answered.location, r"#answer-(\d+)")
        commented = member.post(
            f"/questions/{question_id}/comments",
            data={"body": f"Comment {marker}. {vector}"[:2000], "csrf_token": member_token},
        )
        assert commented.status_code == 302, (label, commented.status_code)

        pages.check(visitor, f"/questions/{question_id}", f"Comment {marker}", label)
        pages.check(member, f"/questions/{question_id}", f"Answer {marker}", label)
        pages.check(member, f"/questions/{question_id}/edit", marker, label)
        pages.check(visitor, f"/questions/{question_id}/revisions", marker, label)
        pages.check(visitor, f"/questions/answers/{answer_id}/revisions", marker, label)
        pages.check(expert, f"/questions/answers/{answer_id}/edit", marker, label)
    # The lists show every title at once.
    per_page = app.config["QUESTIONS_PER_PAGE"]
    for page_number in range(1, -(-len(VECTORS) // per_page) + 1):
        pages.check(visitor, f"/questions?page={page_number}", "Vector", "question list")
    pages.check(visitor, "/", "Vector", "home page")
    pages.check(member, "/notifications", "Vector", "notifications")
    pages.check(expert, "/dashboard", None, "dashboard")
    pages.assert_none()


def test_faq_entries_edited_by_an_admin(app, people):
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, "A plain answer citing MDR Art. 62.")
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="A plain question?",
        answer_text="A plain answer.",
        topic=question.topics[0],
    )
    admin, token = _client(app, people.admin)
    visitor = app.test_client()
    pages = Pages()
    for number, (name, vector) in NUMBERED:
        label = f"#{number} {name}"
        marker = f"FAQ marker {number}"
        edited = admin.post(
            f"/faq/entries/{entry.id}/edit",
            data={
                "question_text": f"{marker}: {vector}"[:300],
                "answer_text": f"{marker} in the answer.\n\n{vector}",
                "topic": str(topic_id()),
                "note": vector[:300],
                "csrf_token": token,
            },
        )
        assert edited.status_code == 302, (label, edited.status_code)
        pages.check(visitor, "/faq", f"{marker} in the answer", label)
        pages.check(admin, f"/faq/entries/{entry.id}/edit", marker, label)
    pages.check(admin, "/faq/admin", "FAQ marker", "FAQ admin")
    pages.check(admin, f"/faq/entries/{entry.id}/history", "FAQ marker 1 in", "history")
    pages.assert_none()


def test_guide_sections_edited_by_an_admin(app, people):
    importing.import_guide(SMALL_GUIDE, None)
    section = db.session.scalar(
        select(GuideSection).where(GuideSection.level == 2).order_by(GuideSection.position)
    )
    admin, token = _client(app, people.admin)
    visitor = app.test_client()
    pages = Pages()
    stored = 0
    for number, (name, vector) in NUMBERED:
        label = f"#{number} {name}"
        # One word, so the history's word-level difference shows it whole in its <ins>.
        marker = f"GuideMarker{number}"
        body = f"{marker} in the text.\n\n{vector}"
        for title in (f"Vector {number} {vector}"[:200], f"Vector section {number}"):
            db.session.expire_all()
            base = db.session.get(GuideSection, section.id).current_number
            response = admin.post(
                f"/guide/sections/{section.id}/edit",
                data={
                    "title": title,
                    "body": body,
                    "note": vector[:300],
                    "base_number": str(base),
                    "csrf_token": token,
                },
            )
            if response.status_code == 302:
                stored += 1
                break
            # Refused (a heading or an unclosed fence in the text, a title without an
            # anchor): the form comes back with what was typed, which must be inert too.
            assert response.status_code == 422, (label, response.status_code)
            pages.check_html(response.get_data(as_text=True), f"{label}: refused edit")
        else:
            continue
        pages.check(visitor, "/guide", f"{marker} in the text", label)
        pages.check(visitor, f"/guide/sections/{section.id}/history", marker, label)
        pages.check(admin, f"/guide/sections/{section.id}/edit", marker, label)
    assert stored >= len(VECTORS) - 3, "the guide refused most vectors: nothing was tested"
    pages.assert_none()


def test_board_answers_drafted_by_experts(app, people):
    question = ask_question(people.asker)
    board_answer = board.open_board_answer(question, people.expert, "A first plain draft here.")
    expert, token = _client(app, people.expert)
    pages = Pages()
    for number, (name, vector) in NUMBERED:
        label = f"#{number} {name}"
        # One word, so the revisions' word-level difference shows it whole in its <ins>.
        marker = f"BoardMarker{number}"
        db.session.expire_all()
        base = db.session.get(BoardAnswer, board_answer.id).current_number
        response = expert.post(
            f"/board/answers/{board_answer.id}/edit",
            data={
                "body": f"{marker} in the draft.\n\n{vector}",
                "note": vector[:300],
                "base_number": str(base),
                "csrf_token": token,
            },
        )
        assert response.status_code == 302, (label, response.status_code)
        pages.check(expert, f"/board/answers/{board_answer.id}", f"{marker} in the draft", label)
        pages.check(expert, f"/board/answers/{board_answer.id}/revisions", marker, label)
    pages.assert_none()
