"""Curating the guide's English text section by section: editing, adding and
reviewing sections, and an admin's text drawn from an answer.

Every change of a section's title or body is a numbered ``GuideRevision`` with a
note and, when it was drawn from one, the answer or board answer behind it.
Curation is for admins. Every action is recorded in the audit log and brings the
search documents and citations of the sections it touched in step
(services/content.py). Importing the whole file is ``importing``.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import calendar
from forum.extensions import db
from forum.models import Answer, AuditAction, BoardAnswer, GuideRevision, GuideSection, User
from forum.models.columns import utcnow
from forum.permissions import can_see_question
from forum.services import audit, content
from forum.services.errors import PermissionDenied, RuleViolation, ServiceError
from forum.services.guide import markdown
from forum.services.guide.checks import checked_body, checked_title, require_admin
from forum.services.guide.markdown import SUBSECTION_LEVEL
from forum.services.guide.tree import DOCUMENT_LEVEL
from forum.services.revisions import clean_note


class GuideEditConflict(ServiceError):
    """Someone saved a newer revision of the section since the editor loaded it.

    Carries the revision the editor started from (None if unknown) and the
    current one, so the page can show both and what changed between them.
    """

    def __init__(self, message, base: GuideRevision | None, current: GuideRevision):
        super().__init__(message, field="body")
        self.base = base
        self.current = current


# --- editing --------------------------------------------------------------------


def edit_section(
    section: GuideSection,
    admin: User,
    *,
    title: str,
    body: str,
    note: str = "",
    base_number: int,
    source_answer: Answer | None = None,
    source_board_answer: BoardAnswer | None = None,
    today: date | None = None,
    proposer: User | None = None,
    commit: bool = True,
) -> GuideRevision | None:
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
    title, body, anchor = _checked_text(
        admin, title, body, section, source_answer, source_board_answer
    )
    if title == section.title and body == section.body and base_number == section.current_number:
        return None
    new_number = base_number + 1
    # Compare-and-set: the row moves to the new number only if it is still at
    # the editor's base, so of two simultaneous saves exactly one wins.
    try:
        moved = db.session.execute(
            update(GuideSection)
            .where(GuideSection.id == section.id, GuideSection.current_number == base_number)
            .values(
                current_number=new_number,
                title=title,
                anchor=anchor,
                body=body,
                updated_at=utcnow(),
                last_reviewed_on=today or calendar.today(),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    except IntegrityError:
        db.session.rollback()
        raise _anchor_taken(anchor) from None
    if moved != 1:
        db.session.rollback()
        raise _conflict(section, base_number)
    revision = GuideRevision(
        section_id=section.id,
        number=new_number,
        title=title,
        body=body,
        note=clean_note(note),
        editor_id=admin.id,
        proposer_id=_id(proposer),
        **_source_ids(source_answer, source_board_answer),
    )
    db.session.add(revision)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _conflict(section, base_number) from None
    db.session.refresh(section)
    content.saved(section)
    audit.record(
        admin,
        AuditAction.GUIDE_SECTION_EDITED,
        section,
        question_id=_source_question_id(source_answer, source_board_answer),
        detail=_detail(
            f"revision {new_number} of “{title}”"
            + (f", proposed by user {proposer.id}" if proposer else ""),
            source_answer,
            source_board_answer,
        ),
    )
    if commit:
        db.session.commit()
    return revision


def add_section(
    parent: GuideSection | None,
    after: GuideSection | None,
    admin: User,
    *,
    title: str,
    body: str,
    note: str = "",
    source_answer: Answer | None = None,
    source_board_answer: BoardAnswer | None = None,
    today: date | None = None,
) -> GuideSection:
    """Add a section (``parent`` None: a ``##`` section of the guide) or a subsection
    (``parent`` a section), placed right after ``after`` (None: first among its siblings).

    Raises PermissionDenied as ``edit_section`` does; RuleViolation if there is
    no guide yet, the parent is a subsection, ``after`` is not a sibling, or the
    title or body does not fit the guide (its anchor taken, a heading in the body).
    """
    title, body, anchor = _checked_text(
        admin, title, body, None, source_answer, source_board_answer
    )
    if parent is None:
        parent = db.session.scalar(select(GuideSection).where(GuideSection.level == DOCUMENT_LEVEL))
        if parent is None:
            raise RuleViolation(_l("There is no guide yet: import one first."))
    if parent.level == SUBSECTION_LEVEL:
        raise RuleViolation(_l("A subsection cannot hold further sections."), field="placement")
    if after is not None and after.parent_id != parent.id:
        raise RuleViolation(
            _l("Choose where the new section goes among its neighbours."), field="placement"
        )
    position = after.position + 1 if after is not None else 0
    db.session.execute(
        update(GuideSection)
        .where(GuideSection.parent_id == parent.id, GuideSection.position >= position)
        .values(position=GuideSection.position + 1)
        .execution_options(synchronize_session=False)
    )
    section = GuideSection(
        parent_id=parent.id,
        level=parent.level + 1,
        position=position,
        title=title,
        anchor=anchor,
        body=body,
        current_number=1,
        last_reviewed_on=today or calendar.today(),
    )
    section.revisions.append(
        GuideRevision(
            number=1,
            title=title,
            body=body,
            note=clean_note(note),
            editor_id=admin.id,
            **_source_ids(source_answer, source_board_answer),
        )
    )
    db.session.add(section)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _anchor_taken(anchor) from None
    content.saved(section)
    audit.record(
        admin,
        AuditAction.GUIDE_SECTION_ADDED,
        section,
        question_id=_source_question_id(source_answer, source_board_answer),
        detail=_detail(f"“{title}” under “{parent.title}”", source_answer, source_board_answer),
    )
    db.session.commit()
    return section


def mark_reviewed(section: GuideSection, admin: User, today: date | None = None) -> None:
    """Record that an admin re-read the section today and found it current."""
    require_admin(admin)
    today = today or calendar.today()
    section.last_reviewed_on = today
    audit.record(
        admin,
        AuditAction.GUIDE_SECTION_REVIEWED,
        section,
        detail=f"“{section.title}” reviewed on {today.isoformat()}",
    )
    db.session.commit()


def propose_from_answer(
    admin: User,
    source: Answer | BoardAnswer,
    *,
    body: str,
    note: str = "",
    section: GuideSection | None = None,
    base_number: int | None = None,
    title: str | None = None,
    parent: GuideSection | None = None,
    after: GuideSection | None = None,
    today: date | None = None,
) -> GuideRevision:
    """An admin draws guide text from an answer or a published board answer.

    With ``section``, saves a new revision of it (``title`` defaults to its
    own; ``base_number`` as in ``edit_section``); without, adds a section
    titled ``title`` under ``parent`` after ``after`` (as ``add_section``).
    Either way the revision links back to the answer.

    Raises PermissionDenied for non-admins and answers the admin cannot see,
    RuleViolation for a board answer that is not published, and whatever
    ``edit_section`` or ``add_section`` raise.
    """
    require_admin(admin)
    answer = source if isinstance(source, Answer) else None
    board_answer = source if isinstance(source, BoardAnswer) else None
    _check_sources(admin, answer, board_answer)
    if section is not None:
        revision = edit_section(
            section,
            admin,
            title=section.title if title is None else title,
            body=body,
            note=note,
            base_number=section.current_number if base_number is None else base_number,
            source_answer=answer,
            source_board_answer=board_answer,
            today=today,
        )
        if revision is None:
            raise RuleViolation(
                _l("The text is the same as the section's: nothing to save."), field="body"
            )
        return revision
    added = add_section(
        parent,
        after,
        admin,
        title=title or "",
        body=body,
        note=note,
        source_answer=answer,
        source_board_answer=board_answer,
        today=today,
    )
    return added.revisions[0]


# --- internals ----------------------------------------------------------------------


def _checked_text(
    admin: User,
    title: str,
    body: str,
    section: GuideSection | None,
    answer: Answer | None,
    board_answer: BoardAnswer | None,
) -> tuple[str, str, str]:
    """An admin's title and body for ``section`` (None: a new one), checked, with the
    title's anchor; raises as ``edit_section`` says."""
    require_admin(admin)
    _check_sources(admin, answer, board_answer)
    title, body = checked_title(title), checked_body(body)
    anchor = markdown.anchor_for(title)
    _check_anchor_free(anchor, section)
    return title, body, anchor


def _source_ids(answer: Answer | None, board_answer: BoardAnswer | None) -> dict[str, int | None]:
    """A revision's link to the answer it was drawn from, if any."""
    return {
        "source_answer_id": answer.id if answer else None,
        "source_board_answer_id": board_answer.id if board_answer else None,
    }


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


def _check_anchor_free(anchor: str, section: GuideSection | None) -> None:
    holder = db.session.scalar(select(GuideSection).where(GuideSection.anchor == anchor))
    if holder is not None and (section is None or holder.id != section.id):
        raise _anchor_taken(anchor, holder)


def _anchor_taken(anchor: str, holder: GuideSection | None = None) -> RuleViolation:
    if holder is not None:
        return RuleViolation(
            _l(
                "The section “%(title)s” already has this anchor (#%(anchor)s): "
                "choose another title.",
                title=holder.title,
                anchor=anchor,
            ),
            field="title",
        )
    return RuleViolation(
        _l(
            "Another section already has this anchor (#%(anchor)s): choose another title.",
            anchor=anchor,
        ),
        field="title",
    )


def _conflict(section: GuideSection, base_number: int) -> GuideEditConflict:
    db.session.expire(section)
    current = _revision_numbered(section.id, section.current_number)
    base = _revision_numbered(section.id, base_number)
    return GuideEditConflict(
        _l(
            "Someone saved a new version of this section (revision %(number)d) while you "
            "were editing. Your text is below, unchanged: compare it with theirs and save again.",
            number=current.number,
        ),
        base=base,
        current=current,
    )


def _revision_numbered(section_id: int, number: int) -> GuideRevision | None:
    return db.session.scalar(
        select(GuideRevision)
        .where(GuideRevision.section_id == section_id, GuideRevision.number == number)
        .options(selectinload(GuideRevision.editor))
    )


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
