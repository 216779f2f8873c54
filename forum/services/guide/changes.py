"""What changed between two versions of the guide, section by section: two releases, the
current text against the latest release, and the changelog of every release.

Sections are matched by anchor; drafts are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.extensions import db
from forum.models import GuideRelease
from forum.services.diffs import DiffLine, diff_texts
from forum.services.errors import RuleViolation
from forum.services.guide import tree, versions
from forum.services.guide.markdown import GuideDocument
from forum.services.guide.tree import DOCUMENT_LEVEL

ADDED, REMOVED, CHANGED, MOVED = "added", "removed", "changed", "moved"


@dataclass(frozen=True)
class SectionChange:
    """What happened to one section between two versions of the guide.

    ``level`` 1 stands for the document's title and introduction.
    """

    kind: str  # added, removed, changed (its text), moved (same text, another place)
    anchor: str
    title: str
    level: int
    diff: list[DiffLine]
    old_title: str | None = None


@dataclass(frozen=True)
class GuideComparison:
    old: GuideRelease | None
    new: GuideRelease | None
    changes: list[SectionChange]

    def of_kind(self, kind: str) -> list[SectionChange]:
        return [change for change in self.changes if change.kind == kind]


@dataclass(frozen=True)
class _Placed:
    level: int
    title: str
    body: str
    parent: str | None


def compare_documents(old: GuideDocument, new: GuideDocument) -> list[SectionChange]:
    """The sections added, changed or moved (in the new order), then those removed."""
    before, after = _placed(old), _placed(new)
    changes = []
    if (old.title, old.introduction) != (new.title, new.introduction):
        changes.append(
            SectionChange(
                CHANGED,
                new.anchor,
                new.title,
                DOCUMENT_LEVEL,
                diff_texts(_text(old.title, old.introduction), _text(new.title, new.introduction)),
                old_title=old.title,
            )
        )
    for anchor, now in after.items():
        was = before.get(anchor)
        if was is None:
            changes.append(
                SectionChange(
                    ADDED, anchor, now.title, now.level, diff_texts("", _text(now.title, now.body))
                )
            )
        elif (was.title, was.body) != (now.title, now.body):
            changes.append(
                SectionChange(
                    CHANGED,
                    anchor,
                    now.title,
                    now.level,
                    diff_texts(_text(was.title, was.body), _text(now.title, now.body)),
                    old_title=was.title,
                )
            )
        elif (was.level, was.parent) != (now.level, now.parent):
            changes.append(SectionChange(MOVED, anchor, now.title, now.level, []))
    for anchor, was in before.items():
        if anchor not in after:
            changes.append(
                SectionChange(
                    REMOVED,
                    anchor,
                    was.title,
                    was.level,
                    diff_texts(_text(was.title, was.body), ""),
                )
            )
    return changes


def compare_releases(
    old_version: str, new_version: str, *, document_of=versions.release_document
) -> GuideComparison:
    """Per-section differences between two published releases; RuleViolation (field
    ``from`` or ``to``) if either version does not exist or is a draft. ``document_of``
    reads a release's text (in another language: ``translated.document_reader``)."""
    found = {
        release.version: release
        for release in db.session.scalars(
            select(GuideRelease).where(
                GuideRelease.version.in_([old_version, new_version]),
                GuideRelease.published_at.is_not(None),
            )
        )
    }
    for version, field_name in ((old_version, "from"), (new_version, "to")):
        if version not in found:
            raise RuleViolation(
                _l("There is no release %(version)s.", version=version), field=field_name
            )
    old, new = found[old_version], found[new_version]
    return GuideComparison(old, new, compare_documents(document_of(old), document_of(new)))


def changes_since_latest_release() -> GuideComparison | None:
    """What the current text changes from the latest release (None without both)."""
    guide = tree.load_current_guide()
    if guide is None or guide.latest_release is None:
        return None
    latest = guide.latest_release
    return GuideComparison(
        latest, None, compare_documents(versions.release_document(latest), guide.document())
    )


@dataclass(frozen=True)
class ChangelogEntry:
    release: GuideRelease
    previous: GuideRelease | None  # None for the first release
    changes: list[SectionChange]
    section_count: int

    def of_kind(self, kind: str) -> list[SectionChange]:
        return [change for change in self.changes if change.kind == kind]


def changelog(*, document_of=versions.release_document) -> list[ChangelogEntry]:
    """Each published release, newest first, with its notes and the sections added,
    removed, changed or moved since the one before it (two queries whatever the count,
    in English; ``document_of`` as in ``compare_releases``)."""
    ordered = list(reversed(versions.releases()))
    entries = []
    previous: GuideRelease | None = None
    for release in ordered:
        document = document_of(release)
        changes = [] if previous is None else compare_documents(document_of(previous), document)
        entries.append(ChangelogEntry(release, previous, changes, sum(1 for _ in document.walk())))
        previous = release
    entries.reverse()
    return entries


def _placed(document: GuideDocument) -> dict[str, _Placed]:
    placed = {}
    for section in document.sections:
        placed[section.anchor] = _Placed(section.level, section.title, section.body, None)
        for sub in section.children:
            placed[sub.anchor] = _Placed(sub.level, sub.title, sub.body, section.anchor)
    return placed


def _text(title: str, body: str) -> str:
    return f"{title}\n\n{body}" if body else title
