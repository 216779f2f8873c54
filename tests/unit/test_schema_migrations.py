"""What a serving worker imports, and Flask-Migrate bound only when migrations are asked
for (forum/schema_migrations.py): `forum db` and `flask_migrate.upgrade()` work as before,
while a worker serving pages never loads Alembic or the other heavy libraries."""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404  # runs the forum's own command and a Python of the venv
import sys
from pathlib import Path

from forum import create_app
from forum.resources import migrations_dir

# Each costs a worker megabytes and serves only a command or a rare download: the
# migrations (Alembic and what it brings), Redis's client without REDIS_URL, the PDFs,
# the spreadsheets, an S3 bucket.
NOT_IN_A_SERVING_WORKER = (
    "alembic",
    "flask_migrate",
    "mako",
    "pygments",
    "redis",
    "weasyprint",
    "openpyxl",
    "boto3",
)

# A worker as gunicorn runs one: the app built, then the probes and the main pages served.
SERVE_PAGES = """
import json, sys
from forum import create_app
app = create_app()
client = app.test_client()
statuses = [client.get(path).status_code for path in ("/readyz", "/", "/questions", "/faq")]
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))
print(json.dumps({"statuses": statuses, "heavy": heavy}))
"""


def _production(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FORUM_ENV": "production",
        "SECRET_KEY": "a-production-key-of-at-least-32-characters",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.sqlite3'}",
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }


def _run(command: list[str], environment: dict[str, str], cwd: Path):
    return subprocess.run(  # nosec B603  # our own command, fixed arguments
        command, env=environment, capture_output=True, text=True, timeout=180, cwd=cwd
    )


def test_forum_db_upgrade_migrates_and_a_serving_app_then_loads_no_heavy_library(tmp_path):
    environment = _production(tmp_path)
    forum = Path(sys.executable).parent / "forum"  # installed by [project.scripts]
    upgraded = _run([str(forum), "db", "upgrade"], environment, tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    current = _run([str(forum), "db", "current"], environment, tmp_path)
    assert "(head)" in current.stdout, current.stdout + current.stderr

    served = _run(
        [sys.executable, "-c", SERVE_PAGES, *NOT_IN_A_SERVING_WORKER], environment, tmp_path
    )
    assert served.returncode == 0, served.stderr
    outcome = json.loads(served.stdout.splitlines()[-1])
    # /readyz found the migrations at head (read without Alembic), and the pages served.
    assert outcome["statuses"] == [200, 200, 200, 200]
    assert outcome["heavy"] == []


def test_reading_the_migrate_entry_binds_flask_migrate_with_the_forums_options(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'forum.sqlite3'}"})
    assert "migrate" not in app.extensions  # nothing asked for it yet
    bound = app.extensions["migrate"]
    assert app.extensions["migrate"] is bound  # bound once
    assert Path(bound.directory) == migrations_dir()
    assert bound.configure_args["render_as_batch"] is True
    assert bound.configure_args["compare_type"] is True
    assert app.cli.get_command(None, "db") is not None
    try:
        app.extensions["no such extension"]
    except KeyError:
        pass
    else:
        raise AssertionError("an unknown extension must stay a KeyError")
