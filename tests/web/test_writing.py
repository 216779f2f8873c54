"""Writing (issue 26, item 3): previews of Markdown with and without script, the ask
form's class and stage chosen by the asker, and "edited" only after an edit."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import timedelta

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from forum.extensions import db
from forum.models import Answer, Comment, GuideProposal, GuideSection, Question, Revision, Role
from forum.services import answers, questions
from forum.services.guide import importing
from forum.services.questions import QuestionDraft
from forum.web.infra.static_files import hashed_name
from tests.access_matrix import SMALL_GUIDE
from tests.factories import ask_question, question_form

LIST_TEXT = "Documents we have:\n- the investigation plan\n- the brochure"
RENDERED_LIST = "<li>the investigation plan</li>"
OVER_THE_LIMITS = "*a* " * 5000  # inline work far over the limit
SCRIPT = "Look <script>alert('x')</script> [here](javascript:alert(1)) <img src=x onerror=alert(2)>"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _preview_region(page: str, field_id: str = "body") -> str:
    match = re.search(
        rf'<div class="markdown-preview" id="{field_id}-preview" aria-live="polite"'
        r"(?: tabindex=\"-1\" autofocus)?>"
        r"(|<p class=\"markdown-preview-label\">.*?</div>)</div>",
        page,
        re.S,
    )
    assert match, "no preview region"
    return match.group(1)


# --- the preview without script: the form comes back with the preview, nothing saved ------


def test_the_ask_form_previews_without_script_and_saves_nothing(client, make_user, login):
    login(make_user())
    form = question_form(body=LIST_TEXT, preview="body", title="A title of my own words here")
    response = client.post("/questions/ask", data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    region = _preview_region(page)
    assert "Preview (not saved yet)" in region and RENDERED_LIST in region
    assert "<p>Documents we have:</p>" in region
    # Everything typed is kept, the CSRF token is there for the real submission.
    assert "Documents we have:\n- the investigation plan" in page
    assert 'value="A title of my own words here"' in page
    assert 'value="IIb" selected' in page or 'selected value="IIb"' in page
    assert 'name="csrf_token"' in page
    assert "Please correct the fields" not in page
    assert _count(Question) == 0


def test_the_answer_form_previews_without_script_and_saves_nothing(client, make_user, login):
    question = ask_question(make_user())
    login(make_user(Role.EXPERT))
    response = client.post(
        f"/questions/{question.id}/answers",
        data={"body": LIST_TEXT, "language": "en", "preview": "body"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert RENDERED_LIST in _preview_region(page)
    assert "Documents we have:\n- the investigation plan" in page
    assert _count(Answer) == 0


def test_a_guide_proposal_previews_without_script_and_saves_nothing(client, people, login):
    importing.import_guide(SMALL_GUIDE, None)
    section = db.session.scalars(
        select(GuideSection).where(GuideSection.parent_id.is_not(None))
    ).first()
    login(people.expert)
    response = client.post(
        f"/guide/sections/{section.id}/propose",
        data={"title": section.title, "body": LIST_TEXT, "note": "", "preview": "body"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert RENDERED_LIST in _preview_region(page)
    assert _count(GuideProposal) == 0


def test_a_preview_over_the_limits_says_why_beside_the_field_and_keeps_the_text(
    client, make_user, login
):
    question = ask_question(make_user())
    login(make_user(Role.EXPERT))
    response = client.post(
        f"/questions/{question.id}/answers",
        data={"body": OVER_THE_LIMITS, "language": "en", "preview": "body"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="body-error"' in page and "too much formatting" in page
    assert "*a* *a* *a*" in page
    assert _preview_region(page) == ""
    assert _count(Answer) == 0


def test_a_preview_of_a_text_over_the_fields_length_says_so_and_renders_nothing(
    client, make_user, login
):
    login(make_user())
    response = client.post(
        "/questions/ask", data=question_form(body="word " * 5000, preview="body")
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="body-error"' in page and "20000" in page.replace(",", "")
    assert _preview_region(page) == ""
    assert _count(Question) == 0


def test_a_preview_without_the_csrf_token_is_refused(client, make_user, login):
    login(make_user())
    response = client.post(
        "/questions/ask", data=question_form(body=LIST_TEXT, preview="body"), csrf=False
    )
    assert response.status_code == 400
    assert _count(Question) == 0


def test_the_preview_button_is_under_each_markdown_field_and_submits_the_form(
    client, make_user, login
):
    login(make_user())
    page = client.get("/questions/ask").get_data(as_text=True)
    button = re.search(r'<input type="submit" name="preview" value="Preview"[^>]*>', page)
    assert button and "formnovalidate" in button.group(0)
    assert 'data-preview-url="/preview"' in button.group(0)
    script = hashed_name(client.application.static_folder, "js/markdown-preview.js")
    assert f'src="/static/{script}"' in page
    assert 'aria-live="polite"' in _preview_region(page) or 'id="body-preview"' in page
    # The title is no Markdown: one button only.
    assert page.count('name="preview"') == 1


def test_submitting_without_the_preview_flag_still_posts(client, make_user, login):
    login(make_user())
    response = client.post("/questions/ask", data=question_form(body=LIST_TEXT))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert RENDERED_LIST in page


# --- POST /preview, for the script ---------------------------------------------------------


def test_the_preview_endpoint_renders_the_text_as_pages_do(client, make_user, login):
    login(make_user())
    response = client.post("/preview", data={"text": LIST_TEXT})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert html.startswith("<p>Documents we have:</p>") and RENDERED_LIST in html


def test_the_preview_endpoint_never_returns_anything_executable(client, make_user, login):
    login(make_user())
    html = client.post("/preview", data={"text": SCRIPT}).get_json()["html"].lower()
    for forbidden in ("<script", "javascript:", "onerror", "<img"):
        assert forbidden not in html, html
    assert "look" in html


def test_the_preview_endpoint_refuses_a_text_over_the_limits_with_the_forms_message(
    client, make_user, login
):
    login(make_user())
    response = client.post("/preview", data={"text": OVER_THE_LIMITS})
    assert response.status_code == 422
    assert "too much formatting" in response.get_json()["error"]
    too_long = client.post("/preview", data={"text": "a" * 20_001})
    assert too_long.status_code == 422 and "longer than" in too_long.get_json()["error"]


def test_the_preview_endpoint_needs_a_login_and_the_csrf_token(client, make_user, login):
    visitor = client.post("/preview", data={"text": LIST_TEXT})
    assert visitor.status_code == 302 and visitor.headers["Location"].startswith("/login")
    login(make_user())
    assert client.post("/preview", data={"text": LIST_TEXT}, csrf=False).status_code == 400
    token = client.csrf_token()
    with_header = client.post(
        "/preview", data={"text": LIST_TEXT}, csrf=False, headers={"X-CSRFToken": token}
    )
    assert with_header.status_code == 200


# --- the ask form: class and stage are chosen ---------------------------------------------


def test_the_ask_form_starts_with_no_class_or_stage_chosen(client, make_user, login):
    login(make_user())
    page = client.get("/questions/ask").get_data(as_text=True)
    for name in ("device_class", "stage"):
        select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
        assert re.search(r'<option selected value="">Choose…</option>', select_html), select_html
        assert select_html.count("selected") == 1


def test_asking_without_class_or_stage_says_so_and_keeps_the_rest(client, make_user, login):
    login(make_user())
    response = client.post(
        "/questions/ask",
        data=question_form(device_class="", stage="", body="My own long description of it."),
    )
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Choose the device's class." in page
    assert "Choose the device's stage of development." in page
    assert "My own long description of it." in page
    assert 'value="Do we need Ministry authorisation for a class IIb study?"' in page
    assert _count(Question) == 0


def test_a_made_up_class_is_refused_not_a_500(client, make_user, login):
    login(make_user())
    response = client.post("/questions/ask", data=question_form(device_class="IV"))
    assert response.status_code == 422
    assert _count(Question) == 0


def test_the_edit_form_shows_the_questions_own_class_and_stage(client, make_user, login):
    author = make_user()
    question = ask_question(author)
    login(author)
    page = client.get(f"/questions/{question.id}/edit").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="device_class".*?</select>', page, re.S).group(0)
    assert re.search(r'<option selected value="IIb">', select_html)


# --- "edited" only after an edit ----------------------------------------------------------


def test_a_new_question_and_answer_are_not_marked_edited(client, make_user):
    question = ask_question(make_user())
    answers.post_answer(question, make_user(Role.EXPERT), "The answer, with MDR Art. 70 cited.")
    assert question.updated_at == question.created_at
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "edited" not in page


def test_only_a_real_edit_marks_a_question_and_an_answer_edited(client, make_user):
    author, expert = make_user(), make_user(Role.EXPERT)
    question = ask_question(author)
    answer = answers.post_answer(question, expert, "The answer, with MDR Art. 70 cited.")
    draft = QuestionDraft(
        title=question.title,
        body=question.body,
        topic_ids=[topic.id for topic in question.topics],
        device_class=question.device_class,
        stage=question.stage,
        visibility=question.visibility,
    )
    questions.edit(question, author, draft, note="")  # the same text: no edit
    assert "edited" not in client.get(f"/questions/{question.id}").get_data(as_text=True)
    questions.edit(question, author, replace(draft, body=question.body + " More."), note="")
    answers.edit_answer(answer, expert, answer.body + " More.", note="")
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert page.count("edited ") == 2
    assert _count(Revision) == 4


def test_a_comment_previews_without_script_and_saves_nothing(client, make_user, login):
    author = make_user()
    question = ask_question(author)
    login(author)  # the asker clarifies
    response = client.post(
        f"/questions/{question.id}/comments",
        data={"body": LIST_TEXT, "language": "en", "preview": "body"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert RENDERED_LIST in _preview_region(page, "comment-body-question")
    assert f">{LIST_TEXT}</textarea>" in page
    assert _count(Comment) == 0


def test_a_preview_runs_the_same_queries_whatever_the_texts_length(
    client, make_user, login, count_queries
):
    login(make_user())
    with count_queries() as short:
        client.post("/preview", data={"text": "- a"})
    with count_queries() as long:
        client.post("/preview", data={"text": "- a list item, with *emphasis*\n" * 500})
    assert len(short) == len(long) <= 3


NEVER_EDITED_REVISION = "3f6a2c9d8e41"  # the migration that puts back never-edited texts


def test_the_migration_unmarks_texts_never_edited_and_keeps_real_edits(app, make_user):
    author, expert = make_user(), make_user(Role.EXPERT)
    never = ask_question(author, title="A question nobody ever edited, as it was asked")
    edited = ask_question(author, title="A question its author edited once, after asking it")
    answer = answers.post_answer(never, expert, "The answer, with MDR Art. 70 cited.")
    questions.edit(
        edited,
        author,
        QuestionDraft(
            title=edited.title,
            body=edited.body + " More.",
            topic_ids=[topic.id for topic in edited.topics],
            device_class=edited.device_class,
            stage=edited.stage,
            visibility=edited.visibility,
        ),
        note="",
    )
    ids = never.id, edited.id, answer.id
    edited_at = edited.updated_at
    # Rows as the old default wrote them: updated_at a few microseconds after created_at.
    for table, row_id in (("question", ids[0]), ("answer", ids[2])):
        db.session.execute(
            text(f"UPDATE {table} SET updated_at = :later WHERE id = :id"),
            {"later": never.created_at + timedelta(microseconds=40), "id": row_id},
        )
    db.session.commit()
    config = current_app.extensions["migrate"].migrate.get_config()
    before = ScriptDirectory.from_config(config).get_revision(NEVER_EDITED_REVISION).down_revision
    db.session.remove()
    downgrade(revision=before)
    upgrade()
    rows = {
        row_id: db.session.get(model, row_id)
        for model, row_id in ((Question, ids[0]), (Question, ids[1]), (Answer, ids[2]))
    }
    assert rows[ids[0]].updated_at == rows[ids[0]].created_at
    assert rows[ids[2]].updated_at == rows[ids[2]].created_at
    assert rows[ids[1]].updated_at == edited_at > rows[ids[1]].created_at
