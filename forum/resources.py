"""Where the files the forum reads at run time are: templates, static files, migrations,
the catalogues, the default requirements guide, and the instance folder.

From a checkout (``make run``, the tests, an editable install) they are the
repository's own folders, where the design keeps them (top-level templates/, static/,
migrations/, docs/requirements_guide.md). An installed wheel has no checkout around
it: setup.py's build step copies them into the package, under ``_bundled``, and that
copy is used whenever it is there. The catalogues live in the package in both cases
(forum/translations; the wheel's ``.mo`` files are compiled by the same build step).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The repository around the package when it runs from a checkout; the tests and tools
# that read the source (ruff, the layer checks) use it. Installed, nothing is there.
PROJECT_ROOT = PACKAGE_DIR.parent
# Written by setup.py's build step (BUNDLED_FOLDER there): only a built wheel has it.
BUNDLED_DIR = PACKAGE_DIR / "_bundled"


def is_installed_copy() -> bool:
    """True when running from a built wheel (its bundled files), not from a checkout."""
    return BUNDLED_DIR.is_dir()


def _runtime_root() -> Path:
    return BUNDLED_DIR if is_installed_copy() else PROJECT_ROOT


def templates_dir() -> Path:
    return _runtime_root() / "templates"


def static_dir() -> Path:
    return _runtime_root() / "static"


def migrations_dir() -> Path:
    return _runtime_root() / "migrations"


def translations_dir() -> Path:
    """The catalogues (``<language>/LC_MESSAGES/messages.po`` and ``.mo``)."""
    return PACKAGE_DIR / "translations"


def default_guide_path() -> Path:
    """The released guide the demo and ``guide import`` read when GUIDE_PATH is not set
    (its Italian translation, requirements_guide.it.md, sits beside it)."""
    return _runtime_root() / "docs" / "requirements_guide.md"


def network_sample_path() -> Path:
    """The network directory's sample spreadsheet: fictional organisations of both regions,
    which the demo imports and admins copy as a template."""
    return _runtime_root() / "docs" / "network_directory_sample.csv"


def default_instance_path(environ: Mapping[str, str] | None = None) -> Path:
    """FORUM_INSTANCE_PATH, else ``instance`` in the checkout, or, installed, in the
    current working directory.

    Installed, the package's own folder is no place for the SQLite database and the
    attachments: site-packages may be read-only, and an upgrade or a new virtualenv
    replaces it. The working directory is where an operator runs ``forum db upgrade``
    and starts gunicorn (a service's WorkingDirectory), as Flask's own CLI assumes.
    """
    environ = os.environ if environ is None else environ
    if environ.get("FORUM_INSTANCE_PATH"):
        return Path(environ["FORUM_INSTANCE_PATH"])
    if is_installed_copy():
        return Path.cwd() / "instance"
    return PROJECT_ROOT / "instance"
