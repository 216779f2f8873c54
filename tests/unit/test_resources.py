"""forum/resources.py: where the files the app reads at run time are found, from the
checkout and from an installed wheel (its ``_bundled`` copy); the ``forum`` command.

tests/packaging/test_wheel.py builds and installs the real wheel; these are the quick
checks of the same rules, run in `make check`.
"""

from __future__ import annotations

import ast
import os
import subprocess  # nosec B404  # the installed `forum` command, fixed arguments
import sys
from pathlib import Path

from forum import resources
from forum.config import PROJECT_ROOT


def test_from_the_checkout_every_runtime_folder_is_the_repositorys_own():
    assert not resources.is_installed_copy()  # no wheel was built into the checkout
    assert resources.templates_dir() == PROJECT_ROOT / "templates"
    assert (resources.templates_dir() / "base.html").is_file()
    assert resources.static_dir() == PROJECT_ROOT / "static"
    assert (resources.static_dir() / "favicon.svg").is_file()
    assert resources.migrations_dir() == PROJECT_ROOT / "migrations"
    assert (resources.migrations_dir() / "env.py").is_file()
    assert any((resources.migrations_dir() / "versions").glob("*.py"))
    assert resources.translations_dir() == PROJECT_ROOT / "forum" / "translations"
    assert (resources.translations_dir() / "it" / "LC_MESSAGES" / "messages.po").is_file()
    assert resources.default_guide_path() == PROJECT_ROOT / "docs" / "requirements_guide.md"
    assert resources.default_guide_path().is_file()
    assert resources.default_guide_path().with_suffix(".it.md").is_file()
    assert resources.default_instance_path({}) == PROJECT_ROOT / "instance"


def test_the_app_takes_its_folders_from_the_resources_module(app):
    assert Path(app.template_folder) == resources.templates_dir()
    assert Path(app.static_folder) == resources.static_dir()
    assert Path(app.extensions["migrate"].directory) == resources.migrations_dir()
    assert Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]) == resources.translations_dir()
    assert "it" in app.config["LANGUAGES"]


def test_an_installed_copy_reads_its_bundled_files_and_keeps_the_instance_in_the_working_directory(
    tmp_path, monkeypatch
):
    bundled = tmp_path / "site-packages" / "forum" / "_bundled"
    bundled.mkdir(parents=True)
    monkeypatch.setattr(resources, "BUNDLED_DIR", bundled)
    working = tmp_path / "srv"
    working.mkdir()
    monkeypatch.chdir(working)

    assert resources.is_installed_copy()
    assert resources.templates_dir() == bundled / "templates"
    assert resources.static_dir() == bundled / "static"
    assert resources.migrations_dir() == bundled / "migrations"
    assert resources.default_guide_path() == bundled / "docs" / "requirements_guide.md"
    # The database and attachments never go into site-packages.
    assert resources.default_instance_path({}) == working / "instance"
    chosen = str(tmp_path / "data")
    assert resources.default_instance_path({"FORUM_INSTANCE_PATH": chosen}) == Path(chosen)


def test_setup_py_bundles_into_the_folder_the_resources_module_reads():
    tree = ast.parse((PROJECT_ROOT / "setup.py").read_text(encoding="utf-8"))
    assigned = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    folder = assigned["BUNDLED_FOLDER"]
    assert isinstance(folder, ast.Call)
    assert Path(*(ast.literal_eval(part) for part in folder.args)) == Path("forum", "_bundled")
    assert resources.BUNDLED_DIR == resources.PACKAGE_DIR / "_bundled"
    assert set(ast.literal_eval(assigned["BUNDLED_TREES"])) == {"templates", "static", "migrations"}
    assert set(ast.literal_eval(assigned["BUNDLED_FILES"])) == {
        "docs/requirements_guide.md",
        "docs/requirements_guide.it.md",
        # The network directory's sample, which the demo imports (forum/demo/network.py).
        "docs/network_directory_sample.csv",
    }
    assert resources.network_sample_path().relative_to(PROJECT_ROOT) == Path(
        "docs", "network_directory_sample.csv"
    )


def test_the_forum_command_is_flasks_command_line_for_the_app(tmp_path):
    command = Path(sys.executable).parent / "forum"  # installed by [project.scripts]
    finished = subprocess.run(  # nosec B603  # our own command, fixed arguments
        [str(command), "--help"],
        env={**os.environ, "FORUM_ENV": "test", "FORUM_INSTANCE_PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # no --app, and not from the checkout
    )
    assert finished.returncode == 0, finished.stderr
    for name in ("db", "seed-demo", "outbox", "run", "guide"):
        assert f"  {name} " in finished.stdout, finished.stdout
