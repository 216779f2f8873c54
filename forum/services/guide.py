"""The requirements guide in the database: import and export, curation, reading releases.

The guide is a tree of ``GuideSection`` rows: one level-1 row holding the
document's title and introduction, its ``##`` sections (level 2) and their
``###`` subsections (level 3), siblings ordered by ``position``. Every change
of a section's title or body is a numbered ``GuideRevision`` with a note and,
when it was drawn from one, the answer or board answer behind it. A release
freezes the whole guide as its canonical Markdown (``guide_markdown``) under a
version number (made and approved in ``guide_releases``); releases are compared
section by section, drafts left out.

Curation is for admins; the command line acts as no user (``actor=None``).
Every action is recorded in the audit log and re-indexes the citations of
the sections it touched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from forum import calendar
from forum.extensions import db
from forum.models import (
    Answer,
    AuditAction,
    BoardAnswer,
    GuideRelease,
    GuideRevision,
    GuideSection,
    LawChange,
    LawChangeFlag,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import can_curate, can_see_question
from forum.services import audit, citations, guide_markdown
from forum.services.errors import PermissionDenied, RuleViolation, ServiceError
from forum.services.guide_markdown import GuideDocument, GuideFormatError, Section
from forum.services.revisions import DiffLine, diff_texts
from forum.services.search import index as search_index

DOCUMENT_LEVEL = 1
SECTION_LEVEL = guide_markdown.SECTION_LEVEL
SUBSECTION_LEVEL = guide_markdown.SUBSECTION_LEVEL
CITATION_SUBJECT = "guide-section"
MAX_NOTE_LENGTH = 300  # GuideRevision.note
# MAJOR.MINOR, no leading zeros: 1.0, 1.1, 2.0, 10.12.
VERSION_PATTERN = re.compile(r"(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})")


class GuideEditConflict(ServiceError):
    """Someone saved a newer revision of the section since the editor loaded it.

    Carries the revision the editor started from (None if unknown) and the
    current one, so the page can show both and what changed between them.
    """

    def __init__(self, message, base: GuideRevision | None, current: GuideRevision):
        super().__init__(message, field="body")
        self.base = base
        self.current = current


# --- reading the current guide --------------------------------------------------

@dataclass
class SectionNode:
    """A section of the current guide with its subsections, ready for a page."""

    section: GuideSection
    children: list[SectionNode] = field(default_factory=list)

    @property
    def level(self) -> int:
        return self.section.level

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def anchor(self) -> str:
        return self.section.anchor

    @property
    def body(self) -> str:
        return self.section.body


@dataclass
class CurrentGuide:
    """The whole current guide, loaded in one query, and the latest release."""

    root: GuideSection
    sections: list[SectionNode]
    latest_release: GuideRelease | None = None
    # The changes of the law each section (by id) is being reviewed for (services.law_changes).
    law_notices: dict[int, list[LawChange]] = field(default_factory=dict)

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

    def document(self) -> GuideDocument:
        return GuideDocument(self.root.title, self.root.body, tuple(
            Section(node.level, node.title, node.body, tuple(
                Section(child.level, child.title, child.body) for child in node.children
            ))
            for node in self.sections
        ))

    def markdown(self) -> str:
        return guide_markdown.render(self.document())

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
        .outerjoin(LawChangeFlag, and_(LawChangeFlag.subject_type == CITATION_SUBJECT,
                                       LawChangeFlag.subject_id == GuideSection.id,
                                       LawChangeFlag.reviewed_at.is_(None)))
        .outerjoin(LawChange, LawChange.id == LawChangeFlag.law_change_id)
        .order_by(GuideSection.level, GuideSection.position, GuideSection.id,
                  LawChange.changed_on, LawChange.id)
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
    nodes = {root.id: SectionNode(root)}
    for row in rows:
        if row.level == DOCUMENT_LEVEL:
            continue
        node = SectionNode(row)
        nodes[row.id] = node
        parent = nodes.get(row.parent_id)
        if parent is not None:
            parent.children.append(node)
    latest = latest_release() if with_latest_release else None
    return CurrentGuide(root, nodes[root.id].children, latest, notices)


def export_current() -> str:
    """The current guide as canonical Markdown; RuleViolation if there is no guide yet."""
    current = load_current_guide(with_latest_release=False)
    if current is None:
        raise RuleViolation(_l("There is no guide yet: import one first."))
    return current.markdown()


# --- import ---------------------------------------------------------------------

@dataclass(frozen=True)
class ImportReport:
    added: int
    changed: int
    removed: int
    unchanged: int
    # The first line where the file departs from the canonical form (an export
    # would normalise it there); None when export reproduces the file exactly.
    noncanonical_line: int | None = None

    def summary(self) -> str:
        return (f"{self.added} sections added, {self.changed} changed, "
                f"{self.removed} removed, {self.unchanged} unchanged.")


def import_guide(text: str, actor: User | None, *,
                 note: str = "Imported from the guide file") -> ImportReport:
    """Replace the whole guide with the one in ``text``, in one transaction.

    Sections are matched by anchor, so their history survives: a matched
    section whose title or body differs gets a new revision, a new one starts
    at revision 1, and a section missing from the text is deleted with its
    revisions (the releases keep its text). The document's title and
    introduction are the level-1 row, matched as such.

    Raises GuideFormatError (with the line) for a malformed text, changing
    nothing; PermissionDenied if ``actor`` is a user but not an admin.
    """
    require_curator(actor)
    document = guide_markdown.parse(text)
    noncanonical_line = guide_markdown.first_difference(text)
    rows = list(db.session.scalars(select(GuideSection)))
    root = next((row for row in rows if row.level == DOCUMENT_LEVEL), None)
    by_anchor = {row.anchor: row for row in rows if row.level != DOCUMENT_LEVEL}
    wanted = {section.anchor for section in document.walk()}
    removed = [row for anchor, row in by_anchor.items() if anchor not in wanted]
    removed_ids = {row.id for row in removed}
    note = clean_note(note)

    # A kept section under a removed one moves out first: the deletion cascades.
    for row in by_anchor.values():
        if root is not None and row.anchor in wanted and row.parent_id in removed_ids:
            row.parent_id = root.id
    db.session.flush()
    if removed_ids:
        # One statement; the database cascades to the revisions.
        db.session.execute(delete(GuideSection).where(GuideSection.id.in_(removed_ids))
                           .execution_options(synchronize_session=False))
        for row in removed:
            citations.remove_subject(CITATION_SUBJECT, row.id)
            db.session.expunge(row)

    touched: list[GuideSection] = []
    counts = {"added": 0, "changed": 0, "unchanged": 0}

    def upsert(row: GuideSection | None, *, level: int, parent: GuideSection | None,
               position: int, title: str, body: str) -> GuideSection:
        if row is None:
            row = GuideSection(level=level, parent=parent, position=position, title=title,
                               anchor=guide_markdown.anchor_for(title), body=body,
                               current_number=1)
            db.session.add(row)
            row.revisions.append(GuideRevision(number=1, title=title, body=body, note=note,
                                               editor_id=_id(actor)))
            counts["added"] += 1
            touched.append(row)
            return row
        row.level, row.position = level, position
        if parent is not None:
            row.parent = parent
        if row.title == title and row.body == body:
            counts["unchanged"] += 1
            return row
        row.current_number += 1
        row.title, row.anchor, row.body = title, guide_markdown.anchor_for(title), body
        row.updated_at = utcnow()
        db.session.add(GuideRevision(section_id=row.id, number=row.current_number, title=title,
                                     body=body, note=note, editor_id=_id(actor)))
        counts["changed"] += 1
        touched.append(row)
        return row

    root = upsert(root, level=DOCUMENT_LEVEL, parent=None, position=0,
                  title=document.title, body=document.introduction)
    # The root first: its anchor may be taken next by a section of the new text.
    db.session.flush()
    for position, section in enumerate(document.sections):
        parent = upsert(by_anchor.get(section.anchor), level=SECTION_LEVEL, parent=root,
                        position=position, title=section.title, body=section.body)
        for sub_position, sub in enumerate(section.children):
            upsert(by_anchor.get(sub.anchor), level=SUBSECTION_LEVEL, parent=parent,
                   position=sub_position, title=sub.title, body=sub.body)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation(_l("The guide changed while it was being imported: "
                               "import it again.")) from None
    for row in touched:
        _index_citations(row)
        search_index.index_guide_section(row)  # removed sections' documents went by cascade
    report = ImportReport(counts["added"], counts["changed"], len(removed),
                          counts["unchanged"], noncanonical_line)
    audit.record(actor, AuditAction.GUIDE_IMPORTED, root, detail=report.summary())
    db.session.commit()
    return report


# --- editing --------------------------------------------------------------------

def edit_section(section: GuideSection, admin: User, *, title: str, body: str, note: str = "",
                 base_number: int, source_answer: Answer | None = None,
                 source_board_answer: BoardAnswer | None = None,
                 today: date | None = None, proposer: User | None = None,
                 commit: bool = True) -> GuideRevision | None:
    """Save a new revision of a section's title and body; None if nothing changed.

    ``proposer`` is the expert whose accepted proposal this is: the revision credits them.
    ``commit`` False leaves the transaction open for a caller that records more with it.

    ``base_number`` is the revision the editor started from: if someone saved
    since, nothing is written and GuideEditConflict carries both versions. An
    edit counts as a review (``last_reviewed_on`` becomes today). The revision
    links back to the answer it was drawn from, if any.

    Raises PermissionDenied for non-admins and for a source the admin cannot
    see; RuleViolation (with the field) for a title or body that does not fit
    the guide.
    """
    _require_admin(admin)
    _check_sources(admin, source_answer, source_board_answer)
    title, body = checked_title(title), checked_body(body)
    anchor = guide_markdown.anchor_for(title)
    _check_anchor_free(anchor, section)
    if (title == section.title and body == section.body
            and base_number == section.current_number):
        return None
    new_number = base_number + 1
    # Compare-and-set: the row moves to the new number only if it is still at
    # the editor's base, so of two simultaneous saves exactly one wins.
    try:
        moved = db.session.execute(
            update(GuideSection)
            .where(GuideSection.id == section.id, GuideSection.current_number == base_number)
            .values(current_number=new_number, title=title, anchor=anchor, body=body,
                    updated_at=utcnow(), last_reviewed_on=today or calendar.today())
            .execution_options(synchronize_session=False)
        ).rowcount
    except IntegrityError:
        db.session.rollback()
        raise _anchor_taken(anchor) from None
    if moved != 1:
        db.session.rollback()
        raise _conflict(section, base_number)
    revision = GuideRevision(
        section_id=section.id, number=new_number, title=title, body=body,
        note=clean_note(note), editor_id=admin.id, proposer_id=_id(proposer),
        source_answer_id=source_answer.id if source_answer else None,
        source_board_answer_id=source_board_answer.id if source_board_answer else None,
    )
    db.session.add(revision)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _conflict(section, base_number) from None
    db.session.refresh(section)
    _index_citations(section)
    search_index.index_guide_section(section)
    audit.record(admin, AuditAction.GUIDE_SECTION_EDITED, section,
                 question_id=_source_question_id(source_answer, source_board_answer),
                 detail=_detail(f"revision {new_number} of “{title}”"
                                + (f", proposed by user {proposer.id}" if proposer else ""),
                                source_answer, source_board_answer))
    if commit:
        db.session.commit()
    return revision


def add_section(parent: GuideSection | None, after: GuideSection | None, admin: User, *,
                title: str, body: str, note: str = "", source_answer: Answer | None = None,
                source_board_answer: BoardAnswer | None = None,
                today: date | None = None) -> GuideSection:
    """Add a section (``parent`` None: a ``##`` section of the guide) or a subsection
    (``parent`` a section), placed right after ``after`` (None: first among its siblings).

    Raises PermissionDenied as ``edit_section`` does; RuleViolation if there is
    no guide yet, the parent is a subsection, ``after`` is not a sibling, or the
    title or body does not fit the guide (its anchor taken, a heading in the body).
    """
    _require_admin(admin)
    _check_sources(admin, source_answer, source_board_answer)
    title, body = checked_title(title), checked_body(body)
    anchor = guide_markdown.anchor_for(title)
    _check_anchor_free(anchor, None)
    if parent is None:
        parent = db.session.scalar(select(GuideSection).where(
            GuideSection.level == DOCUMENT_LEVEL))
        if parent is None:
            raise RuleViolation(_l("There is no guide yet: import one first."))
    if parent.level == SUBSECTION_LEVEL:
        raise RuleViolation(_l("A subsection cannot hold further sections."), field="placement")
    if after is not None and after.parent_id != parent.id:
        raise RuleViolation(_l("Choose where the new section goes among its neighbours."),
                            field="placement")
    position = after.position + 1 if after is not None else 0
    db.session.execute(
        update(GuideSection)
        .where(GuideSection.parent_id == parent.id, GuideSection.position >= position)
        .values(position=GuideSection.position + 1)
        .execution_options(synchronize_session=False)
    )
    section = GuideSection(
        parent_id=parent.id, level=parent.level + 1, position=position, title=title,
        anchor=anchor, body=body, current_number=1, last_reviewed_on=today or calendar.today(),
    )
    section.revisions.append(GuideRevision(
        number=1, title=title, body=body, note=clean_note(note), editor_id=admin.id,
        source_answer_id=source_answer.id if source_answer else None,
        source_board_answer_id=source_board_answer.id if source_board_answer else None,
    ))
    db.session.add(section)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _anchor_taken(anchor) from None
    _index_citations(section)
    search_index.index_guide_section(section)
    audit.record(admin, AuditAction.GUIDE_SECTION_ADDED, section,
                 question_id=_source_question_id(source_answer, source_board_answer),
                 detail=_detail(f"“{title}” under “{parent.title}”",
                                source_answer, source_board_answer))
    db.session.commit()
    return section


def mark_reviewed(section: GuideSection, admin: User, today: date | None = None) -> None:
    """Record that an admin re-read the section today and found it current."""
    _require_admin(admin)
    today = today or calendar.today()
    section.last_reviewed_on = today
    audit.record(admin, AuditAction.GUIDE_SECTION_REVIEWED, section,
                 detail=f"“{section.title}” reviewed on {today.isoformat()}")
    db.session.commit()


def propose_from_answer(admin: User, source: Answer | BoardAnswer, *, body: str,
                        note: str = "", section: GuideSection | None = None,
                        base_number: int | None = None, title: str | None = None,
                        parent: GuideSection | None = None, after: GuideSection | None = None,
                        today: date | None = None) -> GuideRevision:
    """An admin draws guide text from an answer or a published board answer.

    With ``section``, saves a new revision of it (``title`` defaults to its
    own; ``base_number`` as in ``edit_section``); without, adds a section
    titled ``title`` under ``parent`` after ``after`` (as ``add_section``).
    Either way the revision links back to the answer.

    Raises PermissionDenied for non-admins and answers the admin cannot see,
    RuleViolation for a board answer that is not published, and whatever
    ``edit_section`` or ``add_section`` raise.
    """
    _require_admin(admin)
    answer = source if isinstance(source, Answer) else None
    board_answer = source if isinstance(source, BoardAnswer) else None
    _check_sources(admin, answer, board_answer)
    if section is not None:
        revision = edit_section(
            section, admin, title=section.title if title is None else title, body=body,
            note=note, base_number=section.current_number if base_number is None else base_number,
            source_answer=answer, source_board_answer=board_answer, today=today,
        )
        if revision is None:
            raise RuleViolation(_l("The text is the same as the section's: nothing to save."),
                                field="body")
        return revision
    added = add_section(parent, after, admin, title=title or "", body=body, note=note,
                        source_answer=answer, source_board_answer=board_answer, today=today)
    return added.revisions[0]


# --- a section's history ----------------------------------------------------------

@dataclass(frozen=True)
class DrawnFrom:
    """An answer a revision was drawn from, as a link to its place on the question page."""

    question_id: int
    question_title: str
    answer_id: int | None  # None for the board's answer
    is_board_answer: bool


@dataclass(frozen=True)
class HistoryEntry:
    revision: GuideRevision
    diff: list[DiffLine]
    source: DrawnFrom | None  # None also when the viewer may not see the source's question


@dataclass(frozen=True)
class SectionHistory:
    section: GuideSection
    entries: list[HistoryEntry]  # newest first
    drawn_from: list[DrawnFrom]  # distinct, those the viewer may see, oldest first


def section_history(viewer, section_id: int) -> SectionHistory | None:
    """A section's revisions, each with its diff from the one before and the answer it
    was drawn from (only if the viewer may see that question); None for an unknown id."""
    section = db.session.scalar(
        select(GuideSection)
        .where(GuideSection.id == section_id)
        .options(
            selectinload(GuideSection.parent),
            selectinload(GuideSection.revisions).options(
                selectinload(GuideRevision.editor), selectinload(GuideRevision.proposer),
                selectinload(GuideRevision.source_answer).selectinload(Answer.question),
                selectinload(GuideRevision.source_board_answer)
                .selectinload(BoardAnswer.question),
            ),
        )
    )
    if section is None:
        return None
    entries, drawn_from = [], []
    previous = ""
    for revision in section.revisions:
        text = revision_text(revision)
        source = _drawn_from(viewer, revision)
        if source is not None and source not in drawn_from:
            drawn_from.append(source)
        entries.append(HistoryEntry(revision, diff_texts(previous, text), source))
        previous = text
    entries.reverse()
    return SectionHistory(section, entries, drawn_from)


def revision_text(revision: GuideRevision) -> str:
    """What a diff compares: the title above the body."""
    return f"{revision.title}\n\n{revision.body}" if revision.body else revision.title


def _drawn_from(viewer, revision: GuideRevision) -> DrawnFrom | None:
    if revision.source_answer is not None:
        question = revision.source_answer.question
        answer_id, is_board = revision.source_answer.id, False
    elif revision.source_board_answer is not None:
        question = revision.source_board_answer.question
        answer_id, is_board = None, True
    else:
        return None
    if not can_see_question(viewer, question):
        return None
    return DrawnFrom(question.id, question.title, answer_id, is_board)


# --- releases ---------------------------------------------------------------------

def version_key(version: str) -> tuple[int, int]:
    """A valid version as numbers, for ordering (1.10 comes after 1.9)."""
    major, minor = version.split(".")
    return int(major), int(minor)


def releases(*, include_drafts: bool = False) -> list[GuideRelease]:
    """The published releases (and the drafts, for those who may see them), newest
    version first, with who released and who approved them."""
    # The approver comes joined, so the list stays at two queries (releases, their makers).
    statement = select(GuideRelease).options(selectinload(GuideRelease.released_by),
                                             joinedload(GuideRelease.approved_by))
    if not include_drafts:
        statement = statement.where(GuideRelease.published_at.is_not(None))
    found = db.session.scalars(statement)
    return sorted(found, key=lambda release: version_key(release.version), reverse=True)


def latest_release(*, include_drafts: bool = False) -> GuideRelease | None:
    """The most recent published release (or release of any state), or None before the first."""
    # Versions only ever increase (a release refuses a lower one), so the
    # latest in time is the highest.
    statement = select(GuideRelease)
    if not include_drafts:
        statement = statement.where(GuideRelease.published_at.is_not(None))
    return db.session.scalar(
        statement.order_by(GuideRelease.released_at.desc(), GuideRelease.id.desc()).limit(1)
    )


def get_release(version: str) -> GuideRelease | None:
    """The release with this version, published or not (and who made it), or None.

    The caller decides who may see a draft (``permissions.can_see_release``).
    """
    return db.session.scalar(
        select(GuideRelease).where(GuideRelease.version == version)
        .options(selectinload(GuideRelease.released_by))
    )


def export_release(version: str) -> str:
    """The frozen Markdown of one published release; RuleViolation if there is no such
    published version."""
    found = get_release(version)
    if found is None or not found.is_published:
        raise RuleViolation(_l("There is no release %(version)s.", version=version),
                            field="version")
    return found.markdown


def release_document(release: GuideRelease) -> GuideDocument:
    """A release's text as a tree, for its page."""
    return _parse_frozen(release.markdown)


def release_document_of(markdown: str) -> GuideDocument:
    """A frozen text (a release's, in any language) as a tree; parsed once per text."""
    return _parse_frozen(markdown)


# --- comparing releases -------------------------------------------------------------

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
        changes.append(SectionChange(
            CHANGED, new.anchor, new.title, DOCUMENT_LEVEL,
            diff_texts(_text(old.title, old.introduction), _text(new.title, new.introduction)),
            old_title=old.title,
        ))
    for anchor, now in after.items():
        was = before.get(anchor)
        if was is None:
            changes.append(SectionChange(ADDED, anchor, now.title, now.level,
                                         diff_texts("", _text(now.title, now.body))))
        elif (was.title, was.body) != (now.title, now.body):
            changes.append(SectionChange(
                CHANGED, anchor, now.title, now.level,
                diff_texts(_text(was.title, was.body), _text(now.title, now.body)),
                old_title=was.title,
            ))
        elif (was.level, was.parent) != (now.level, now.parent):
            changes.append(SectionChange(MOVED, anchor, now.title, now.level, []))
    for anchor, was in before.items():
        if anchor not in after:
            changes.append(SectionChange(REMOVED, anchor, was.title, was.level,
                                         diff_texts(_text(was.title, was.body), "")))
    return changes


def compare_releases(old_version: str, new_version: str, *,
                     document_of=release_document) -> GuideComparison:
    """Per-section differences between two published releases; RuleViolation (field
    ``from`` or ``to``) if either version does not exist or is a draft. ``document_of``
    reads a release's text (in another language: ``guide_translations.document_reader``)."""
    found = {release.version: release for release in db.session.scalars(
        select(GuideRelease).where(GuideRelease.version.in_([old_version, new_version]),
                                   GuideRelease.published_at.is_not(None))
    )}
    for version, field_name in ((old_version, "from"), (new_version, "to")):
        if version not in found:
            raise RuleViolation(_l("There is no release %(version)s.", version=version),
                                field=field_name)
    old, new = found[old_version], found[new_version]
    return GuideComparison(old, new, compare_documents(document_of(old), document_of(new)))


def changes_since_latest_release() -> GuideComparison | None:
    """What the current text changes from the latest release (None without both)."""
    current = load_current_guide()
    if current is None or current.latest_release is None:
        return None
    latest = current.latest_release
    return GuideComparison(latest, None,
                           compare_documents(release_document(latest), current.document()))


@dataclass(frozen=True)
class ChangelogEntry:
    release: GuideRelease
    previous: GuideRelease | None  # None for the first release
    changes: list[SectionChange]
    section_count: int

    def of_kind(self, kind: str) -> list[SectionChange]:
        return [change for change in self.changes if change.kind == kind]


def changelog(*, document_of=release_document) -> list[ChangelogEntry]:
    """Each published release, newest first, with its notes and the sections added,
    removed, changed or moved since the one before it (two queries whatever the count,
    in English; ``document_of`` as in ``compare_releases``)."""
    ordered = list(reversed(releases()))
    entries = []
    previous: GuideRelease | None = None
    for current in ordered:
        document = document_of(current)
        changes = ([] if previous is None
                   else compare_documents(document_of(previous), document))
        entries.append(ChangelogEntry(current, previous, changes,
                                      sum(1 for _ in document.walk())))
        previous = current
    entries.reverse()
    return entries


# --- internals ----------------------------------------------------------------------

@lru_cache(maxsize=64)
def _parse_frozen(markdown: str) -> GuideDocument:
    # A release's text never changes, and it was rendered by ``guide_markdown``.
    return guide_markdown.parse(markdown)


def _placed(document: GuideDocument) -> dict[str, _Placed]:
    placed = {}
    for section in document.sections:
        placed[section.anchor] = _Placed(section.level, section.title, section.body, None)
        for sub in section.children:
            placed[sub.anchor] = _Placed(sub.level, sub.title, sub.body, section.anchor)
    return placed


def _text(title: str, body: str) -> str:
    return f"{title}\n\n{body}" if body else title


def _require_admin(user: User | None) -> None:
    if not can_curate(user):
        raise PermissionDenied(_l("Only the centre's admins curate the guide."))


def require_curator(actor: User | None) -> None:
    """The command line (no user) or an admin; PermissionDenied for anyone else."""
    if actor is not None:
        _require_admin(actor)


def _check_sources(admin: User, answer: Answer | None, board_answer: BoardAnswer | None) -> None:
    if answer is not None and board_answer is not None:
        raise RuleViolation(_l("A revision is drawn from one answer at a time."))
    if answer is not None and not can_see_question(admin, answer.question):
        raise PermissionDenied(_l("You cannot see the question of this answer."))
    if board_answer is not None:
        if not can_see_question(admin, board_answer.question):
            raise PermissionDenied(_l("You cannot see the question of this answer."))
        if board_answer.published_number is None:
            raise RuleViolation(_l("Only a published board answer can go into the guide."))


def checked_title(title: str) -> str:
    title = (title or "").strip()
    try:
        guide_markdown.check_title(title)
    except GuideFormatError as error:
        raise RuleViolation(error.message, field="title") from None
    return title


def checked_body(body: str) -> str:
    body = guide_markdown.clean_body(body)
    try:
        guide_markdown.check_body(body)
    except GuideFormatError as error:
        raise RuleViolation(_l("Line %(line)d: %(message)s", line=error.line,
                               message=error.message), field="body") from None
    return body


def _check_anchor_free(anchor: str, section: GuideSection | None) -> None:
    holder = db.session.scalar(select(GuideSection).where(GuideSection.anchor == anchor))
    if holder is not None and (section is None or holder.id != section.id):
        raise _anchor_taken(anchor, holder)


def _anchor_taken(anchor: str, holder: GuideSection | None = None) -> RuleViolation:
    if holder is not None:
        return RuleViolation(_l("The section “%(title)s” already has this anchor (#%(anchor)s): "
                                "choose another title.", title=holder.title, anchor=anchor),
                             field="title")
    return RuleViolation(_l("Another section already has this anchor (#%(anchor)s): "
                            "choose another title.", anchor=anchor), field="title")


def _conflict(section: GuideSection, base_number: int) -> GuideEditConflict:
    db.session.expire(section)
    current = _revision_numbered(section.id, section.current_number)
    base = _revision_numbered(section.id, base_number)
    return GuideEditConflict(
        _l("Someone saved a new version of this section (revision %(number)d) while you "
           "were editing. Your text is below, unchanged: compare it with theirs and save again.",
           number=current.number),
        base=base, current=current,
    )


def _revision_numbered(section_id: int, number: int) -> GuideRevision | None:
    return db.session.scalar(
        select(GuideRevision)
        .where(GuideRevision.section_id == section_id, GuideRevision.number == number)
        .options(selectinload(GuideRevision.editor))
    )


def _index_citations(section: GuideSection) -> None:
    citations.index_subject(CITATION_SUBJECT, section.id, [section.title, section.body])


def clean_note(note: str | None) -> str | None:
    return (note or "").strip()[:MAX_NOTE_LENGTH] or None


def _id(user: User | None) -> int | None:
    return user.id if user is not None else None


def _source_question_id(answer: Answer | None, board_answer: BoardAnswer | None) -> int | None:
    if answer is not None:
        return answer.question_id
    if board_answer is not None:
        return board_answer.question_id
    return None


def _detail(text: str, answer: Answer | None, board_answer: BoardAnswer | None) -> str:
    if answer is not None:
        return f"{text}, drawn from answer {answer.id}"
    if board_answer is not None:
        return f"{text}, drawn from board answer {board_answer.id}"
    return text
