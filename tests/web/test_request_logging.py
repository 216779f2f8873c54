"""Request ids and the one logging configuration (forum/app_logging.py): every line, the
limiter's and Python's warnings included, in one format with the request's id."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from flask import abort

from forum import create_app
from forum.app_logging import JsonFormatter, RequestIdFilter
from forum.config import PROJECT_ROOT, ConfigurationError, settings_from_environment
from tests.conftest import _test_settings

GENERATED = re.compile(r"[0-9a-f]{32}")


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_request_without_an_id_gets_a_new_one_in_its_response(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


def test_the_proxys_request_id_is_passed_on(client):
    response = client.get("/healthz", headers={"X-Request-ID": "f3a9.0c-7_e"})
    assert response.headers["X-Request-ID"] == "f3a9.0c-7_e"


@pytest.mark.parametrize(
    "hostile",
    ["a b", "x" * 65, "<script>alert(1)</script>", "id\\u000a", 'quote"d', "ümlaut"],
)
def test_an_id_that_is_not_a_plain_token_is_replaced_not_echoed(client, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})
    assert GENERATED.fullmatch(response.headers["X-Request-ID"])


def test_error_responses_carry_the_request_id_too(app, database_url):
    failing = create_app(_test_settings(database_url))
    failing.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 page

    @failing.get("/broken-for-the-test")
    def broken():
        raise RuntimeError("boom")

    @failing.get("/forbidden-for-the-test")
    def forbidden():
        abort(403)

    client = failing.test_client()
    for path, status in [
        ("/no-such-page", 404),
        ("/forbidden-for-the-test", 403),
        ("/broken-for-the-test", 500),
    ]:
        response = client.get(path, headers={"X-Request-ID": f"req-{status}"})
        assert response.status_code == status
        assert response.headers["X-Request-ID"] == f"req-{status}"
        assert "Traceback" not in response.get_data(as_text=True)


def test_json_lines_parse_and_carry_the_request_id(app, database_url, capsys):
    json_app = create_app({**_test_settings(database_url), "LOG_FORMAT": "json"})
    json_app.config["PROPAGATE_EXCEPTIONS"] = False

    @json_app.get("/broken-for-the-test")
    def broken():
        raise RuntimeError("boom in the view")

    client = json_app.test_client()
    client.get("/questions", headers={"X-Request-ID": "trace-questions"})
    client.get("/broken-for-the-test", headers={"X-Request-ID": "trace-broken"})
    logging.getLogger("forum.somewhere").warning("outside any request")

    lines = _json_lines(capsys.readouterr().err)
    access = [line for line in lines if line["logger"] == "forum.access"]
    assert {"time", "level", "logger", "message", "request_id"} <= set(access[0])
    assert [line["request_id"] for line in access] == ["trace-questions", "trace-broken"]
    assert access[0]["message"].startswith("GET /questions 200 ")
    assert access[0]["level"] == "INFO"
    [error] = [line for line in lines if line["logger"] == "forum.web.errors"]
    assert error["request_id"] == "trace-broken" and error["level"] == "ERROR"
    assert "RuntimeError: boom in the view" in error["exception"]
    [outside] = [line for line in lines if line["logger"] == "forum.somewhere"]
    assert outside["request_id"] == "-"


def test_text_lines_carry_the_request_id_in_brackets(client, capsys):
    client.get("/healthz", headers={"X-Request-ID": "text-line-id"})
    err = capsys.readouterr().err
    assert re.search(r" INFO \[text-line-id\] forum\.access: GET /healthz 200 [\d.]+ ms", err), err


def test_a_hostile_path_cannot_forge_a_log_line_or_flood_the_log(client, capsys):
    # A decoded %0A would start a line of the attacker's in a text log.
    client.get("/no-such%0A2026-01-01 00:00:00,000 INFO [x] forum.access: GET /admin 200 1 ms")
    client.get("/" + "a" * 5000, headers={"X-Request-ID": "long-path"})
    lines = capsys.readouterr().err.splitlines()
    [forged] = [line for line in lines if "/no-such" in line]
    assert "/no-such\\x0a2026-01-01" in forged
    assert not any(line.startswith("2026-01-01 00:00:00,000") for line in lines)
    [long] = [line for line in lines if "[long-path]" in line]
    assert "/" + "a" * 299 + "... 404" in long and len(long) < 500


def test_the_limiters_warning_reaches_the_forums_log(app, capsys):
    logging.getLogger("flask-limiter").warning("Rate limit storage unreachable - falling back")
    err = capsys.readouterr().err
    assert re.search(
        r"WARNING \[-\] forum\.web\.infra\.rate_limits: Rate limits: Rate limit storage "
        r"unreachable - falling back",
        err,
    ), err


def test_the_formatter_keeps_an_exception_inside_its_json_line():
    try:
        raise ValueError("bad value")
    except ValueError:
        record = logging.LogRecord(
            "forum.x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info()
        )
    RequestIdFilter().filter(record)
    [line] = JsonFormatter().format(record).splitlines()
    parsed = json.loads(line)
    assert parsed["message"] == "failed here" and parsed["request_id"] == "-"
    assert "ValueError: bad value" in parsed["exception"]


def test_python_warnings_reach_the_log_as_json_lines(tmp_path):
    """SQLAlchemy's warnings are Python warnings: in a real process (not under pytest's
    own capture of warnings) they come out as the forum's lines."""
    program = (
        "import warnings\n"
        "from sqlalchemy.exc import SAWarning\n"
        "from forum import create_app\n"
        "create_app()\n"
        "warnings.warn('a relationship will copy column x', SAWarning)\n"
    )
    environment = {
        **os.environ,
        "FORUM_ENV": "development",
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "LOG_FORMAT": "json",
    }
    environment.pop("FORUM_TEST_DATABASE_URL", None)
    finished = subprocess.run(
        [sys.executable, "-c", program],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    [warning] = [line for line in _json_lines(finished.stderr) if line["logger"] == "py.warnings"]
    assert warning["level"] == "WARNING"
    assert "SAWarning: a relationship will copy column x" in warning["message"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [("LOG_FORMAT", "xml"), ("LOG_LEVEL", "LOUD"), ("METRICS_ALLOWED_IPS", "10.0.0.300")],
)
def test_a_bad_logging_or_metrics_setting_is_refused_naming_it(variable, value):
    with pytest.raises(ConfigurationError, match=variable):
        settings_from_environment({"FORUM_ENV": "test", variable: value}, "/tmp")


@pytest.mark.parametrize(
    "created",
    [1858122781.6769996, 1780000000.0, 1780000000.9995, 1780000000.9999996, 1780000001.0004],
)
def test_a_json_lines_time_is_utc_to_the_millisecond_as_isoformat_writes_it(created):
    """The time's text is made once a second: the milliseconds must still round as
    datetime rounds them, into the next second included."""
    record = logging.LogRecord("forum.x", logging.INFO, __file__, 1, "m", (), None)
    record.created = created
    formatter = JsonFormatter()
    formatter.format(logging.LogRecord("forum.x", logging.INFO, __file__, 1, "m", (), None))
    expected = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    assert json.loads(formatter.format(record))["time"] == expected


def test_the_access_line_is_made_only_when_its_level_is_on(client, capsys):
    access = logging.getLogger("forum.access")
    level = access.level
    access.setLevel(logging.WARNING)
    try:
        client.get("/healthz", headers={"X-Request-ID": "quiet-line"})
    finally:
        access.setLevel(level)
    client.get("/healthz", headers={"X-Request-ID": "heard-line"})
    err = capsys.readouterr().err
    assert "quiet-line" not in err and "[heard-line] forum.access: GET /healthz 200" in err
