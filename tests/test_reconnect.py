"""A lost database connection costs a retry of the request, never a double write
(forum/web/reconnect.py); the load test kills real connections, these pin the rule."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from forum.extensions import db
from forum.models import Topic


def _lost_connection() -> OperationalError:
    return OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"),
                            connection_invalidated=True)


def _flaky_view(app, path: str, *, commit_first: bool = False, invalidated: bool = True,
                methods=("GET",)):
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
    assert db.session.scalar(select(func.count()).select_from(Topic)
                             .where(Topic.slug.like("retry-%"))) == 1


def test_other_database_errors_are_not_retried(app, client):
    calls = _flaky_view(app, "/flaky-other", invalidated=False)
    assert client.get("/flaky-other").status_code == 500
    assert len(calls) == 1
