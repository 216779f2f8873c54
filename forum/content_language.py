"""Which language's text a reader gets of content kept in English and Italian.

Curated content (topics, clinic labels, surveys, the centre's pages) holds an English
source and an Italian translation side by side. A reader of Italian gets the Italian
when it is written, else the English marked as such (``lang="en"``, so a screen reader
switches voice), never an empty label. English readers always get the source.
A support module, used by services (exports) and templates alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale

SOURCE_LANGUAGE = "en"
TRANSLATION_LANGUAGE = "it"


@dataclass(frozen=True)
class Localized:
    """A text as one reader reads it.

    ``lang`` is the language of ``text``; ``is_fallback`` says the reader's own language
    is missing; ``outdated_since`` is set when the translation shown predates a change
    of its English source (the reader sees a dated notice).
    """

    text: str
    lang: str
    is_fallback: bool = False
    outdated_since: datetime | None = None

    def __str__(self) -> str:
        return self.text


def reader_language() -> str:
    """The interface's language for this request (English outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else SOURCE_LANGUAGE


def localized(
    english: str,
    italian: str,
    *,
    outdated_since: datetime | None = None,
    language: str | None = None,
) -> Localized:
    """The text for a reader of ``language`` (the request's by default)."""
    wanted = language or reader_language()
    if wanted != TRANSLATION_LANGUAGE:
        return Localized(english, SOURCE_LANGUAGE)
    if (italian or "").strip():
        return Localized(italian, TRANSLATION_LANGUAGE, outdated_since=outdated_since)
    return Localized(english, SOURCE_LANGUAGE, is_fallback=True)


def localized_lines(
    english: list[str], italian: list[str], *, language: str | None = None
) -> list[Localized]:
    """Options translated line by line: the Italian list counts only when it is complete
    (as many lines as the English), since options are matched by position."""
    complete = len(italian) == len(english)
    return [
        localized(source, italian[index] if complete else "", language=language)
        for index, source in enumerate(english)
    ]


def topic_name(topic) -> Localized:
    """A topic's name in the reader's language."""
    return localized(topic.name, topic.name_it)


def note_source_change(row, *, source_changed: bool, has_translation: bool, now: datetime) -> None:
    """Mark ``row``'s Italian outdated (``italian_outdated_since``) when its English changed
    and a translation exists; an earlier, still unresolved change keeps its date."""
    if source_changed and has_translation and row.italian_outdated_since is None:
        row.italian_outdated_since = now
