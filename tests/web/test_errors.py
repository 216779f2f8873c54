"""Bad input gets a readable page with the right status, and nothing half-written is stored."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Question, Role
from forum.services import answers, questions
from forum.services.errors import PermissionDenied
from tests.factories import ask_question, question_form


def test_a_missing_csrf_token_is_a_readable_400(client, make_user, login):
    login(make_user())
    response = client.post("/questions/ask", data=question_form(), csrf=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "security token" in page and "Traceback" not in page
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_a_body_over_the_limit_is_a_readable_413(app, client, make_user, login):
    login(make_user())
    response = client.post("/questions/ask", data=question_form(body="x" * (300 * 1024)))
    assert response.status_code == 413
    assert "larger than the forum accepts" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_unknown_pages_and_methods_are_readable(client):
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
    wrong = client.delete("/questions")
    assert wrong.status_code == 405 and "Method not allowed" in wrong.get_data(as_text=True)


def test_forbidden_is_a_readable_403(client, make_user, login):
    question = ask_question(make_user())
    login(make_user())
    response = client.get(f"/questions/{question.id}/edit")
    assert response.status_code == 403 and "Not allowed" in response.get_data(as_text=True)


def test_an_unexpected_failure_is_a_500_page_and_the_transaction_is_rolled_back(
    app, client, make_user, login, monkeypatch
):
    expert = make_user(Role.EXPERT)
    question = ask_question(make_user())

    def explode(*args, **kwargs):
        raise RuntimeError("status update failed")

    # The answer row is added, then the status update fails: the row must not stay.
    monkeypatch.setattr(answers, "refresh_status", explode)
    login(expert)
    response = client.post(
        f"/questions/{question.id}/answers",
        data={"body": "A complete answer citing MDR Art. 62 and more."},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "RuntimeError" not in page and "Traceback" not in page
    assert db.session.scalar(select(func.count()).select_from(answers.Answer)) == 0
    db.session.refresh(question)
    assert question.answer_count == 0


def test_a_service_refusal_is_the_readable_403_and_nothing_it_began_is_kept(
    app, client, make_user, login, monkeypatch
):
    expert = make_user(Role.EXPERT)
    question = ask_question(make_user())

    def refuse(*args, **kwargs):
        raise PermissionDenied("Refused deep in the service")

    # The answer row is added, then the service refuses: no view catches it, the app does.
    monkeypatch.setattr(answers, "refresh_status", refuse)
    login(expert)
    response = client.post(
        f"/questions/{question.id}/answers",
        data={"body": "A complete answer citing MDR Art. 62 and more."},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Not allowed" in page and "Refused deep in the service" not in page
    assert db.session.scalar(select(func.count()).select_from(answers.Answer)) == 0


def test_a_failed_ask_leaves_no_question_and_no_revision(app, make_user, monkeypatch):
    from forum.models import Revision

    author = make_user()
    monkeypatch.setattr(
        questions,
        "record_revision",
        lambda **kwargs: (_ for _ in ()).throw(RuntimeError("disk full")),
    )
    try:
        ask_question(author)
    except RuntimeError:
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 0


def test_security_headers_are_sent(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_nul_characters_are_refused_readably_on_every_database(client, make_user, login):
    assert client.get("/questions?topic=%00%27").status_code == 400
    login(make_user())
    response = client.post(
        "/questions/ask", data=question_form(body="Hidden \x00 byte in the body text here")
    )
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_an_id_too_large_for_the_database_is_not_found(client):
    for path in (
        "/questions/99999999999999999999999",
        "/board/answers/2147483648",
        "/experts/99999999999999999999",
        "/guide/sections/99999999999999999999/history",
    ):
        assert client.get(path).status_code == 404, path


def test_a_form_cannot_carry_a_lone_surrogate_so_one_is_never_stored(client, make_user, login):
    # A lone surrogate reaches Python only through JSON's \\u escapes (the API refuses it,
    # tests/web/test_api.py). In a form, its UTF-8-style bytes are invalid UTF-8, which
    # Werkzeug never decodes into a surrogate: the question is stored, never a 500.
    from urllib.parse import urlencode

    login(make_user())
    lone_surrogate_bytes = "\ud800".encode("utf-8", "surrogatepass")
    form = question_form(csrf_token=client.csrf_token())
    form["title"] = b"A title with a lone surrogate: " + lone_surrogate_bytes
    response = client.post(
        "/questions/ask",
        data=urlencode(form, doseq=True),
        csrf=False,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    stored = db.session.scalar(select(Question.title))
    assert stored.startswith("A title with a lone surrogate: "), repr(stored)
    stored.encode("utf-8")  # raises if a surrogate had been stored
