"""A lost database connection costs a retry of the request, never a double write
(forum/web/infra/reconnect.py); the load test kills real connections, these pin the rule."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from forum.extensions import db
from forum.models import Topic
from forum.web.infra import reconnect
from forum.web.infra.reconnect import ForumApp


def _lost_connection() -> OperationalError:
    return OperationalError(
        "SELECT 1",
        {},
        Exception("server closed the connection unexpectedly"),
        connection_invalidated=True,
    )


def _flaky_view(
    app, path: str, *, commit_first: bool = False, invalidated: bool = True, methods=("GET",)
):
    calls = []

    def view():
        calls.append(1)
        if commit_first:
            db.session.add(Topic(slug=f"retry-{len(calls)}", name=f"Retry {len(calls)}"))
            db.session.commit()
        if len(calls) == 1:
            error = _lost_connection()
            error.connection_invalidated = invalidated
            raise error
        return "served"

    app.add_url_rule(path, path.strip("/"), view, methods=list(methods))
    return calls


def test_the_retry_belongs_to_the_app_class_not_to_methods_patched_on_the_app(app):
    assert isinstance(app, ForumApp)
    assert not {"preprocess_request", "dispatch_request"} & set(vars(app))


def test_a_request_whose_connection_broke_before_any_commit_is_run_again(app, client):
    calls = _flaky_view(app, "/flaky-read")
    response = client.get("/flaky-read")
    assert response.status_code == 200 and response.get_data(as_text=True) == "served"
    assert len(calls) == 2


def test_a_request_that_committed_is_not_run_again(app, client):
    calls = _flaky_view(app, "/flaky-write", commit_first=True, methods=("POST",))
    response = client.post("/flaky-write")
    assert response.status_code == 500
    assert len(calls) == 1
    assert (
        db.session.scalar(select(func.count()).select_from(Topic).where(Topic.slug.like("retry-%")))
        == 1
    )


def test_other_database_errors_are_not_retried(app, client):
    calls = _flaky_view(app, "/flaky-other", invalidated=False)
    assert client.get("/flaky-other").status_code == 500
    assert len(calls) == 1


# --- what the 500 page may say (issue 20, finding 18c) ----------------------------------------


def _page(response) -> str:
    assert response.status_code == 500
    return response.get_data(as_text=True)


def _topics_stored(prefix: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Topic).where(Topic.slug.like(f"{prefix}%"))
    )


def test_a_commit_cut_by_a_lost_connection_says_the_change_may_or_may_not_be_saved(
    app, client, monkeypatch
):
    dialect = db.engine.dialect
    real_commit = dialect.do_commit

    def commit_then_lose_the_connection(dbapi_connection):
        # the server stored the transaction; its confirmation never came back
        real_commit(dbapi_connection)
        raise _lost_connection()

    def view():
        db.session.add(Topic(slug="cut-commit", name="Cut commit"))
        monkeypatch.setattr(dialect, "do_commit", commit_then_lose_the_connection)
        db.session.commit()
        return "served"

    app.add_url_rule("/cut-commit", "cut_commit", view, methods=["POST"])
    page = _page(client.post("/cut-commit"))
    monkeypatch.setattr(dialect, "do_commit", real_commit)
    assert "may or may not have been saved" in page and "check before sending it again" in page
    assert "half-saved" not in page and "Nothing you sent" not in page
    assert _topics_stored("cut-commit") == 1  # it was saved: the old page denied it


def test_an_error_after_the_commit_says_the_change_was_saved(app, client):
    calls = _flaky_view(app, "/saved-then-failed", commit_first=True, methods=("POST",))
    page = _page(client.post("/saved-then-failed"))
    assert len(calls) == 1 and _topics_stored("retry-") == 1
    assert "Your change was saved" in page and "half-saved" not in page


def test_an_error_before_any_commit_says_nothing_was_stored(app, client):
    def view():
        db.session.add(Topic(slug="never-committed", name="Never committed"))
        db.session.flush()
        raise RuntimeError("the view broke before committing")

    app.add_url_rule("/broke-before-commit", "broke_before_commit", view, methods=["POST"])
    page = _page(client.post("/broke-before-commit"))
    assert "before anything was saved" in page and "Nothing you sent was stored" in page
    assert _topics_stored("never-committed") == 0


def test_a_page_that_fails_to_render_claims_nothing_about_earlier_changes(app, client):
    # A question stored by a POST whose page then fails: the GET's 500 must not tell the
    # reader that "nothing was half-saved", or they would ask it again.
    def view():
        raise RuntimeError("the page could not be rendered")

    app.add_url_rule("/broken-page", "broken_page", view)
    page = _page(client.get("/broken-page"))
    assert "while preparing this page" in page
    assert "half-saved" not in page and "Nothing you sent" not in page


def test_the_api_says_the_same_when_a_commit_is_unconfirmed(app, client, monkeypatch):
    monkeypatch.setattr(reconnect, "commit_outcome", lambda: reconnect.CommitOutcome.UNKNOWN)

    def view():
        raise RuntimeError("lost")

    app.add_url_rule("/api/v1/cut-commit", "api_cut_commit", view, methods=["POST"])
    response = client.post("/api/v1/cut-commit")
    assert response.status_code == 500 and response.mimetype == "application/problem+json"
    assert "may or may not have been saved" in response.get_json()["detail"]
