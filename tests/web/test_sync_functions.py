"""Each hook and view is checked for a coroutine once, not on every request
(forum/web/infra/sync_functions.py)."""

from __future__ import annotations

import flask.app
import pytest

from forum.web.infra.reconnect import ForumApp
from forum.web.infra.sync_functions import MAX_KNOWN, SyncFunctionsKnown


@pytest.fixture
def asked(monkeypatch):
    """The functions Flask asks ``iscoroutinefunction`` of, in order."""
    functions = []
    original = flask.app.iscoroutinefunction

    def counted(func):
        functions.append(func)
        return original(func)

    monkeypatch.setattr(flask.app, "iscoroutinefunction", counted)
    return functions


def test_a_page_asks_nothing_once_its_hooks_were_seen(app, client, asked):
    assert isinstance(app, SyncFunctionsKnown) and isinstance(app, ForumApp)
    for _ in range(2):
        assert client.get("/questions").status_code == 200
    asked.clear()
    assert client.get("/questions").status_code == 200
    assert client.get("/faq").status_code == 200
    assert [func for func in asked if func is not app.view_functions["faq.index"]] == []


def test_an_async_function_is_left_to_flask_every_time(asked):
    probe = SyncFunctionsKnown("probe")

    async def later():
        return "ok"

    for _ in range(2):
        with pytest.raises(RuntimeError, match="async"):  # asgiref is not installed
            probe.ensure_sync(later)
    assert asked == [later, later]


def test_functions_made_per_call_do_not_grow_the_set_without_end(monkeypatch):
    probe = SyncFunctionsKnown("probe")
    monkeypatch.setattr("forum.web.infra.sync_functions.MAX_KNOWN", 3)
    for number in range(10):
        made = lambda number=number: number  # noqa: E731  (a new function each time)
        assert probe.ensure_sync(made) is made
    assert len(probe._known_sync) == 3 < MAX_KNOWN
