"""The wheel, as an operator gets it: built from the checkout (`pip wheel .`), installed
with the pinned versions (constraints.txt) into a new virtualenv outside the checkout, then
from a working directory of its own, in production mode: `forum db upgrade`, `forum
seed-demo`, and gunicorn serving pages in Italian, the static files and the guide, all
read from the virtualenv. The quick checks of the same rules are in
tests/unit/test_resources.py.

Slow (a wheel, a virtualenv, an install through pip's cache): left out of `make check`.
"""

from __future__ import annotations

import os
import secrets
import subprocess  # nosec B404  # pip, the new virtualenv's commands: fixed arguments
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from forum.config import PROJECT_ROOT
from tests import processes

pytestmark = pytest.mark.slow

CATALOGUE = "forum/translations/it/LC_MESSAGES/messages.mo"
BUNDLED = "forum/_bundled/"
# pip downloads what its cache lacks: generous, so a slow mirror is not a failure.
INSTALL_TIMEOUT = 1200
COMMAND_TIMEOUT = 300


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    """Run a command; on failure, say which, with all it printed."""
    finished = subprocess.run(  # nosec B603  # fixed arguments
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=options.pop("timeout", COMMAND_TIMEOUT),
        **options,
    )
    if finished.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, command))} exited with {finished.returncode}\n"
            f"--- stdout\n{finished.stdout[-6000:]}\n--- stderr\n{finished.stderr[-6000:]}"
        )
    return finished


def _checkout_files(folder: str) -> set[str]:
    root = PROJECT_ROOT / folder
    return {
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    _run(
        [sys.executable, "-m", "pip", "wheel", PROJECT_ROOT, "--no-deps", "-w", folder],
        cwd=PROJECT_ROOT,
        timeout=INSTALL_TIMEOUT,
    )
    [built] = folder.glob("forum-*.whl")
    return built


@pytest.fixture(scope="module")
def virtualenv(wheel, tmp_path_factory) -> Path:
    """A new virtualenv outside the checkout with the wheel installed, pinned."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    assert PROJECT_ROOT not in venv.parents
    _run([sys.executable, "-m", "venv", venv])
    _run(
        [
            venv / "bin" / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            PROJECT_ROOT / "constraints.txt",
            wheel,
        ],
        cwd=venv.parent,
        timeout=INSTALL_TIMEOUT,
    )
    return venv


@pytest.fixture(scope="module")
def site(virtualenv, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """An operator's working directory and environment: production, a strong key, no
    DATABASE_URL (the default SQLite database in ./instance), nothing of the checkout."""
    workdir = tmp_path_factory.mktemp("site")
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FORUM_", "PYTHON", "DATABASE_", "REDIS_", "VIRTUAL_ENV"))
        and name not in ("SECRET_KEY", "GUIDE_PATH")
    }
    environment.update(
        PATH=f"{virtualenv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        FORUM_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        PYTHONNOUSERSITE="1",
    )
    return workdir, environment


def test_the_wheel_carries_the_catalogue_migrations_templates_static_files_and_guide(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert CATALOGUE in names, "the Italian catalogue is not compiled into the wheel"
    for folder in ("templates", "static", "migrations"):
        missing = {name for name in _checkout_files(folder) if BUNDLED + name not in names}
        assert not missing, f"{folder} files missing from the wheel: {sorted(missing)[:10]}"
    for guide in ("docs/requirements_guide.md", "docs/requirements_guide.it.md"):
        assert BUNDLED + guide in names
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    assert "forum = forum.console:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_installed_wheel_reads_everything_from_the_virtualenv(virtualenv, site):
    workdir, environment = site
    probe = _run(
        [
            virtualenv / "bin" / "python",
            "-c",
            "import forum, forum.resources as r; print(forum.__file__); "
            "print(r.templates_dir()); print(r.static_dir()); print(r.migrations_dir()); "
            "print(r.default_guide_path()); print(r.translations_dir()); "
            "print(r.default_instance_path())",
        ],
        cwd=workdir,
        env=environment,
    )
    *read_from, instance = [Path(line) for line in probe.stdout.split()]
    for path in read_from:
        assert virtualenv in path.parents, f"{path} is not in the virtualenv"
        assert PROJECT_ROOT not in path.parents
        assert path.exists()
    assert instance == workdir / "instance"


def test_the_forum_command_migrates_seeds_and_gunicorn_serves_italian_from_the_wheel(
    virtualenv, site
):
    workdir, environment = site
    forum = virtualenv / "bin" / "forum"
    _run([forum, "db", "upgrade"], cwd=workdir, env=environment)
    assert (workdir / "instance" / "forum.sqlite3").is_file()  # the working directory's
    seeded = _run([forum, "seed-demo"], cwd=workdir, env=environment)
    assert "Demo accounts" in seeded.stdout

    with _Gunicorn(virtualenv, workdir, environment) as server:
        home = server.get("/", headers={"Accept-Language": "it"})
        assert home.status_code == 200, server.log()
        assert 'lang="it"' in home.text
        for italian in (">Fai una domanda<", ">Sfoglia le domande<", ">Accedi<"):
            assert italian in home.text  # the wheel's compiled catalogue is in use

        stylesheet = server.get("/static/css/forum.css")
        assert stylesheet.status_code == 200, server.log()
        assert stylesheet.content == (PROJECT_ROOT / "static" / "css" / "forum.css").read_bytes()

        guide = server.get("/guide", headers={"Accept-Language": "en"})
        assert guide.status_code == 200, server.log()
        assert "Choosing the regulatory pathway" in guide.text  # imported from the bundled guide
        guide_it = server.get("/guide", headers={"Accept-Language": "it"})
        assert "La scelta del percorso regolatorio" in guide_it.text, server.log()


class _Gunicorn:
    """The virtualenv's gunicorn on a free port of 127.0.0.1, stopped by its own PID."""

    def __init__(self, virtualenv: Path, workdir: Path, environment: dict[str, str]):
        self.port = processes.free_port()
        self.log_path = workdir / "gunicorn.log"
        self.command = [
            str(virtualenv / "bin" / "gunicorn"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
            "--timeout",
            "120",
            # No control socket: its default path is shared by every gunicorn of the user.
            "--no-control-socket",
            "forum:create_app()",
        ]
        self.workdir = workdir
        self.environment = environment

    def __enter__(self) -> _Gunicorn:
        self._log = open(self.log_path, "w")  # noqa: SIM115  # closed in __exit__
        self.process = subprocess.Popen(  # nosec B603  # fixed arguments
            self.command,
            cwd=self.workdir,
            env=self.environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited at start:\n{self.log()}")
            try:
                if self.get("/login").status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise AssertionError(f"gunicorn did not answer within two minutes:\n{self.log()}")

    def get(self, path: str, **options) -> httpx.Response:
        return httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=60, **options)

    def log(self) -> str:
        self._log.flush()
        return "--- gunicorn's log\n" + self.log_path.read_text(errors="replace")[-6000:]

    def __exit__(self, *_exception) -> None:
        processes.stop(self.process)
        self._log.close()
