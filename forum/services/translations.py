"""Translations of curated texts, whatever the text: state, what a reader is shown, saving, history.

English is the source language. A translation (a guide section's or an FAQ
entry's, ``forum/models/translations.py``) records the source revision it
translates (``source_number``); its state follows:

- current: the source has not changed since;
- outdated: the source has a newer revision (the reader sees when it changed,
  with a link to the English);
- missing: no translation in the reader's language (the reader gets the
  English, marked ``lang="en"``, with a notice).

``guide.translated`` and ``faq_translations`` apply this to their texts;
each save is a numbered revision of the translation (compare-and-set on its
number, as for the guide's sections), so every translation has its history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import User
from forum.models.columns import utcnow
from forum.services.diffs import DiffLine, diff_texts
from forum.services.errors import RuleViolation, ServiceError
from forum.services.revisions import clean_note

SOURCE_LANGUAGE = "en"
# The languages curated texts are translated into (the interface's other languages).
TRANSLATION_LANGUAGES = ("it",)


class TranslationState(StrEnum):
    CURRENT = "current"
    OUTDATED = "outdated"
    MISSING = "missing"


class TranslationConflict(ServiceError):
    """Someone saved the translation since the editor loaded it; ``current`` is their text."""

    def __init__(self, message, current):
        super().__init__(message, field="body")
        self.current = current


@dataclass(frozen=True)
class Source:
    """The English text a translation follows: its latest revision number and when it was made."""

    title: str
    body: str
    number: int
    changed_at: datetime | None


@dataclass(frozen=True)
class Shown:
    """What a reader in one language is shown of one text."""

    title: str
    body: str
    lang: str  # the language of the text shown
    # None when the reader reads the source language (no translation concerned).
    state: TranslationState | None
    source_changed_at: datetime | None = None
    # The body's rendered HTML, read from the row it comes from (``RenderedMarkdown``), for
    # the kinds that store it (FAQ entries); None where pages render ``body`` themselves.
    body_html: Markup | None = None

    @property
    def is_outdated(self) -> bool:
        return self.state == TranslationState.OUTDATED

    @property
    def is_missing(self) -> bool:
        return self.state == TranslationState.MISSING


def is_translation_language(language: str | None) -> bool:
    return language in TRANSLATION_LANGUAGES


def state_of(source: Source, translation) -> TranslationState:
    if translation is None:
        return TranslationState.MISSING
    if translation.source_number < source.number:
        return TranslationState.OUTDATED
    return TranslationState.CURRENT


def shown(language: str, source: Source, translation) -> Shown:
    """The text for a reader in ``language``: the translation (current or outdated), else the
    source; in the source language always the source."""
    if not is_translation_language(language):
        return Shown(source.title, source.body, SOURCE_LANGUAGE, None)
    state = state_of(source, translation)
    if state == TranslationState.MISSING:
        return Shown(source.title, source.body, SOURCE_LANGUAGE, state)
    return Shown(
        translation.title,
        translation.body,
        language,
        state,
        source.changed_at if state == TranslationState.OUTDATED else None,
    )


def check_language(language: str) -> str:
    if not is_translation_language(language):
        raise RuleViolation(_l("Texts are translated into Italian only."), field="language")
    return language


# --- saving --------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationTables:
    """One kind of translated text: its translation and revision models and the column
    naming the translated row."""

    translation: type
    revision: type
    subject_column: str

    def subject_is(self, subject_id: int):
        return getattr(self.translation, self.subject_column) == subject_id

    def find(self, subject_id: int, language: str):
        return db.session.scalar(
            select(self.translation).where(
                self.subject_is(subject_id), self.translation.language == language
            )
        )


def save(
    tables: TranslationTables,
    subject_id: int,
    language: str,
    editor: User | None,
    *,
    title: str,
    body: str,
    source_number: int,
    base_number: int,
    note: str = "",
    proposer: User | None = None,
):
    """Save a revision of the translation of one text (not committed); None if nothing changed.

    ``source_number`` is the source revision the translator had in front of them
    (saving the same text against a newer one confirms it is current again);
    ``base_number`` the translation's revision they started from (0: none yet);
    ``proposer`` the expert whose proposal it is (guide sections only).
    Raises TranslationConflict if someone saved the translation since.
    """
    check_language(language)
    existing = tables.find(subject_id, language)
    if existing is None:
        if base_number != 0:
            raise RuleViolation(_l("This translation no longer exists: start it again."))
        translation = tables.translation(
            **{tables.subject_column: subject_id},
            language=language,
            title=title,
            body=body,
            source_number=source_number,
            current_number=1,
            updated_at=utcnow(),
        )
        db.session.add(translation)
        number = 1
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            raise _conflict(tables, subject_id, language) from None
    else:
        if (existing.title, existing.body, existing.source_number) == (
            title,
            body,
            source_number,
        ) and base_number == existing.current_number:
            return None
        number = base_number + 1
        # Compare-and-set on the number: of two simultaneous saves exactly one wins.
        moved = db.session.execute(
            update(tables.translation)
            .where(
                tables.translation.id == existing.id,
                tables.translation.current_number == base_number,
            )
            .values(
                current_number=number,
                title=title,
                body=body,
                source_number=source_number,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved != 1:
            db.session.rollback()
            raise _conflict(tables, subject_id, language)
        translation = existing
    revision = tables.revision(
        translation_id=translation.id,
        number=number,
        language=language,
        title=title,
        body=body,
        source_number=source_number,
        note=clean_note(note),
        editor_id=editor.id if editor else None,
        **({"proposer_id": proposer.id} if proposer else {}),
    )
    db.session.add(revision)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _conflict(tables, subject_id, language) from None
    db.session.refresh(translation)
    return revision


def remove(tables: TranslationTables, subject_id: int, language: str) -> bool:
    """Delete a translation and its revisions (not committed); True if there was one."""
    existing = tables.find(subject_id, language)
    if existing is None:
        return False
    db.session.delete(existing)
    db.session.flush()
    return True


def _conflict(tables: TranslationTables, subject_id: int, language: str) -> TranslationConflict:
    current = tables.find(subject_id, language)
    return TranslationConflict(
        _l(
            "Someone saved this translation (revision %(number)d) while you were editing. "
            "Your text is below, unchanged: compare it with theirs and save again.",
            number=current.current_number if current is not None else 0,
        ),
        current,
    )


# --- history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationRevisionEntry:
    revision: object  # a GuideSectionTranslationRevision or FaqEntryTranslationRevision
    diff: list[DiffLine]


def history(
    tables: TranslationTables, subject_id: int, language: str
) -> list[TranslationRevisionEntry]:
    """A translation's revisions, newest first, each with its diff from the one before
    (two queries: the revisions, their editors)."""
    revisions = db.session.scalars(
        select(tables.revision)
        .join(tables.translation, tables.translation.id == tables.revision.translation_id)
        .where(tables.subject_is(subject_id), tables.translation.language == language)
        .options(selectinload(tables.revision.editor))
        .order_by(tables.revision.number)
    )
    entries, previous = [], ""
    for revision in revisions:
        text = titled_text(revision.title, revision.body)
        entries.append(TranslationRevisionEntry(revision, diff_texts(previous, text)))
        previous = text
    entries.reverse()
    return entries


def titled_text(title: str, body: str) -> str:
    """What a diff compares: the title above the body."""
    return f"{title}\n\n{body}" if body else title


def against_source(
    tables: TranslationTables,
    subject_id: int,
    language: str,
    source: Source,
    source_text: Callable[[int], tuple[str, str] | None],
):
    """What the side-by-side editor shows beside ``source``: the text's translation (None
    if there is none), its state, and what changed in the source since the revision it was
    made from. ``source_text(number)`` reads a source revision's title and body (None if
    there is no such revision)."""
    translation = tables.find(subject_id, language)
    translated_from = None if translation is None else source_text(translation.source_number)
    return translation, state_of(source, translation), source_changes(translated_from, source)


def source_changes(translated_from: tuple[str, str] | None, source: Source) -> list[DiffLine]:
    """What changed in the source since the revision a translation was made from
    (``translated_from``: that revision's title and body; None: the source is all new)."""
    before = titled_text(*translated_from) if translated_from is not None else ""
    return diff_texts(before, titled_text(source.title, source.body))
