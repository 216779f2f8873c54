"""Flask-Migrate bound to the app only when migrations are asked for.

Flask-Migrate imports Alembic, and Alembic Mako and Pygments: some 11 MB in every
process that imports them. A serving worker never migrates (`forum db upgrade` runs
before the workers start: the forum-migrate unit, `make run`, the cluster test), so
``create_app`` leaves them out and this module brings them in on the first use:

- ``forum db ...``: the app's command group (``ForumCommands``) loads Flask-Migrate's
  ``db`` group when that name is asked for (a command, or ``forum --help``);
- ``app.extensions["migrate"]`` (``ForumExtensions``): Flask-Migrate's own functions
  (``flask_migrate.upgrade()``, which the tests and the bench call), migrations/env.py
  and the tests read this entry; the first read binds Flask-Migrate to the app, as
  ``Migrate.init_app`` always did, so they see the very object they saw before.

The migrations folder itself is ``forum.resources.migrations_dir()``; /readyz reads
its heads without Alembic (forum/services/readiness.py).
"""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

from forum.extensions import db
from forum.models.columns import render_type_for_migration
from forum.resources import migrations_dir

EXTENSION = "migrate"  # Flask-Migrate's key in app.extensions
COMMAND = "db"  # Flask-Migrate's command group: `forum db upgrade`


def defer_migrations(app: Flask) -> None:
    """Make ``app`` bind Flask-Migrate on first use; call before any extension or command
    is registered (this replaces ``app.extensions`` and ``app.cli``, both still empty)."""
    app.extensions = ForumExtensions(app, app.extensions)
    app.cli = ForumCommands(app.cli.name)


def bind_migrations(app: Flask) -> None:
    """Bind Flask-Migrate to ``app`` now (``app.extensions["migrate"]`` and the ``db``
    commands), with the forum's migration options."""
    from flask_migrate import Migrate

    Migrate(
        app,
        db,
        directory=str(migrations_dir()),
        render_as_batch=True,  # SQLite alters tables only by copying them
        compare_type=True,
        render_item=render_type_for_migration,
    )


class ForumExtensions(dict):
    """``app.extensions``, binding Flask-Migrate the first time its entry is read.

    Only reading the entry binds it: ``"migrate" in app.extensions`` and ``.get`` say
    whether it is bound yet, as on any dict."""

    def __init__(self, app: Flask, entries: dict):
        super().__init__(entries)
        self._app = app

    def __missing__(self, name: str):
        if name != EXTENSION:
            raise KeyError(name)
        bind_migrations(self._app)
        return dict.__getitem__(self, name)


class ForumCommands(AppGroup):
    """``app.cli``: the forum's commands, and Flask-Migrate's ``db`` group loaded when
    its name is asked for."""

    def list_commands(self, ctx) -> list[str]:
        return sorted({*super().list_commands(ctx), COMMAND})

    def get_command(self, ctx, name: str):
        command = super().get_command(ctx, name)
        if command is None and name == COMMAND:
            from flask_migrate.cli import db as command
        return command
