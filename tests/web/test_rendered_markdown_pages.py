"""Pages and the API show the stored rendering of members' Markdown when it is the current
renderer's, render the text when the copy is stale, and write nothing while reading.

A marker written straight into a copy proves where the page's HTML came from: a page that
rendered the text could not show it."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from forum.extensions import db
from forum.markdown_render import RENDERER_VERSION
from forum.models import FaqEntryTranslation, Question, Topic
from forum.services import answers, faq, faq_translations
from tests.factories import ask_question, published_board_answer

ITALIAN = {"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}
# Each table's copy column, and the marker written into it.
COPIES = {
    "question": ("body_html", "stored-question"),
    "answer": ("body_html", "stored-answer"),
    "comment": ("body_html", "stored-comment"),
    "board_answer": ("published_body_html", "stored-board-answer"),
    "stance": ("reason_html", "stored-stance-reason"),
}


def write_markers(version: int) -> None:
    for table, (column, marker) in COPIES.items():
        db.session.execute(
            text(f"UPDATE {table} SET {column} = :html, markdown_version = :version"),  # noqa: S608
            {"html": f"<p>{marker}</p>", "version": version},
        )
    db.session.commit()


@pytest.fixture
def thread(people):
    question = ask_question(people.asker, body="The question *as written*.")
    answer = answers.post_answer(question, people.expert, "The answer *as written*.")
    answers.post_comment(question, people.asker, "The comment *as written*.", answer=answer)
    board_answer = published_board_answer(question, people.board, "The board *as written*.")
    board_answer.stances[0].stored_reason = "The reason *as written*."
    db.session.commit()
    return question


def page_of(client, question: Question) -> str:
    response = client.get(f"/questions/{question.id}", follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_question_page_shows_the_stored_copies(client, thread):
    write_markers(RENDERER_VERSION)

    html = page_of(client, thread)

    for _column, marker in COPIES.values():
        assert f"<p>{marker}</p>" in html
    assert "as written" not in html


def test_a_stale_copy_is_rendered_again_and_the_page_writes_nothing(client, thread):
    write_markers(RENDERER_VERSION - 1)

    html = page_of(client, thread)

    for _column, marker in COPIES.values():
        assert marker not in html
    for kind in ("question", "answer", "comment", "board", "reason"):
        assert f"The {kind} <em>as written</em>." in html
    versions = db.session.execute(text("SELECT DISTINCT markdown_version FROM answer")).all()
    assert versions == [(RENDERER_VERSION - 1,)]


def test_the_api_gives_the_stored_copy_as_body_html(client, thread):
    write_markers(RENDERER_VERSION)

    body = client.get(f"/api/v1/questions/{thread.id}").get_json()

    assert body["body_html"] == "<p>stored-question</p>"
    assert body["answers"][0]["body_html"] == "<p>stored-answer</p>"
    assert body["answers"][0]["comments"][0]["body_html"] == "<p>stored-comment</p>"
    assert body["board_answer"]["body_html"] == "<p>stored-board-answer</p>"


def test_the_faq_shows_each_languages_stored_copy(client, people):
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, "Notify the Ministry.")
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="Whom do we notify?",
        answer_text="The *Ministry*.",
        topic=db.session.scalar(select(Topic).where(Topic.slug == "pmcf")),
    )
    faq_translations.edit_translation(
        entry,
        people.admin,
        "it",
        title="Chi notifichiamo?",
        body="Il *Ministero*.",
        source_number=1,
        base_number=0,
    )
    db.session.execute(text("UPDATE faq_entry SET answer_html = '<p>stored-english</p>'"))
    db.session.execute(text("UPDATE faq_entry_translation SET body_html = '<p>stored-it</p>'"))
    db.session.commit()

    assert "<p>stored-english</p>" in client.get("/faq").get_data(as_text=True)
    assert "<p>stored-it</p>" in client.get("/faq", headers=ITALIAN).get_data(as_text=True)
    assert db.session.scalar(select(FaqEntryTranslation.markdown_version)) == RENDERER_VERSION
