"""Every setting is read by what it must be, and a bad one stops the start in one line."""

from __future__ import annotations

import os
import subprocess  # nosec B404  # runs the forum's own CLI
import sys

import pytest
from flask.cli import cli as flask_command_line

from forum import CONFIGURATION_ERROR_EXIT
from forum.config import PROJECT_ROOT, settings_from_environment
from forum.settings_readers import ConfigurationError, EnvironmentSettings


def read(**environ) -> EnvironmentSettings:
    return EnvironmentSettings(environ)


def development(**environ) -> dict:
    return settings_from_environment({"FORUM_ENV": "development", **environ}, "/tmp/instance")


def test_a_whole_number_is_read_and_unset_or_blank_takes_the_default():
    assert read(N="12").whole_number("N", 5) == 12
    assert read(N=" 7 ").whole_number("N", 5) == 7
    assert read().whole_number("N", 5) == 5
    assert read(N="  ").whole_number("N", 5) == 5


@pytest.mark.parametrize("value", ["twenty", "2.5", "0x10", "", "1e3"])
def test_a_whole_number_refuses_what_is_not_one(value):
    if not value:  # blank means unset, not an error
        assert read(N=value).whole_number("N", 3, minimum=1) == 3
        return
    with pytest.raises(ConfigurationError) as refused:
        read(N=value).whole_number("N", 3, minimum=1)
    assert str(refused.value) == f"N must be a whole number of at least 1, not {value!r}"


def test_a_whole_number_outside_its_range_is_refused_naming_the_range():
    with pytest.raises(
        ConfigurationError, match=r"^N must be a whole number of at least 0, not '-1'$"
    ):
        read(N="-1").whole_number("N", 3)
    with pytest.raises(
        ConfigurationError, match=r"^N must be a whole number from 1 to 9, not '10'$"
    ):
        read(N="10").whole_number("N", 3, minimum=1, maximum=9)
    assert read(N="9").whole_number("N", 3, minimum=1, maximum=9) == 9


@pytest.mark.parametrize("value", ["0", "65536", "-25", "smtp"])
def test_a_port_is_between_1_and_65535(value):
    with pytest.raises(ConfigurationError, match=r"^P must be a whole number from 1 to 65535"):
        read(P=value).port("P", 25)
    assert read(P="65535").port("P", 25) == 65535


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "0.5"])
def test_seconds_refuse_words_negatives_nan_infinity_and_less_than_the_minimum(value):
    with pytest.raises(
        ConfigurationError, match=rf"^T must be a number of seconds of at least 1, not '{value}'$"
    ):
        read(T=value).seconds("T", 30, minimum=1)
    assert read(T="2.5").seconds("T", 30, minimum=1) == 2.5


@pytest.mark.parametrize("on", ["1", "true", "YES", "On"])
@pytest.mark.parametrize("off", ["0", "false", "No", "OFF"])
def test_a_flag_reads_on_and_off_words_in_any_case(on, off):
    assert read(F=on).flag("F", False) is True
    assert read(F=off).flag("F", True) is False
    assert read().flag("F", True) is True


def test_a_flag_refuses_anything_else_instead_of_reading_it_as_off():
    with pytest.raises(ConfigurationError, match=r"^F must be on or off \(1, true.*not 'enabled'$"):
        read(F="enabled").flag("F", False)


def test_a_choice_names_the_choices():
    assert read(C="ssl").choice("C", "none", ("none", "starttls", "ssl")) == "ssl"
    with pytest.raises(ConfigurationError, match=r"^C must be none, starttls or ssl, not 'tls'$"):
        read(C="tls").choice("C", "none", ("none", "starttls", "ssl"))


@pytest.mark.parametrize("good", ["10 per minute", "5/15 minutes", "10 per minute; 100 per hour"])
def test_a_rate_limit_in_the_limits_librarys_syntax_is_kept(good):
    assert read(R=good).rate_limit("R", "1 per second") == good


@pytest.mark.parametrize("bad", ["ten a minute", "10 per fortnight", "per minute", ";"])
def test_a_rate_limit_the_limits_library_cannot_parse_is_refused(bad):
    with pytest.raises(
        ConfigurationError, match=r"^R must be a rate limit such as '10 per minute'"
    ):
        read(R=bad).rate_limit("R", "1 per second")


def test_a_url_must_have_one_of_its_schemes():
    assert read(U="https://forum.example").url("U", None, ("http://", "https://")) == (
        "https://forum.example"
    )
    for bad in ("forum.example", "ftp://forum.example", "https://"):
        with pytest.raises(ConfigurationError, match=r"^U must be a URL beginning with http://"):
            read(U=bad).url("U", None, ("http://", "https://"))


def test_a_word_list_splits_on_commas_and_white_space():
    assert read(L=" a, b  c,,\nd ").word_list("L") == ["a", "b", "c", "d"]
    assert read().word_list("L") == []


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("QUESTIONS_PER_PAGE", "twenty", "a whole number of at least 1"),
        ("QUESTIONS_PER_PAGE", "0", "a whole number of at least 1"),
        ("DB_POOL_SIZE", "-1", "a whole number of at least 1"),
        ("DB_MAX_OVERFLOW", "-5", "a whole number of at least 0"),
        ("DB_POOL_RECYCLE", "an hour", "a whole number of at least 0"),
        ("DB_POOL_TIMEOUT", "0", "a number of seconds of at least 1"),
        ("MAIL_PORT", "70000", "a whole number from 1 to 65535"),
        ("MAIL_TIMEOUT", "forever", "a number of seconds"),
        ("MAIL_SECURITY", "tls", "none, starttls or ssl"),
        ("SITEMAP_URLS_PER_FILE", "60000", "a whole number from 1 to 50000"),
        ("PAGE_CACHE_SECONDS", "-60", "a whole number of at least 0"),
        ("VISIT_COUNTING", "sometimes", "on or off"),
        ("RATELIMIT_ENABLED", "perhaps", "on or off"),
        ("RATELIMIT_LOGIN", "ten a minute", "a rate limit"),
        ("RATELIMIT_SUGGEST", "120 per lifetime", "a rate limit"),
        ("TRUSTED_PROXIES", "one", "a whole number"),
        ("BOARD_QUORUM_AREAS", "0", "a whole number of at least 1"),
        ("PUBLIC_BASE_URL", "forum.example.org", "a URL beginning with http:// or https://"),
        ("REDIS_URL", "localhost:6379", "a URL beginning with redis://"),
        ("FORUM_TIMEZONE", "Mars/Olympus", "a time zone name"),
        ("FORUM_ENV", "staging", "production, development or test"),
    ],
)
def test_each_bad_setting_is_refused_in_one_line_naming_it_and_its_value(name, value, expected):
    with pytest.raises(ConfigurationError) as refused:
        development(**{name: value})
    message = str(refused.value)
    assert message.startswith(f"{name} must be {expected}")
    assert message.endswith(f"not {value!r}")
    assert "\n" not in message


def test_a_database_url_of_another_kind_is_refused_without_showing_its_password():
    with pytest.raises(ConfigurationError) as refused:
        development(DATABASE_URL="mysql://forum:hunter2@db/forum")
    assert str(refused.value).startswith("DATABASE_URL must be a postgresql://")
    assert "'mysql'" in str(refused.value) and "hunter2" not in str(refused.value)
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        development(DATABASE_URL="not a url")


def test_good_values_are_read_as_their_kind():
    settings = development(
        QUESTIONS_PER_PAGE="30",
        MAIL_PORT="587",
        MAIL_TIMEOUT="2.5",
        VISIT_COUNTING="off",
        RATELIMIT_LOGIN="3 per minute",
        FORUM_TIMEZONE="UTC",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert settings["QUESTIONS_PER_PAGE"] == 30 and settings["MAIL_PORT"] == 587
    assert settings["MAIL_TIMEOUT"] == 2.5 and settings["VISIT_COUNTING"] is False
    assert settings["RATELIMIT_LOGIN"] == "3 per minute"
    assert settings["BABEL_DEFAULT_TIMEZONE"] == "UTC"
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_the_defaults_are_valid_values_of_their_own_readers():
    settings = development()
    assert settings["QUESTIONS_PER_PAGE"] == 20
    assert (settings["DB_POOL_SIZE"], settings["DB_MAX_OVERFLOW"]) == (5, 10)
    assert (settings["DB_POOL_RECYCLE"], settings["DB_POOL_TIMEOUT"]) == (0, 30)
    assert settings["SECRET_KEY_FALLBACKS"] == []


def _start_the_cli(tmp_path, **environ) -> subprocess.CompletedProcess:
    return subprocess.run(  # nosec B603  # our own CLI, fixed arguments
        [sys.executable, "-m", "flask", "--app", "forum", "routes"],
        env={
            **os.environ,
            "FORUM_ENV": "development",
            "FORUM_INSTANCE_PATH": str(tmp_path),
            **environ,
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
    )


def _run_the_cli_here(monkeypatch, capsys, tmp_path, **environ) -> tuple[int, str, str]:
    """``flask --app forum routes`` run in this process through Flask's command line, as
    ``python -m flask`` runs it (a new process costs seconds of imports): its exit code,
    standard output and standard error."""
    monkeypatch.chdir(PROJECT_ROOT)
    # Flask's command line sets it for its process; set here, monkeypatch removes it after.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    for name, value in {
        "FORUM_ENV": "development",
        "FORUM_INSTANCE_PATH": str(tmp_path),
        **environ,
    }.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        flask_command_line.main(args=["--app", "forum", "routes"], prog_name="flask")
    out, err = capsys.readouterr()
    return exited.value.code, out, err


@pytest.mark.parametrize(
    "name, value",
    [("QUESTIONS_PER_PAGE", "twenty"), ("DB_POOL_SIZE", "-3"), ("RATELIMIT_POST", "lots")],
)
def test_a_bad_setting_stops_the_cli_with_one_line_and_no_traceback(
    monkeypatch, capsys, tmp_path, name, value
):
    code, _, err = _run_the_cli_here(monkeypatch, capsys, tmp_path, **{name: value})
    assert code == CONFIGURATION_ERROR_EXIT
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"forum: cannot start: {name} must be ")
    assert lines[0].endswith(f"not {value!r}")
    assert "Traceback" not in err


def test_a_bad_setting_stops_the_cli_process_with_one_line_and_no_traceback(tmp_path):
    # The checks above in a process of its own, once: nothing else printed at start-up
    # (an import's warning, say), and Python prints no traceback for the exit.
    finished = _start_the_cli(tmp_path, QUESTIONS_PER_PAGE="twenty")
    assert finished.returncode == CONFIGURATION_ERROR_EXIT
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1, finished.stderr
    assert lines[0].startswith("forum: cannot start: QUESTIONS_PER_PAGE must be ")
    assert lines[0].endswith("not 'twenty'")
    assert "Traceback" not in finished.stderr


def test_the_cli_starts_when_every_setting_is_good(monkeypatch, capsys, tmp_path):
    code, out, err = _run_the_cli_here(
        monkeypatch, capsys, tmp_path, QUESTIONS_PER_PAGE="25", DB_POOL_SIZE="3"
    )
    assert code == 0, err
    assert "static" in out
