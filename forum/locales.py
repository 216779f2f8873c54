"""The languages the forum speaks: which are offered, their names, their compiled catalogues.

A language is offered only when its catalogue is compiled (``messages.mo``):
without it every string would come out in English under a page whose ``lang``
says otherwise. The ``.mo`` files are built from the ``.po`` files, not kept in
Git: ``make translations`` compiles them (``make run`` and ``make test`` do it
first), and ``compile_stale`` does the same from Python for the test suite.
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from forum.config import SUPPORTED_LOCALES

DOMAIN = "messages"

# Each language by its own name, as a switcher shows it (never translated:
# someone who cannot read the current language must still find theirs).
NATIVE_NAMES = {"en": "English", "it": "Italiano"}


def catalogue_paths(directory: str | os.PathLike, locale: str) -> tuple[Path, Path]:
    """The ``.po`` source and the compiled ``.mo`` of one language."""
    folder = Path(directory) / locale / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def offered_locales(directory: str | os.PathLike, default: str) -> tuple[str, ...]:
    """The default language, then each supported one whose catalogue is compiled."""
    return tuple(
        locale
        for locale in SUPPORTED_LOCALES
        if locale == default or catalogue_paths(directory, locale)[1].is_file()
    )


def missing_catalogues(directory: str | os.PathLike, default: str) -> list[str]:
    """Supported languages (other than the default) left out for want of a compiled catalogue."""
    offered = offered_locales(directory, default)
    return [locale for locale in SUPPORTED_LOCALES if locale not in offered]


def compile_stale(directory: str | os.PathLike) -> list[str]:
    """Compile each ``.po`` whose ``.mo`` is missing or older; return the languages compiled.

    The same result as ``pybabel compile -d directory``, skipping what is up
    to date, so it is cheap to call before every test run. Fuzzy entries are
    left out, as pybabel does. Each file is written beside its target and
    renamed over it, so a reader never sees half a catalogue.
    """
    compiled = []
    for po_path in sorted(Path(directory).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.is_file() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        locale = po_path.parent.parent.name
        with po_path.open("rb") as source:
            catalogue = read_po(source, locale=locale)
        partial = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
        with partial.open("wb") as target:
            write_mo(target, catalogue)
        os.replace(partial, mo_path)
        compiled.append(locale)
    return compiled


def init_locales(app) -> None:
    """Set ``LANGUAGES``, the languages pages are offered in, unless the settings give them."""
    directory = app.config["BABEL_TRANSLATION_DIRECTORIES"]
    default = app.config["BABEL_DEFAULT_LOCALE"]
    for locale in missing_catalogues(directory, default):
        app.logger.warning(
            "No compiled catalogue for %r (run `make translations`): pages are not offered in it",
            locale,
        )
    app.config.setdefault("LANGUAGES", offered_locales(directory, default))
