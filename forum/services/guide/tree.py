"""The current guide: its tree of sections read from the database, and its Markdown.

The guide is a tree of ``GuideSection`` rows: one level-1 row holding the
document's title and introduction, its ``##`` sections (level 2) and their
``###`` subsections (level 3), siblings ordered by ``position``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select

from forum.extensions import db
from forum.models import GuideRelease, GuideSection, LawChange, LawChangeFlag
from forum.services.errors import RuleViolation
from forum.services.guide import versions
from forum.services.guide.markdown import GuideDocument, Section, render
from forum.services.translations import SOURCE_LANGUAGE, Shown

DOCUMENT_LEVEL = 1
CITATION_SUBJECT = "guide-section"


@dataclass
class SectionNode:
    """A section with its subsections as a reader in one language sees it: title and body
    in that language (``shown``, with the translation's state), under its English anchor.

    The current guide's own nodes are its English text; ``translated`` makes them for
    a reader in another language. ``section`` is None in a release's frozen text.
    """

    level: int
    anchor: str
    shown: Shown
    section: GuideSection | None = None
    children: list[SectionNode] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.shown.title

    @property
    def body(self) -> str:
        return self.shown.body

    @property
    def lang(self) -> str:
        return self.shown.lang


class GuideOutline:
    """What the guide templates read of a whole guide, whatever its ``root`` (a row or a
    node, each with a title, body and anchor) and its ``sections`` (nodes)."""

    root: GuideSection | SectionNode
    sections: list[SectionNode]

    @property
    def title(self) -> str:
        return self.root.title

    @property
    def introduction(self) -> str:
        return self.root.body

    @property
    def anchor(self) -> str:
        return self.root.anchor

    def walk(self):
        """Every section and subsection node in reading order."""
        for node in self.sections:
            yield node
            yield from node.children


@dataclass
class CurrentGuide(GuideOutline):
    """The whole current guide, loaded in one query, and the latest release."""

    root: GuideSection
    sections: list[SectionNode]
    latest_release: GuideRelease | None = None
    # The changes of the law each section (by id) is being reviewed for (services.law_changes).
    law_notices: dict[int, list[LawChange]] = field(default_factory=dict)

    def document(self) -> GuideDocument:
        return GuideDocument(
            self.root.title,
            self.root.body,
            tuple(
                Section(
                    node.level,
                    node.title,
                    node.body,
                    tuple(Section(child.level, child.title, child.body) for child in node.children),
                )
                for node in self.sections
            ),
        )

    def markdown(self) -> str:
        return render(self.document())

    @property
    def has_unreleased_changes(self) -> bool:
        return self.latest_release is None or self.latest_release.markdown != self.markdown()


def load_current_guide(*, with_latest_release: bool = True) -> CurrentGuide | None:
    """The current guide as a tree, with the changes of the law its sections are being
    reviewed for (one query), and the latest release (one more); None if no guide has
    been imported yet."""
    # A section comes once per open law-change flag on it (nearly always none).
    found = db.session.execute(
        select(GuideSection, LawChange)
        .outerjoin(
            LawChangeFlag,
            and_(
                LawChangeFlag.subject_type == CITATION_SUBJECT,
                LawChangeFlag.subject_id == GuideSection.id,
                LawChangeFlag.reviewed_at.is_(None),
            ),
        )
        .outerjoin(LawChange, LawChange.id == LawChangeFlag.law_change_id)
        .order_by(
            GuideSection.level,
            GuideSection.position,
            GuideSection.id,
            LawChange.changed_on,
            LawChange.id,
        )
    ).all()
    rows: dict[int, GuideSection] = {}
    notices: dict[int, list[LawChange]] = {}
    for row, change in found:
        rows.setdefault(row.id, row)
        if change is not None:
            notices.setdefault(row.id, []).append(change)
    rows = list(rows.values())
    root = next((row for row in rows if row.level == DOCUMENT_LEVEL), None)
    if root is None:
        return None
    nodes = {root.id: _english_node(root)}
    for row in rows:
        if row.level == DOCUMENT_LEVEL:
            continue
        node = _english_node(row)
        nodes[row.id] = node
        parent = nodes.get(row.parent_id)
        if parent is not None:
            parent.children.append(node)
    latest = versions.latest_release() if with_latest_release else None
    return CurrentGuide(root, nodes[root.id].children, latest, notices)


def export_current() -> str:
    """The current guide as canonical Markdown; RuleViolation if there is no guide yet."""
    current = load_current_guide(with_latest_release=False)
    if current is None:
        raise RuleViolation(_l("There is no guide yet: import one first."))
    return current.markdown()


def _english_node(row: GuideSection) -> SectionNode:
    return SectionNode(
        row.level, row.anchor, Shown(row.title, row.body, SOURCE_LANGUAGE, None), row
    )
