"""The wheel's one build step beyond setuptools' own; the metadata is in pyproject.toml.

The forum reads top-level folders of the repository at run time (templates/, static/,
migrations/, docs/requirements_guide*.md), which the design keeps where they are, and
compiled catalogues (.mo), which are built, never committed. A wheel holds only the
package, so this copies those files into it, under forum/_bundled (forum/resources.py
looks there first), and compiles each .po next to itself. An editable install
(`pip install -e`, which make uses) skips it: it runs from the checkout.
"""

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo  # [build-system] requires babel
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED_FOLDER = Path("forum", "_bundled")  # forum/resources.py: BUNDLED_DIR
BUNDLED_TREES = ("templates", "static", "migrations")
BUNDLED_FILES = (
    "docs/requirements_guide.md",
    "docs/requirements_guide.it.md",
    "docs/network_directory_sample.csv",
)


class BuildPyWithRuntimeFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib, BUNDLED_FOLDER)
        shutil.rmtree(target, ignore_errors=True)  # nothing left from an earlier build
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for tree in BUNDLED_TREES:
            shutil.copytree(ROOT / tree, target / tree, ignore=ignore)
        for name in BUNDLED_FILES:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, target / name)
        catalogues = sorted(
            Path(self.build_lib, "forum", "translations").glob("*/LC_MESSAGES/*.po")
        )
        if not catalogues:  # MANIFEST.in brings them in: a wheel without them speaks English only
            raise SystemExit("setup.py: no .po catalogue under forum/translations to compile")
        for po_path in catalogues:
            with po_path.open("rb") as source:  # fuzzy entries left out, as pybabel does
                catalogue = read_po(source, locale=po_path.parent.parent.name)
            with po_path.with_suffix(".mo").open("wb") as compiled:
                write_mo(compiled, catalogue)


setup(cmdclass={"build_py": BuildPyWithRuntimeFiles})
