"""DB_POOL_SIZE, DB_MAX_OVERFLOW, DB_POOL_RECYCLE and DB_POOL_TIMEOUT reach the engine on
PostgreSQL; SQLite keeps SQLAlchemy's defaults."""

from __future__ import annotations

from forum import create_app
from forum.config import pool_options, settings_from_environment
from forum.extensions import db

POOL_ENVIRONMENT = {
    "FORUM_ENV": "development",
    "DB_POOL_SIZE": "3",
    "DB_MAX_OVERFLOW": "2",
    "DB_POOL_RECYCLE": "600",
    "DB_POOL_TIMEOUT": "7.5",
}


def test_the_pool_settings_are_read_from_the_environment_for_postgresql():
    settings = settings_from_environment(
        {**POOL_ENVIRONMENT, "DATABASE_URL": "postgresql://forum@db.internal/forum"}, "/tmp/i"
    )
    assert pool_options(settings) == {
        "pool_size": 3,
        "max_overflow": 2,
        "pool_recycle": 600,
        "pool_timeout": 7.5,
    }


def test_recycling_is_left_off_unless_asked_for():
    settings = settings_from_environment(
        {"FORUM_ENV": "development", "DATABASE_URL": "postgres://forum@db/forum"}, "/tmp/i"
    )
    assert pool_options(settings) == {"pool_size": 5, "max_overflow": 10, "pool_timeout": 30}


def test_sqlite_keeps_its_own_pool_whatever_the_settings():
    settings = settings_from_environment(POOL_ENVIRONMENT, "/tmp/i")
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    assert pool_options(settings) == {}


def test_the_engine_gets_the_pool_settings(database_url, tmp_path):
    """On the suite's database: PostgreSQL's engine has the sizes asked for; SQLite's
    engine is built without them (the same settings would make an in-memory one fail)."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "DB_POOL_SIZE": 3,
        "DB_MAX_OVERFLOW": 2,
        "DB_POOL_RECYCLE": 600,
        "DB_POOL_TIMEOUT": 7,
        "ATTACHMENTS_DIR": str(tmp_path / "files"),
    }
    app = create_app(settings)
    with app.app_context():
        pool = db.engine.pool
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        if db.engine.dialect.name == "postgresql":
            assert pool.size() == 3
            assert pool._max_overflow == 2
            assert pool._recycle == 600
            assert pool._timeout == 7
            assert options["pool_pre_ping"] is True  # the existing options are kept
        else:
            assert "pool_size" not in options and "max_overflow" not in options
            assert pool._recycle == -1  # SQLAlchemy's default: never
        db.engine.dispose()
