"""The Clinical Trials Competence Centre forum.

``create_app()`` builds the application; ``gunicorn 'forum:create_app()'``
serves it.
"""

from __future__ import annotations

import gc
import os
import sys

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import cli, signing_keys
from forum.app_logging import configure_logging
from forum.attachment_storage import init_storage
from forum.config import (
    ConfigurationError,
    engine_options,
    pool_options,
    settings_from_environment,
)
from forum.extensions import babel, csrf, db, limiter, login_manager
from forum.locales import init_locales
from forum.models.generation import track_content_changes
from forum.models.rendered_markdown import keep_rendered_markdown
from forum.resources import default_instance_path, static_dir, templates_dir
from forum.schema_migrations import defer_migrations
from forum.services import attachments
from forum.services.accounts.credentials import load_user_for_session
from forum.web import register_web
from forum.web.infra.page_cache import init_page_cache
from forum.web.infra.reconnect import ForumApp

# gunicorn's own code for "the application failed to load": its master stops, rather
# than starting workers that fail the same way forever; other callers see status 4.
CONFIGURATION_ERROR_EXIT = 4


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app from the environment; ``test_config`` overrides settings."""
    instance_path = str(default_instance_path())
    app = ForumApp(  # Flask, with one more try for a request whose connection died
        __name__,
        instance_path=instance_path,
        # Absolute: Flask would resolve relative folders against the package.
        template_folder=str(templates_dir()),
        static_folder=str(static_dir()),
    )
    environ = dict(os.environ)
    if test_config is not None:
        environ.setdefault("FORUM_ENV", "test")
    try:
        app.config.from_mapping(settings_from_environment(environ, instance_path))
    except ConfigurationError as error:
        # An operator's mistake, found at start-up: say what to fix, without a traceback.
        print(f"forum: cannot start: {error}", file=sys.stderr)
        raise SystemExit(CONFIGURATION_ERROR_EXIT) from None
    if test_config is not None:
        app.config.from_mapping(test_config)
    # Before anything logs: every line in one format, with its request id (app_logging.py).
    configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    # For the database finally in force, a test's own included.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"],
            prepared_statements=app.config["DB_PREPARED_STATEMENTS"],
        ),
        **pool_options(app.config),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config.get("TRUSTED_PROXIES"):
        # The client's address and scheme as the proxies saw them (rate limits key on it).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    _init_extensions(app)
    register_web(app)
    cli.register(app)
    if not app.testing:
        # What is built by now (modules, mappers, the app) lives as long as the process:
        # out of the cyclic collector's reach, a full collection in the middle of a
        # request walks some 20,000 objects instead of 180,000 (a 100 ms pause, which
        # was the search page's p99 in `make bench`). Tests build many apps: not there.
        gc.freeze()
    return app


def _select_locale() -> str | None:
    if not has_request_context():  # the CLI speaks the default language
        return None
    offered = current_app.config["LANGUAGES"]
    # The account's choice, then a visitor's (the session, forum/web/language/), then the browser's.
    if current_user and current_user.is_authenticated and current_user.locale in offered:
        return current_user.locale
    if session.get("locale") in offered:
        return session["locale"]
    return request.accept_languages.best_match(offered)


def _init_extensions(app: Flask) -> None:
    # Flask-Migrate (Alembic) only for `forum db` and the code that migrates: a serving
    # worker never does, and they cost it some 11 MB (forum/schema_migrations.py).
    defer_migrations(app)
    db.init_app(app)
    signing_keys.init_app(app)  # CSRF tokens signed before a key rotation stay good
    csrf.init_app(app)
    init_locales(app)  # LANGUAGES: those with a compiled catalogue
    babel.init_app(app, locale_selector=_select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user_for_session)
    limiter.init_app(app)
    track_content_changes()
    keep_rendered_markdown()
    init_storage(app)
    attachments.track_file_removals()
    init_page_cache(app)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _configure_sqlite_connection)


def _configure_sqlite_connection(dbapi_connection, _connection_record) -> None:
    """Pragmas SQLite forgets between connections, so set on every one."""
    cursor = dbapi_connection.cursor()
    # WAL lets readers proceed while one writer writes; not for in-memory databases.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
