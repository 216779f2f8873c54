"""Importing the guide's English text: the whole file replaces the guide in one
transaction.

Sections are matched by anchor, so their history survives: a changed section gets a
new numbered ``GuideRevision``, a new one starts at revision 1, and one missing from
the file is deleted (the releases keep its text). Curation is for admins; the command
line imports as no user (``actor=None``). The import is recorded in the audit log and
brings the search documents and citations of the sections it touched in step
(services/content.py). Editing one section at a time is ``editing``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import AuditAction, GuideProposal, GuideRevision, GuideSection, User
from forum.models.columns import utcnow
from forum.services import attachments, audit, content
from forum.services.errors import RuleViolation
from forum.services.guide import markdown
from forum.services.guide.checks import require_curator
from forum.services.guide.markdown import SECTION_LEVEL, SUBSECTION_LEVEL
from forum.services.guide.tree import DOCUMENT_LEVEL
from forum.services.revisions import clean_note


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
        return (
            f"{self.added} sections added, {self.changed} changed, "
            f"{self.removed} removed, {self.unchanged} unchanged."
        )


def import_guide(
    text: str, actor: User | None, *, note: str = "Imported from the guide file"
) -> ImportReport:
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
    document = markdown.parse(text)
    noncanonical_line = markdown.first_difference(text)
    rows = list(db.session.scalars(select(GuideSection)))
    root = next((row for row in rows if row.level == DOCUMENT_LEVEL), None)
    by_anchor = {row.anchor: row for row in rows if row.level != DOCUMENT_LEVEL}
    wanted = {section.anchor for section in document.walk()}
    removed = [row for anchor, row in by_anchor.items() if anchor not in wanted]
    removed_ids = {row.id for row in removed}
    note = clean_note(note)
    editor_id = actor.id if actor is not None else None

    # A kept section under a removed one moves out first: the deletion cascades.
    for row in by_anchor.values():
        if root is not None and row.anchor in wanted and row.parent_id in removed_ids:
            row.parent_id = root.id
    db.session.flush()
    if removed_ids:
        # The proposals for a removed section go with it (a cascade): their files too.
        attachments.discard(
            GuideProposal,
            db.session.scalars(
                select(GuideProposal.id).where(GuideProposal.section_id.in_(removed_ids))
            ),
        )
        # One statement; the database cascades to the revisions.
        db.session.execute(
            delete(GuideSection)
            .where(GuideSection.id.in_(removed_ids))
            .execution_options(synchronize_session=False)
        )
        content.withdrawn(GuideSection, removed_ids)
        for row in removed:
            db.session.expunge(row)

    touched: list[GuideSection] = []
    counts = {"added": 0, "changed": 0, "unchanged": 0}

    def upsert(
        row: GuideSection | None,
        *,
        level: int,
        parent: GuideSection | None,
        position: int,
        title: str,
        body: str,
    ) -> GuideSection:
        if row is None:
            row = GuideSection(
                level=level,
                parent=parent,
                position=position,
                title=title,
                anchor=markdown.anchor_for(title),
                body=body,
                current_number=1,
            )
            db.session.add(row)
            row.revisions.append(
                GuideRevision(number=1, title=title, body=body, note=note, editor_id=editor_id)
            )
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
        row.title, row.anchor, row.body = title, markdown.anchor_for(title), body
        row.updated_at = utcnow()
        db.session.add(
            GuideRevision(
                section_id=row.id,
                number=row.current_number,
                title=title,
                body=body,
                note=note,
                editor_id=editor_id,
            )
        )
        counts["changed"] += 1
        touched.append(row)
        return row

    root = upsert(
        root,
        level=DOCUMENT_LEVEL,
        parent=None,
        position=0,
        title=document.title,
        body=document.introduction,
    )
    # The root first: its anchor may be taken next by a section of the new text.
    db.session.flush()
    for position, section in enumerate(document.sections):
        parent = upsert(
            by_anchor.get(section.anchor),
            level=SECTION_LEVEL,
            parent=root,
            position=position,
            title=section.title,
            body=section.body,
        )
        for sub_position, sub in enumerate(section.children):
            upsert(
                by_anchor.get(sub.anchor),
                level=SUBSECTION_LEVEL,
                parent=parent,
                position=sub_position,
                title=sub.title,
                body=sub.body,
            )
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation(
            _l("The guide changed while it was being imported: import it again.")
        ) from None
    for row in touched:
        content.saved(row)
    report = ImportReport(
        counts["added"], counts["changed"], len(removed), counts["unchanged"], noncanonical_line
    )
    audit.record(actor, AuditAction.GUIDE_IMPORTED, root, detail=report.summary())
    db.session.commit()
    return report
