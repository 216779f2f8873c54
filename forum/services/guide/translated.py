"""The requirements guide in Italian: each section's translation, its reading, its file.

Every section (and the document's title and introduction) may have a translation
per language (``translations``): current, outdated once the English section
moves past the revision it was made from, or missing (the reader gets the
English). The guide in a language is the English tree with each translated
section's title and body in place, so it has exactly the English structure;
anchors stay the English ones, so links work in both languages.

The translated file (``docs/requirements_guide.it.md``) is that tree in the
canonical form of ``markdown``: the k-th section translates the English
file's k-th section, and a section whose text is the English one is not
translated (missing). A release freezes each language's file beside the English.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    AuditAction,
    GuideRelease,
    GuideReleaseTranslation,
    GuideRevision,
    GuideSection,
    GuideSectionTranslation,
    GuideSectionTranslationRevision,
    User,
)
from forum.services import audit, content, translations
from forum.services.diffs import DiffLine
from forum.services.errors import RuleViolation
from forum.services.guide import checks, markdown, tree, versions
from forum.services.guide.markdown import GuideDocument, Section
from forum.services.guide.tree import DOCUMENT_LEVEL, CurrentGuide, GuideOutline, SectionNode
from forum.services.translations import (
    SOURCE_LANGUAGE,
    TRANSLATION_LANGUAGES,
    Shown,
    Source,
    TranslationState,
    TranslationTables,
)

TABLES = TranslationTables(GuideSectionTranslation, GuideSectionTranslationRevision, "section_id")


def source_of(section: GuideSection) -> Source:
    return Source(section.title, section.body, section.current_number, section.updated_at)


# --- reading --------------------------------------------------------------------------


@dataclass
class ShownGuide(GuideOutline):
    """A whole guide (the current one or a release) in a reader's language: what the
    guide templates read (title, introduction, anchor, sections)."""

    language: str
    root: SectionNode
    sections: list[SectionNode]
    current: CurrentGuide | None = None

    def counts(self) -> dict[str, int]:
        """How many parts (the introduction included) are in each state, by its name."""
        found = {state.value: 0 for state in TranslationState}
        for node in (self.root, *self.walk()):
            if node.shown.state is not None:
                found[node.shown.state.value] += 1
        return found


def translations_in(language: str) -> dict[int, GuideSectionTranslation]:
    """Every section's translation into ``language``, by section id (one query)."""
    return {
        row.section_id: row
        for row in db.session.scalars(
            select(GuideSectionTranslation).where(GuideSectionTranslation.language == language)
        )
    }


def shown_guide(current: CurrentGuide, language: str) -> ShownGuide:
    """The current guide for a reader in ``language`` (one query in a translated language,
    none in English)."""
    found = translations_in(language) if translations.is_translation_language(language) else {}

    def node(section: GuideSection, children) -> SectionNode:
        return SectionNode(
            section.level,
            section.anchor,
            translations.shown(language, source_of(section), found.get(section.id)),
            section,
            [node(child.section, child.children) for child in children],
        )

    root = node(current.root, [])
    return ShownGuide(
        language, root, [node(item.section, item.children) for item in current.sections], current
    )


def _translated_document(
    current: CurrentGuide, found: dict[int, GuideSectionTranslation]
) -> GuideDocument:
    """The guide with each translated section's text in place of the English (current or
    outdated alike: the file carries what the translators wrote)."""

    def text(section: GuideSection) -> tuple[str, str]:
        row = found.get(section.id)
        return (row.title, row.body) if row is not None else (section.title, section.body)

    title, introduction = text(current.root)
    return GuideDocument(
        title,
        introduction,
        tuple(
            Section(
                item.level,
                *text(item.section),
                tuple(Section(child.level, *text(child.section)) for child in item.children),
            )
            for item in current.sections
        ),
    )


def export_current(language: str) -> str:
    """The current guide in ``language`` as canonical Markdown (the English text where a
    section is not translated); RuleViolation if there is no guide yet."""
    translations.check_language(language)
    current = tree.load_current_guide(with_latest_release=False)
    if current is None:
        raise RuleViolation(_l("There is no guide yet: import one first."))
    return markdown.render(_translated_document(current, translations_in(language)))


# --- releases in each language ------------------------------------------------------------


def freeze(release: GuideRelease) -> None:
    """Freeze every translated language's guide with ``release`` (not committed)."""
    for language in TRANSLATION_LANGUAGES:
        db.session.add(
            GuideReleaseTranslation(
                release=release, language=language, markdown=export_current(language)
            )
        )


def frozen_markdowns(release: GuideRelease) -> dict[str, str]:
    """A release's frozen files by language (English always; a release made before
    translations existed has only that) (one query)."""
    found = {SOURCE_LANGUAGE: release.markdown}
    found.update(
        db.session.execute(
            select(GuideReleaseTranslation.language, GuideReleaseTranslation.markdown).where(
                GuideReleaseTranslation.release_id == release.id
            )
        ).all()
    )
    return found


def frozen_languages(release: GuideRelease) -> list[str]:
    """The translated languages a release was frozen in (its downloads beside the English)."""
    return [language for language in frozen_markdowns(release) if language != SOURCE_LANGUAGE]


def release_markdown(release: GuideRelease, language: str) -> str | None:
    """A release's frozen file in ``language``, or None if it was not frozen in it."""
    return frozen_markdowns(release).get(language)


def release_document(release: GuideRelease, language: str) -> ShownGuide:
    """A release's text for a reader in ``language``: each section in that language where
    it was translated when frozen, else in English (marked so)."""
    markdowns = frozen_markdowns(release)
    return shown_document(markdowns[SOURCE_LANGUAGE], markdowns.get(language), language)


def shown_document(
    english_markdown: str, translated_markdown: str | None, language: str
) -> ShownGuide:
    """A frozen English file and its translation (None: none) as one guide to read."""
    english = versions.release_document_of(english_markdown)
    translated = (
        versions.release_document_of(translated_markdown)
        if translated_markdown is not None and language != SOURCE_LANGUAGE
        else None
    )

    def node(level, source, other) -> SectionNode:
        anchor = source.anchor
        if language == SOURCE_LANGUAGE:
            shown = Shown(source.title, source.body, SOURCE_LANGUAGE, None)
        elif other is None or (other.title, other.body) == (source.title, source.body):
            shown = Shown(source.title, source.body, SOURCE_LANGUAGE, TranslationState.MISSING)
        else:
            shown = Shown(other.title, other.body, language, TranslationState.CURRENT)
        return SectionNode(level, anchor, shown)

    root = node(
        DOCUMENT_LEVEL,
        _Part(english.title, english.introduction, english.anchor),
        _Part(translated.title, translated.introduction, translated.anchor) if translated else None,
    )
    sections = []
    for index, section in enumerate(english.sections):
        other = translated.sections[index] if translated else None
        item = node(section.level, section, other)
        item.children = [
            node(sub.level, sub, other.children[position] if other else None)
            for position, sub in enumerate(section.children)
        ]
        sections.append(item)
    return ShownGuide(language, root, sections)


@dataclass(frozen=True)
class _Part:
    title: str
    body: str
    anchor: str


def document_reader(language: str):
    """``release -> document`` in ``language``, for ``changes.changelog`` and
    ``changes.compare_releases``: sections keep their English anchors, so a translated
    title that changed is a change, not a section removed and another added. The
    releases' frozen translations are read in one query, whatever their number."""
    frozen = {}
    if translations.is_translation_language(language):
        frozen = dict(
            db.session.execute(
                select(GuideReleaseTranslation.release_id, GuideReleaseTranslation.markdown).where(
                    GuideReleaseTranslation.language == language
                )
            ).all()
        )

    def read(release: GuideRelease) -> ShownGuide:
        return shown_document(release.markdown, frozen.get(release.id), language)

    return read


# --- editing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationEditing:
    """What the side-by-side editor shows: the English, the translation and its state,
    and what changed in the English since the translation was made."""

    section: GuideSection
    language: str
    source: Source
    translation: GuideSectionTranslation | None
    state: TranslationState
    source_diff: list[DiffLine]


def editing(section: GuideSection, language: str) -> TranslationEditing:
    """The editor's view of one section's translation (two queries)."""
    translations.check_language(language)
    source = source_of(section)

    def source_text(number: int) -> tuple[str, str] | None:
        revision = db.session.scalar(
            select(GuideRevision).where(
                GuideRevision.section_id == section.id, GuideRevision.number == number
            )
        )
        return None if revision is None else (revision.title, revision.body)

    return TranslationEditing(
        section,
        language,
        source,
        *translations.against_source(TABLES, section.id, language, source, source_text),
    )


def edit_translation(
    section: GuideSection,
    admin: User,
    language: str,
    *,
    title: str,
    body: str,
    source_number: int,
    base_number: int,
    note: str = "",
    proposer: User | None = None,
    commit: bool = True,
):
    """Save a revision of a section's translation (committed); None if nothing changed.

    ``source_number`` is the English revision the admin translated (shown beside the
    form); ``base_number`` the translation's revision they started from (0: new);
    ``proposer`` the expert whose accepted proposal it is; ``commit`` False leaves the
    transaction open for a caller that records more with it.
    Raises PermissionDenied for non-admins; RuleViolation (with the field) for a title
    or body that does not fit the guide, a title whose anchor another section's text
    in that language has, a text that is the English one, or an unknown English
    revision; TranslationConflict if
    someone saved the translation meanwhile.
    """
    checks.require_admin(admin)
    translations.check_language(language)
    title, body = checks.checked_title(title), checks.checked_body(body)
    if not 1 <= source_number <= section.current_number:
        raise RuleViolation(_l("The English text changed: reload the page."), field="body")
    if (title, body) == (section.title, section.body):
        # The translated file could not tell it from a section not translated.
        raise RuleViolation(
            _l("This is the English text: translate it before saving."), field="body"
        )
    _check_anchor_free_in(language, section, markdown.anchor_for(title))
    revision = translations.save(
        TABLES,
        section.id,
        language,
        admin,
        title=title,
        body=body,
        source_number=source_number,
        base_number=base_number,
        note=note,
        proposer=proposer,
    )
    if revision is None:
        return None
    content.saved(section)
    audit.record(
        admin,
        AuditAction.GUIDE_SECTION_TRANSLATED,
        section,
        detail=f"{language} revision {revision.number} of “{title}”, "
        f"translating English revision {source_number}"
        + (f", proposed by user {proposer.id}" if proposer else ""),
    )
    if commit:
        db.session.commit()
    return revision


def current_text(section: GuideSection, language: str) -> tuple[str, str]:
    """A section's title and body in ``language``: its translation, else the English."""
    found = TABLES.find(section.id, language) if language != SOURCE_LANGUAGE else None
    return (found.title, found.body) if found else (section.title, section.body)


def history(section_id: int, language: str):
    return translations.history(TABLES, section_id, language)


def _check_anchor_free_in(language: str, section: GuideSection, anchor: str) -> None:
    """The translated file must parse: no two of its headings may share an anchor."""
    found = translations_in(language)
    for other in db.session.scalars(select(GuideSection).where(GuideSection.id != section.id)):
        row = found.get(other.id)
        if markdown.anchor_for(row.title if row else other.title) == anchor:
            raise RuleViolation(
                _l(
                    "Another section of the guide in this language has a title "
                    "with the same anchor (#%(anchor)s): choose another title.",
                    anchor=anchor,
                ),
                field="title",
            )


# --- the translated file ------------------------------------------------------------------


def translated_path(path, language: str):
    """Where the guide's file in ``language`` lives beside the English one
    (docs/requirements_guide.md: docs/requirements_guide.it.md)."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


@dataclass(frozen=True)
class TranslationImportReport:
    language: str
    translated: int
    unchanged: int
    untranslated: int

    def summary(self) -> str:
        return (
            f"{self.language}: {self.translated} sections translated anew, "
            f"{self.unchanged} unchanged, {self.untranslated} not translated."
        )


def check_same_structure(english: GuideDocument, translated: GuideDocument) -> None:
    """RuleViolation naming the first section where the translated file's structure departs
    from the English one (same ``##`` sections, same ``###`` subsections, same order)."""
    if len(english.sections) != len(translated.sections):
        raise RuleViolation(
            _l(
                "The translated guide has %(found)d sections; the English has %(expected)d.",
                found=len(translated.sections),
                expected=len(english.sections),
            )
        )
    for number, (source, other) in enumerate(zip(english.sections, translated.sections), 1):
        if len(source.children) != len(other.children):
            raise RuleViolation(
                _l(
                    "Section %(number)d (“%(title)s”) has %(found)d subsections; "
                    "the English one (“%(english)s”) has %(expected)d.",
                    number=number,
                    title=other.title,
                    found=len(other.children),
                    english=source.title,
                    expected=len(source.children),
                )
            )


def import_translation(
    text: str,
    language: str,
    actor: User | None,
    *,
    note: str = "Imported from the translated guide file",
) -> TranslationImportReport:
    """Read the guide in ``language`` (run after the English import), in one transaction.

    A section whose text differs from its stored translation gets a new revision,
    made from the current English revision; one whose text is the English is not
    translated (its translation, if any, is removed); the others keep their state.
    Raises GuideFormatError for a malformed file and RuleViolation if its structure
    is not the English one, changing nothing; PermissionDenied as ``importing.import_guide``.
    """
    checks.require_curator(actor)
    translations.check_language(language)
    document = markdown.parse(text)
    current = tree.load_current_guide(with_latest_release=False)
    if current is None:
        raise RuleViolation(_l("There is no guide yet: import one first."))
    check_same_structure(current.document(), document)
    found = translations_in(language)
    pairs = [(current.root, document.title, document.introduction)]
    for item, other in zip(current.sections, document.sections):
        pairs.append((item.section, other.title, other.body))
        pairs.extend(
            (child.section, sub.title, sub.body)
            for child, sub in zip(item.children, other.children)
        )
    counts = {"translated": 0, "unchanged": 0, "untranslated": 0}
    touched = []
    for section, title, body in pairs:
        row = found.get(section.id)
        if (title, body) == (section.title, section.body):
            counts["untranslated"] += 1
            if row is not None:
                translations.remove(TABLES, section.id, language)
                touched.append(section)
        elif row is not None and (row.title, row.body) == (title, body):
            counts["unchanged"] += 1
        else:
            translations.save(
                TABLES,
                section.id,
                language,
                actor,
                title=title,
                body=body,
                source_number=section.current_number,
                base_number=row.current_number if row else 0,
                note=note,
            )
            counts["translated"] += 1
            touched.append(section)
    for section in touched:
        content.saved(section)
    report = TranslationImportReport(language, **counts)
    audit.record(actor, AuditAction.GUIDE_IMPORTED, current.root, detail=report.summary())
    db.session.commit()
    return report
