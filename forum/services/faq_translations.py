"""The FAQ in Italian: each entry's translation, what readers are shown, its editing.

An entry's source is its English question and answer; its revision number is
its latest ``FaqRevision``. A translation records the number it translates
(``translations``), so an edit of the English marks it outdated until an admin
translates it again (or confirms it against the new English).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    AuditAction,
    FaqEntry,
    FaqEntryTranslation,
    FaqEntryTranslationRevision,
    FaqRevision,
    User,
)
from forum.permissions import can_curate
from forum.services import audit, content, faq, translations
from forum.services.diffs import DiffLine
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.translations import Shown, Source, TranslationState, TranslationTables

TABLES = TranslationTables(FaqEntryTranslation, FaqEntryTranslationRevision, "faq_entry_id")
# The translation's fields as the entry's service names them.
FIELDS = {"question_text": "title", "answer_text": "body"}


def _latest_revisions(entry_ids) -> dict[int, tuple[int, object]]:
    """Each entry's latest revision number and when it was made (one query)."""
    return {
        entry_id: (number, made)
        for entry_id, number, made in db.session.execute(
            select(
                FaqRevision.faq_entry_id,
                func.max(FaqRevision.number),
                func.max(FaqRevision.created_at),
            )
            .where(FaqRevision.faq_entry_id.in_(list(entry_ids)))
            .group_by(FaqRevision.faq_entry_id)
        )
    }


def source_of(entry: FaqEntry, latest: tuple[int, object] | None) -> Source:
    number, made = latest if latest is not None else (0, entry.updated_at)
    return Source(entry.question_text, entry.answer_text, number, made)


def shown_entries(entries, language: str) -> dict[int, Shown]:
    """What a reader in ``language`` is shown of each entry, by entry id, with the answer's
    stored HTML (two queries in a translated language, none in English)."""
    entries = list(entries)
    if not translations.is_translation_language(language) or not entries:
        return {
            entry.id: Shown(
                entry.question_text,
                entry.answer_text,
                translations.SOURCE_LANGUAGE,
                None,
                body_html=entry.rendered("answer_text"),
            )
            for entry in entries
        }
    ids = [entry.id for entry in entries]
    latest = _latest_revisions(ids)
    found = {
        row.faq_entry_id: row
        for row in db.session.scalars(
            select(FaqEntryTranslation).where(
                FaqEntryTranslation.language == language, FaqEntryTranslation.faq_entry_id.in_(ids)
            )
        )
    }
    shown = {}
    for entry in entries:
        translation = found.get(entry.id)
        text = translations.shown(language, source_of(entry, latest.get(entry.id)), translation)
        # The translation's body when the reader gets the translation, else the English.
        if text.lang == translations.SOURCE_LANGUAGE:
            html = entry.rendered("answer_text")
        else:
            html = translation.rendered("body")
        shown[entry.id] = replace(text, body_html=html)
    return shown


def states(entries, language: str) -> dict[int, TranslationState]:
    """Each entry's translation state in ``language`` (for the curation list)."""
    return {
        entry_id: shown.state or TranslationState.CURRENT
        for entry_id, shown in shown_entries(entries, language).items()
    }


@dataclass(frozen=True)
class TranslationEditing:
    entry: FaqEntry
    language: str
    source: Source
    translation: FaqEntryTranslation | None
    state: TranslationState
    source_diff: list[DiffLine]


def editing(entry: FaqEntry, language: str) -> TranslationEditing:
    """The side-by-side editor's view of an entry's translation (three queries)."""
    translations.check_language(language)
    source = source_of(entry, _latest_revisions([entry.id]).get(entry.id))

    def source_text(number: int) -> tuple[str, str] | None:
        revision = db.session.scalar(
            select(FaqRevision).where(
                FaqRevision.faq_entry_id == entry.id, FaqRevision.number == number
            )
        )
        return None if revision is None else (revision.question_text, revision.answer_text)

    return TranslationEditing(
        entry,
        language,
        source,
        *translations.against_source(TABLES, entry.id, language, source, source_text),
    )


def edit_translation(
    entry: FaqEntry,
    admin: User,
    language: str,
    *,
    title: str,
    body: str,
    source_number: int,
    base_number: int,
    note: str = "",
):
    """Save a revision of an entry's translation (committed); None if nothing changed.

    ``title`` is the question, ``body`` the answer. Raises PermissionDenied for
    non-admins, RuleViolation (field ``title`` or ``body``) for an empty or too
    long text or an unknown English revision, TranslationConflict as
    ``translations.save``.
    """
    if not can_curate(admin):
        raise PermissionDenied(_l("Only the centre's admins curate the FAQ."))
    translations.check_language(language)
    try:
        title, body = faq.checked_texts(title, body)
    except RuleViolation as error:
        raise RuleViolation(error.message, field=FIELDS.get(error.field, "body")) from None
    latest = _latest_revisions([entry.id]).get(entry.id)
    if latest is None or not 1 <= source_number <= latest[0]:
        raise RuleViolation(_l("The English text changed: reload the page."), field="body")
    revision = translations.save(
        TABLES,
        entry.id,
        language,
        admin,
        title=title,
        body=body,
        source_number=source_number,
        base_number=base_number,
        note=note,
    )
    if revision is None:
        return None
    content.saved(entry)
    audit.record(
        admin,
        AuditAction.FAQ_ENTRY_TRANSLATED,
        entry,
        detail=f"{language} revision {revision.number}, translating English "
        f"revision {source_number}",
    )
    db.session.commit()
    return revision


def history(entry_id: int, language: str):
    return translations.history(TABLES, entry_id, language)


def translate_for_demo(
    entry: FaqEntry, admin: User, language: str, *, title: str, body: str
) -> None:
    """Translate an entry against its current English text unless it has a translation
    already (the demo's loader; idempotent)."""
    if TABLES.find(entry.id, language) is not None:
        return
    latest = _latest_revisions([entry.id]).get(entry.id)
    edit_translation(
        entry,
        admin,
        language,
        title=title,
        body=body,
        source_number=latest[0] if latest else 1,
        base_number=0,
    )
