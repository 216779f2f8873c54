"""Attachments: uploaded with a text, listed under it, served only to its readers, gone with it."""

from __future__ import annotations

import io
import re
from pathlib import Path

from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from forum.extensions import db
from forum.models import Answer, Attachment, Question, Role, Visibility
from forum.services import answers, moderation
from forum.services.accounts import api_tokens, data_export, deletion
from forum.services.guide import importing, tree
from forum.services.moderation import Action
from tests.factories import ask_question, question_form
from tests.fixtures import files
from tests.fixtures.files import upload
from tests.fixtures.people import PASSWORD

ANSWER = "Under MDR Art. 62 the study needs the Ministry's authorisation first."


def stored_files(app) -> list[Path]:
    root = Path(app.config["ATTACHMENTS_DIR"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def only_attachment() -> Attachment:
    return db.session.scalars(select(Attachment)).one()


def file_url(attachment: Attachment) -> str:
    return f"/attachments/{attachment.id}/{attachment.name}"


def ask_with(client, *uploads, **fields):
    data = question_form(**fields)
    data["attachments"] = list(uploads)
    return client.post("/questions/ask", data=data, content_type="multipart/form-data")


def test_a_member_attaches_files_when_asking_and_they_are_listed_under_the_question(
    app, client, make_user, login
):
    login(make_user())
    response = ask_with(
        client,
        upload(files.MINIMAL_PDF, "Protocol synopsis.pdf"),
        upload(files.png(), "device drawing.png"),
    )
    assert response.status_code == 302
    question = db.session.scalars(select(Question)).one()
    rows = db.session.scalars(select(Attachment).order_by(Attachment.name)).all()
    assert [(row.name, row.content_type) for row in rows] == [
        ("Protocol synopsis.pdf", "application/pdf"),
        ("device drawing.png", "image/png"),
    ]
    assert all(row.question_id == question.id and row.size > 0 for row in rows)
    # Stored under random keys, never the uploader's names.
    names_on_disk = {path.name for path in stored_files(app)}
    assert names_on_disk == {row.storage_key for row in rows}
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert f'href="/attachments/{rows[0].id}/Protocol%20synopsis.pdf"' in page
    assert "PDF" in page and "PNG image" in page


def test_a_download_is_the_file_with_safe_headers(client, make_user, login):
    asker = make_user()
    login(asker)
    ask_with(client, upload(files.MINIMAL_PDF, "Synopsis è.pdf"))
    attachment = only_attachment()
    response = client.get(file_url(attachment))
    assert response.status_code == 200
    assert response.data == files.MINIMAL_PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Synopsis%20%C3%A8.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]


def test_an_image_is_shown_inline_and_a_public_file_reaches_a_visitor(client, make_user, login):
    login(make_user())
    ask_with(client, upload(files.png(), "drawing.png"))
    client.post("/logout")
    response = client.get(file_url(only_attachment()))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["Cache-Control"] == "private, max-age=300"


def test_a_confidential_questions_file_is_a_404_for_everyone_who_cannot_read_it(
    client, make_user, login
):
    asker, other, expert, admin = (
        make_user(),
        make_user(),
        make_user(Role.EXPERT),
        make_user(Role.ADMIN),
    )
    login(asker)
    ask_with(client, upload(files.MINIMAL_PDF, "sensor.pdf"), visibility="confidential")
    url = file_url(only_attachment())
    assert client.get(url).status_code == 200
    client.post("/logout")
    unknown = client.get(f"/attachments/{only_attachment().id + 1}/sensor.pdf")
    assert client.get(url).status_code == 404  # a visitor
    assert unknown.status_code == 404
    login(other)
    assert client.get(url).status_code == 404
    assert client.get(url.replace("sensor.pdf", "other.pdf")).status_code == 404
    for reader in (expert, admin):
        login(reader)
        assert client.get(url).status_code == 200


def test_a_renamed_page_is_refused_beside_the_field_and_the_text_is_kept(
    app, client, make_user, login
):
    login(make_user())
    response = ask_with(
        client,
        upload(files.HTML_PAGE, "synopsis.pdf"),
        title="Which pathway for our wearable ECG patch?",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="attachments-error">(.*?)</p>', page, re.S)
    assert error is not None and "synopsis.pdf is not a PDF" in error.group(1)
    assert 'value="Which pathway for our wearable ECG patch?"' in page
    assert "choose them again (synopsis.pdf)" in page
    assert db.session.scalars(select(Question)).first() is None
    assert stored_files(app) == []


def test_a_file_over_the_size_limit_is_refused_with_its_message(app, client, make_user, login):
    app.config["ATTACHMENTS_MAX_FILE_BYTES"] = 512 * 1024
    login(make_user())
    response = ask_with(client, upload(files.MINIMAL_PDF + b" " * (600 * 1024), "big.pdf"))
    assert response.status_code == 422
    assert "big.pdf is larger than 0.5 MB." in response.get_data(as_text=True)


def test_more_files_than_a_text_holds_are_refused(app, client, make_user, login):
    app.config["ATTACHMENTS_PER_TEXT"] = 2
    login(make_user())
    response = ask_with(
        client, *(upload(files.MINIMAL_PDF, f"part {number}.pdf") for number in range(3))
    )
    assert response.status_code == 422
    assert "Attach at most 2 files to one text." in response.get_data(as_text=True)


def test_only_the_upload_forms_take_a_body_larger_than_the_forms_limit(
    app, client, make_user, login
):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    login(make_user())
    big_pdf = files.MINIMAL_PDF + b"%" * (200 * 1024)
    assert ask_with(client, upload(big_pdf, "big.pdf")).status_code == 302
    assert only_attachment().size == len(big_pdf)
    # Any other form refuses the same body.
    response = client.post(
        "/account/profile",
        data={"display_name": "x", "attachments": upload(big_pdf, "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_an_expert_attaches_a_file_to_an_answer(client, make_user, login):
    question = ask_question(make_user())
    expert = make_user(Role.EXPERT)
    login(expert)
    response = client.post(
        f"/questions/{question.id}/answers",
        data={"body": ANSWER, "language": "en", "attachments": [upload(files.docx(), "form")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = only_attachment()
    answer = db.session.scalars(select(Answer)).one()
    assert (attachment.answer_id, attachment.name) == (answer.id, "form.docx")
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert file_url(attachment) in page and "Word document" in page


def test_a_hidden_answers_file_is_a_404_but_for_its_author_and_the_admins(client, make_user, login):
    question = ask_question(make_user())
    expert, admin, reader = make_user(Role.EXPERT), make_user(Role.ADMIN), make_user()
    login(expert)
    client.post(
        f"/questions/{question.id}/answers",
        data={"body": ANSWER, "language": "en", "attachments": [upload(files.png(), "a.png")]},
        content_type="multipart/form-data",
    )
    attachment = only_attachment()
    moderation.act(admin, db.session.get(Answer, attachment.answer_id), Action.HIDE, "Off topic")
    url = file_url(attachment)
    for person, status in ((expert, 200), (admin, 200), (reader, 404)):
        login(person)
        assert client.get(url).status_code == status
    client.post("/logout")
    assert client.get(url).status_code == 404


def test_removing_a_text_removes_its_files_and_their_bytes(app, client, make_user, login):
    asker, admin = make_user(), make_user(Role.ADMIN)
    login(asker)
    ask_with(client, upload(files.MINIMAL_PDF, "s.pdf"))
    attachment = only_attachment()
    url = file_url(attachment)
    assert len(stored_files(app)) == 1
    question = db.session.get(Question, attachment.question_id)
    moderation.act(admin, question, Action.HIDE, "Held for a check")
    assert len(stored_files(app)) == 1  # hidden: kept for the day it is restored
    moderation.act(admin, question, Action.REMOVE, "Spam")
    assert db.session.scalars(select(Attachment)).first() is None
    assert stored_files(app) == []
    login(admin)
    assert client.get(url).status_code == 404


def test_a_file_that_cannot_be_removed_is_logged_and_the_removal_still_happens(
    app, client, make_user, login, caplog, monkeypatch
):
    asker, admin = make_user(), make_user(Role.ADMIN)
    login(asker)
    ask_with(client, upload(files.MINIMAL_PDF, "s.pdf"))
    store = app.extensions["attachment_storage"]

    def broken_delete(key):
        raise OSError("disk gone")

    monkeypatch.setattr(store, "delete", broken_delete)
    question = db.session.get(Question, only_attachment().question_id)
    moderation.act(admin, question, Action.REMOVE, "Spam")
    assert db.session.scalars(select(Attachment)).first() is None
    assert "could not remove the attachment file" in caplog.text


def test_deleting_an_account_removes_its_uploads_and_the_export_lists_them(
    app, client, make_user, login
):
    asker = make_user()
    public = ask_question(asker)
    expert = make_user(Role.EXPERT)
    login(asker)
    ask_with(client, upload(files.MINIMAL_PDF, "mine.pdf"), visibility="confidential")
    login(expert)
    client.post(
        f"/questions/{public.id}/answers",
        data={"body": ANSWER, "language": "en", "attachments": [upload(files.png(), "e.png")]},
        content_type="multipart/form-data",
    )
    exported = data_export.export(asker)["attachments"]
    assert [(item["name"], item["attached_to"]["kind"]) for item in exported] == [
        ("mine.pdf", "question")
    ]
    assert len(stored_files(app)) == 2
    deletion.delete_account(asker, PASSWORD)
    remaining = db.session.scalars(select(Attachment)).all()
    assert [row.name for row in remaining] == ["e.png"]  # the expert's stays
    assert {path.name for path in stored_files(app)} == {remaining[0].storage_key}


def test_a_failed_action_leaves_no_file_behind(app, client, make_user, login, monkeypatch):
    login(make_user())

    def refuse(*args, **kwargs):
        raise answers.RuleViolation("Choose one or more topics from the list.", field="topics")

    monkeypatch.setattr("forum.services.questions.content.saved", refuse)
    response = ask_with(client, upload(files.MINIMAL_PDF, "s.pdf"))
    assert response.status_code == 422
    assert stored_files(app) == []


def test_files_can_be_added_when_editing(client, make_user, login):
    asker = make_user()
    question = ask_question(asker)
    login(asker)
    data = question_form(title=question.title, body=question.body, note="")
    data["attachments"] = [upload(files.xlsx(), "schedule.xlsx")]
    response = client.post(
        f"/questions/{question.id}/edit", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert only_attachment().content_type.endswith("spreadsheetml.sheet")
    assert "schedule.xlsx" in client.get(f"/questions/{question.id}/edit").get_data(as_text=True)


def test_the_question_page_reads_every_file_in_one_query(client, make_user, login, count_queries):
    asker, expert = make_user(), make_user(Role.EXPERT)

    def question_with_files(count: int) -> Question:
        question = ask_question(asker, title=f"A question with {count} answers and files")
        files.attach(question, asker, files.png(), "q.png")
        for number in range(count):
            answer = answers.post_answer(question, expert, f"{ANSWER} ({number})")
            files.attach(answer, expert, files.MINIMAL_PDF, f"{number}.pdf")
        return question

    small, large = question_with_files(1), question_with_files(5)
    login(make_user())

    def statements_for(question: Question) -> list[str]:
        url = f"/questions/{question.id}"
        with count_queries() as statements:
            page = client.get(url).get_data(as_text=True)
        assert page.count("/attachments/") == len(question.answers) + 1
        return list(statements)

    small_statements, large_statements = statements_for(small), statements_for(large)
    assert len(small_statements) == len(large_statements)
    assert sum("FROM attachment" in statement for statement in large_statements) == 1


def test_the_api_lists_a_texts_files_to_those_who_may_read_it(client, make_user):
    asker, other, expert = make_user(), make_user(), make_user(Role.EXPERT)
    secret = ask_question(asker, visibility=Visibility.CONFIDENTIAL)
    files.attach(secret, asker, files.MINIMAL_PDF, "synopsis.pdf")
    answer = answers.post_answer(secret, expert, ANSWER)
    files.attach(answer, expert, files.png(), "plan.png")

    def get(person):
        token = api_tokens.create(person, "Files").secret
        return client.get(
            f"/api/v1/questions/{secret.id}", headers={"Authorization": f"Bearer {token}"}
        )

    response = get(asker)
    document = response.get_json()
    [listed] = document["attachments"]
    attachment = db.session.scalars(
        select(Attachment).where(Attachment.question_id == secret.id)
    ).one()
    assert listed == {
        "id": attachment.id,
        "name": "synopsis.pdf",
        "content_type": "application/pdf",
        "size": len(files.MINIMAL_PDF),
        "url": file_url(attachment),
    }
    assert [item["name"] for item in document["answers"][0]["attachments"]] == ["plan.png"]
    assert get(other).status_code == 404


def test_an_expert_attaches_a_file_to_a_guide_proposal_only_admins_and_they_read_it(
    client, make_user, login
):
    expert, other_expert, admin = (
        make_user(Role.EXPERT),
        make_user(Role.EXPERT),
        make_user(Role.ADMIN),
    )
    importing.import_guide("# Guide\n\n## Route\n\nPick the route first.\n", None)
    section = tree.load_current_guide().sections[0].section
    login(expert)
    response = client.post(
        f"/guide/sections/{section.id}/propose",
        data={
            "language": "en",
            "title": section.title,
            "body": "Pick the route first, then the clinic.",
            "note": "",
            "attachments": [upload(files.docx(), "route.docx")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    attachment = only_attachment()
    assert attachment.guide_proposal_id is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert file_url(attachment) in page
    for person, status in ((expert, 200), (admin, 200), (other_expert, 404)):
        login(person)
        assert client.get(file_url(attachment)).status_code == status


def test_a_chunked_upload_has_the_upload_limit_and_no_more(app, client, make_user, login):
    app.config.update(
        MAX_CONTENT_LENGTH=64 * 1024, ATTACHMENTS_MAX_FILE_BYTES=128 * 1024, ATTACHMENTS_PER_TEXT=1
    )
    login(make_user())

    def post_chunked(size: int):
        data = question_form(csrf_token=client.csrf_token())
        data["attachments"] = upload(files.MINIMAL_PDF + b"%" * size, "big.pdf")
        environ = EnvironBuilder(method="POST", data=data).get_environ()
        body = environ["wsgi.input"].read()
        return client.post(
            "/questions/ask",
            input_stream=io.BytesIO(body),
            content_type=environ["CONTENT_TYPE"],
            environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
            headers={"Transfer-Encoding": "chunked"},
            csrf=False,
        )

    assert post_chunked(100 * 1024).status_code == 302  # over the forms' limit, an upload
    assert post_chunked(300 * 1024).status_code == 413  # over the upload limit


def test_the_author_removes_a_file_when_editing_and_cannot_name_anothers(
    app, client, make_user, login
):
    asker = make_user()
    question, elsewhere = ask_question(asker), ask_question(make_user(), title="Someone else's")
    kept = files.attach(question, asker, files.MINIMAL_PDF, "kept.pdf")
    dropped = files.attach(question, asker, files.png(), "dropped.png")
    foreign = files.attach(elsewhere, elsewhere.author, files.png(), "foreign.png")
    dropped_key, kept_key = dropped.storage_key, kept.storage_key
    login(asker)
    form = question_form(title=question.title, body=question.body, note="")
    edit_url = f"/questions/{question.id}/edit"
    refused = client.post(edit_url, data={**form, "remove_attachments": [str(foreign.id)]})
    assert refused.status_code == 422
    assert db.session.get(Attachment, foreign.id) is not None
    saved = client.post(edit_url, data={**form, "remove_attachments": [str(dropped.id)]})
    assert saved.status_code == 302
    assert sorted(db.session.scalars(select(Attachment.name))) == ["foreign.png", "kept.pdf"]
    on_disk = {path.name for path in stored_files(app)}
    assert dropped_key not in on_disk and kept_key in on_disk


def test_a_store_that_fails_is_a_message_beside_the_field_not_a_500(
    app, client, make_user, login, monkeypatch
):
    login(make_user())

    def full_disk(key, stream):
        raise OSError("No space left on device")

    monkeypatch.setattr(app.extensions["attachment_storage"], "put", full_disk)
    response = ask_with(client, upload(files.MINIMAL_PDF, "s.pdf"), title="A question kept whole")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "could not be stored just now" in page
    assert 'value="A question kept whole"' in page
    assert db.session.scalars(select(Question)).first() is None
