"""deploy/ holds the files an operator installs: they name commands the forum has, settings it
reads, and limits that match the app's. (tests/cluster runs them; these checks are quick.)"""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import pytest

from forum import create_app
from forum.config import engine_options, settings_from_environment
from forum.web.infra.body_limit import upload_limit

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT / "deploy"
SYSTEMD = DEPLOY / "systemd"
FORUM_COMMAND = "/opt/forum/venv/bin/forum"
# The services that run until stopped; the others are one-shot jobs.
LONG_RUNNING = {"forum-web.service", "forum-outbox.service"}


def _unit(path: Path) -> configparser.ConfigParser:
    # systemd's files repeat keys (two EnvironmentFile= lines): keep the last, as a list is
    # not needed for these checks.
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # keys are case-sensitive
    unit.read(path)
    return unit


def _services() -> list[Path]:
    return sorted(SYSTEMD.glob("*.service"))


def _forum_arguments(exec_start: str) -> list[str]:
    """The words after the forum command, up to the first that the shell would expand."""
    words = shlex.split(exec_start)
    if words[:2] == ["/bin/sh", "-c"]:
        words = shlex.split(words[2])
    start = words.index(FORUM_COMMAND) + 1 if FORUM_COMMAND in words else None
    assert start is not None, exec_start
    arguments = []
    for word in words[start:]:
        if "$" in word or word.startswith("/"):
            break
        arguments.append(word)
    return arguments


def test_engine_options_send_no_startup_parameter_pgbouncer_would_refuse():
    for prepared in (True, False):
        options = engine_options("postgresql+psycopg://u@h/forum", prepared_statements=prepared)
        assert "options" not in options.get("connect_args", {})
    assert "connect_args" not in engine_options("postgresql+psycopg://u@h/forum")


def test_prepared_statements_are_turned_off_for_pgbouncer_by_a_setting():
    test_mode = {"FORUM_ENV": "test"}
    settings = settings_from_environment({**test_mode, "DB_PREPARED_STATEMENTS": "off"}, "/tmp")
    assert settings["DB_PREPARED_STATEMENTS"] is False
    assert settings_from_environment(test_mode, "/tmp")["DB_PREPARED_STATEMENTS"] is True
    options = engine_options("postgresql+psycopg://u@h/forum", prepared_statements=False)
    assert options["connect_args"] == {"prepare_threshold": None}
    # SQLite has no such thing.
    assert "connect_args" not in engine_options("sqlite:///x", prepared_statements=False)


@pytest.mark.parametrize("service", _services(), ids=lambda path: path.name)
def test_each_service_runs_as_the_forum_user_with_its_settings_and_hardening(service):
    settings = _unit(service)["Service"]
    assert settings["User"] == "forum" and settings["Group"] == "forum"
    assert "/etc/forum/forum.env" in service.read_text()
    assert settings["NoNewPrivileges"] == "yes"
    assert settings["ProtectSystem"] == "strict"
    assert settings["PrivateTmp"] == "yes"
    if service.name in LONG_RUNNING:
        assert settings["Restart"] == "on-failure"
    else:
        assert settings["Type"] == "oneshot"


@pytest.mark.parametrize(
    "service",
    [path for path in _services() if path.name != "forum-web.service"],
    ids=lambda path: path.name,
)
def test_each_job_runs_a_command_the_forum_has_with_options_it_accepts(service):
    arguments = _forum_arguments(_unit(service)["Service"]["ExecStart"])
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    result = app.test_cli_runner().invoke(args=[*arguments, "--help"])
    assert result.exit_code == 0, (arguments, result.output)
    assert "Usage:" in result.output


def test_the_web_service_runs_gunicorn_with_the_installed_configuration():
    exec_start = _unit(SYSTEMD / "forum-web.service")["Service"]["ExecStart"]
    assert shlex.split(exec_start) == [
        "/opt/forum/venv/bin/gunicorn",
        "-c",
        "/etc/forum/gunicorn.conf.py",
        "forum:create_app()",
    ]


def test_every_timer_starts_a_service_of_its_name():
    timers = sorted(SYSTEMD.glob("*.timer"))
    assert {timer.stem for timer in timers} >= {"forum-backup", "forum-visits-flush"}
    for timer in timers:
        assert (SYSTEMD / f"{timer.stem}.service").exists(), timer.name
        assert _unit(timer)["Timer"]["OnCalendar"]


def test_every_setting_in_the_environment_example_is_one_the_forum_or_gunicorn_reads():
    read = "\n".join(path.read_text() for path in (PROJECT / "forum").rglob("*.py"))
    read += (DEPLOY / "gunicorn.conf.py").read_text()
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", (DEPLOY / "forum.env.example").read_text(), re.M)
    assert {"DATABASE_URL", "SECRET_KEY", "TRUSTED_PROXIES", "DB_PREPARED_STATEMENTS"} <= set(names)
    unread = [name for name in names if f'"{name}"' not in read]
    assert not unread


def test_nginx_accepts_the_largest_upload_the_app_does():
    site = (DEPLOY / "nginx" / "forum.conf").read_text()
    size, unit = re.search(r"client_max_body_size (\d+)([km]?);", site).groups()
    accepted = int(size) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]
    defaults = settings_from_environment({"FORUM_ENV": "test"}, "/tmp")
    assert upload_limit(defaults) <= accepted < upload_limit(defaults) + 2 * 1024 * 1024


def test_nginx_passes_the_client_s_address_and_scheme_and_a_request_id():
    site = (DEPLOY / "nginx" / "forum.conf").read_text()
    for header, value in (
        ("X-Forwarded-For", "$proxy_add_x_forwarded_for"),
        ("X-Forwarded-Proto", "$scheme"),
        ("X-Request-ID", "$request_id"),
    ):
        assert f"proxy_set_header {header} {value};" in site
