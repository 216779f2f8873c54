"""Configuration from the environment, SQLite connection settings, and the migrations."""

from __future__ import annotations

import os
import subprocess  # nosec B404  # runs the forum's own CLI
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from forum import CONFIGURATION_ERROR_EXIT, create_app
from forum.config import (
    PROJECT_ROOT,
    ConfigurationError,
    normalise_database_url,
    settings_from_environment,
)
from forum.extensions import db

# Long and varied enough for production (forum/config.py refuses a weak key).
PRODUCTION_KEY = "a-production-key-of-at-least-32-characters"


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        settings_from_environment({"FORUM_ENV": "production"}, "/tmp/instance")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        settings_from_environment({}, "/tmp/instance")  # production is the default


@pytest.mark.parametrize(
    "weak_key",
    [
        "x",
        "secret",
        "a" * 64,
        "0123456789" * 3,
        "development-only-secret-key-not-for-production",
    ],
)
def test_production_refuses_a_short_or_weak_secret_key(weak_key):
    with pytest.raises(ConfigurationError, match="SECRET_KEY is too weak.*32 random characters"):
        settings_from_environment({"FORUM_ENV": "production", "SECRET_KEY": weak_key}, "/tmp")
    # Outside production a short key is allowed: development and tests sign nothing real.
    assert (
        settings_from_environment({"FORUM_ENV": "development", "SECRET_KEY": weak_key}, "/tmp")[
            "SECRET_KEY"
        ]
        == weak_key
    )


def test_a_production_key_of_32_varied_characters_is_accepted():
    assert (
        settings_from_environment(
            {"FORUM_ENV": "production", "SECRET_KEY": PRODUCTION_KEY}, "/tmp"
        )["SECRET_KEY"]
        == PRODUCTION_KEY
    )


def test_a_weak_key_stops_the_start_up_with_a_message_and_no_traceback(tmp_path):
    environment = {
        **os.environ,
        "FORUM_ENV": "production",
        "SECRET_KEY": "x",
        "FORUM_INSTANCE_PATH": str(tmp_path),
    }
    finished = subprocess.run(  # nosec B603  # our own CLI, fixed arguments
        [sys.executable, "-m", "flask", "--app", "forum", "routes"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
    )
    assert finished.returncode == CONFIGURATION_ERROR_EXIT
    assert "forum: cannot start: SECRET_KEY is too weak" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_development_and_tests_run_without_a_secret_key():
    for mode in ("development", "test"):
        settings = settings_from_environment({"FORUM_ENV": mode}, "/tmp/instance")
        assert settings["SECRET_KEY"]


def test_unknown_modes_are_refused():
    with pytest.raises(ConfigurationError, match="FORUM_ENV"):
        settings_from_environment({"FORUM_ENV": "staging", "SECRET_KEY": "x"}, "/tmp/instance")


def test_the_sitemap_part_size_is_read_from_the_environment():
    environment = {"FORUM_ENV": "development"}
    assert settings_from_environment(environment, "/tmp/i")["SITEMAP_URLS_PER_FILE"] == 50_000
    environment["SITEMAP_URLS_PER_FILE"] = "1000"
    assert settings_from_environment(environment, "/tmp/i")["SITEMAP_URLS_PER_FILE"] == 1000


def test_production_cookies_are_secure():
    settings = settings_from_environment({"SECRET_KEY": PRODUCTION_KEY}, "/tmp/instance")
    assert settings["SESSION_COOKIE_SECURE"] and settings["SESSION_COOKIE_HTTPONLY"]
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////srv/forum.db", "sqlite:////srv/forum.db"),
    ],
)
def test_database_urls_in_every_usual_spelling(url, expected):
    assert normalise_database_url(url) == expected


def test_the_default_database_is_sqlite_in_the_instance_folder():
    settings = settings_from_environment({"FORUM_ENV": "development"}, "/srv/forum/instance")
    assert settings["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/forum/instance/forum.sqlite3"


def test_every_sqlite_connection_has_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'f.sqlite3'}"})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()


def _not_a_search_engine_structure(name, type_, parent_names) -> bool:
    """Leave out what the search migration creates for one engine only, which no model
    can describe: SQLite's FTS5 virtual table with its shadow tables, and PostgreSQL's
    generated tsvector column with its GIN index (forum/models/search.py)."""
    if type_ == "table":
        return not (name or "").startswith("search_fts")
    if type_ == "column":
        return name != "search_vector"
    if type_ == "index":
        return name != "ix_search_text_search_vector"
    return True


def test_the_migrations_build_exactly_the_models_schema(app):
    """The database built by ``flask db upgrade`` matches the models: no missing migration."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": _not_a_search_engine_structure,
            },
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_migrations_seed_the_topic_vocabulary(app):
    from forum.services.questions import all_topics

    slugs = [topic.slug for topic in all_topics()]
    assert len(slugs) == 12 and "regulatory-pathway" in slugs and "ivd-performance-studies" in slugs


def test_the_app_is_importable_for_gunicorn():
    import forum

    assert callable(forum.create_app)
