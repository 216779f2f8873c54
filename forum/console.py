"""The ``forum`` command ([project.scripts] in pyproject.toml): Flask's command line for
this application, so ``forum db upgrade``, ``forum seed-demo``, ``forum outbox send`` and
``forum run`` need no ``--app``. The commands themselves are in forum/cli.py."""

from __future__ import annotations

from flask.cli import FlaskGroup

from forum import create_app

main = FlaskGroup(
    name="forum",
    create_app=create_app,
    help="The Clinical Trials Competence Centre forum's commands. FORUM_ENV, SECRET_KEY "
    "and DATABASE_URL come from the environment (docs/operations.md).",
)

if __name__ == "__main__":
    main()
