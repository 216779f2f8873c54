"""Experts propose guide text; admins accept it as a revision crediting them, or decline it.

The experts write the answers, so they know what the guide should say. An
expert proposes new text for a section, fresh or drawn from an answer or a
published board answer they can see. An admin compares it with the section
as it is now and accepts it (it becomes the section's next revision, edited
by the admin and crediting the proposer, through ``editing.edit_section``) or
declines it with a note. Either way the proposer is notified in the app and
by e-mail. Admins who draw text from an answer themselves do so directly
(``editing.propose_from_answer``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    Answer,
    AuditAction,
    BoardAnswer,
    GuideProposal,
    GuideSection,
    ProposalStatus,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import (
    can_curate,
    can_propose_guide_text,
    can_read_guide_proposal,
    can_see_question,
)
from forum.services import attachments, audit, translations
from forum.services.attachments import Upload
from forum.services.diffs import DiffLine, diff_texts
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.guide import checks, editing, history, translated
from forum.services.mail import notifications
from forum.services.revisions import clean_note
from forum.services.translations import SOURCE_LANGUAGE

MAX_DECISION_NOTE_LENGTH = 2_000


def propose(
    expert: User,
    section: GuideSection,
    *,
    title: str,
    body: str,
    note: str = "",
    source: Answer | BoardAnswer | None = None,
    language: str = SOURCE_LANGUAGE,
    uploads: Sequence[Upload] = (),
) -> GuideProposal:
    """An expert proposes new text for a section, optionally drawn from an answer (committed).

    In another ``language`` the proposal is a translation of the section's current English
    revision (its ``base_number``), compared with the section's translation there.

    PermissionDenied for anyone but an expert, or for an answer whose question
    they cannot see; RuleViolation (with the field) for a title or body that
    does not fit the guide, a text the same as the section's, a board answer
    that is not published, or files past the limit.
    """
    if not can_propose_guide_text(expert):
        raise PermissionDenied(_l("Only the board's experts propose guide text."))
    answer = source if isinstance(source, Answer) else None
    board_answer = source if isinstance(source, BoardAnswer) else None
    if source is not None and not can_see_question(expert, source.question):
        raise PermissionDenied(_l("You cannot see the question of this answer."))
    if board_answer is not None and board_answer.published_number is None:
        raise RuleViolation(_l("Only a published board answer can go into the guide."))
    if language != SOURCE_LANGUAGE:
        translations.check_language(language)
    title, body = checks.checked_title(title), checks.checked_body(body)
    if (title, body) == translated.current_text(section, language):
        raise RuleViolation(
            _l("The text is the same as the section's: change it to propose."), field="body"
        )
    if language != SOURCE_LANGUAGE and (title, body) == (section.title, section.body):
        raise RuleViolation(
            _l("This is the English text: translate it before saving."), field="body"
        )
    stored = attachments.store(uploads)
    proposal = GuideProposal(
        section_id=section.id,
        base_number=section.current_number,
        language=language,
        title=title,
        body=body,
        note=clean_note(note),
        proposer_id=expert.id,
        source_answer_id=answer.id if answer else None,
        source_board_answer_id=board_answer.id if board_answer else None,
    )
    db.session.add(proposal)
    db.session.flush()
    attachments.add(proposal, expert, stored)
    audit.record(
        expert,
        AuditAction.GUIDE_PROPOSAL_MADE,
        proposal,
        question_id=source.question_id if source is not None else None,
        detail=f"for “{section.title}”",
    )
    db.session.commit()
    return proposal


def accept(proposal: GuideProposal, admin: User, note: str = ""):
    """An admin accepts an open proposal: it becomes the section's next revision,
    crediting the proposer, over the section as it is now (committed).

    Returns the revision. PermissionDenied for non-admins; RuleViolation if the
    proposal was decided already, its text is now the section's, or it no longer
    fits the guide (its title's anchor taken since).
    """
    _require_open(proposal, admin)
    section = proposal.section
    if proposal.language != SOURCE_LANGUAGE:
        return _accept_translation(proposal, admin, note)
    # The admin compared the proposal with the current text on the page, so it is
    # saved over the current revision (a conflict is then only a save at this instant).
    revision = editing.edit_section(
        section,
        admin,
        title=proposal.title,
        body=proposal.body,
        note=proposal.note or _proposal_note(proposal),
        base_number=section.current_number,
        source_answer=proposal.source_answer,
        source_board_answer=proposal.source_board_answer,
        proposer=proposal.proposer,
        commit=False,
    )
    if revision is None:
        db.session.rollback()
        raise RuleViolation(
            _l("The section already reads as proposed: decline the proposal with a note instead.")
        )
    _decide(proposal, admin, ProposalStatus.ACCEPTED, note)
    proposal.revision_id = revision.id
    audit.record(
        admin,
        AuditAction.GUIDE_PROPOSAL_ACCEPTED,
        proposal,
        detail=f"revision {revision.number} of “{section.title}”",
    )
    notifications.guide_proposal_decided(proposal, admin)
    db.session.commit()
    return revision


def _accept_translation(proposal: GuideProposal, admin: User, note: str):
    """A proposed translation becomes the translation's next revision, made from the
    English revision the expert translated (so it is outdated if the English moved since)."""
    section = proposal.section
    existing = translated.TABLES.find(section.id, proposal.language)
    revision = translated.edit_translation(
        section,
        admin,
        proposal.language,
        title=proposal.title,
        body=proposal.body,
        note=proposal.note or _proposal_note(proposal),
        source_number=min(proposal.base_number, section.current_number),
        base_number=existing.current_number if existing else 0,
        proposer=proposal.proposer,
        commit=False,
    )
    if revision is None:
        db.session.rollback()
        raise RuleViolation(
            _l("The section already reads as proposed: decline the proposal with a note instead.")
        )
    _decide(proposal, admin, ProposalStatus.ACCEPTED, note)
    audit.record(
        admin,
        AuditAction.GUIDE_PROPOSAL_ACCEPTED,
        proposal,
        detail=f"{proposal.language} revision {revision.number} of “{section.title}”",
    )
    notifications.guide_proposal_decided(proposal, admin)
    db.session.commit()
    return revision


def decline(proposal: GuideProposal, admin: User, note: str) -> None:
    """An admin declines an open proposal with a note saying why (committed).

    PermissionDenied for non-admins; RuleViolation for a missing note or a
    proposal decided already.
    """
    _require_open(proposal, admin)
    note = (note or "").strip()
    if not note:
        raise RuleViolation(_l("Say why: the expert reads your note."), field="note")
    _decide(proposal, admin, ProposalStatus.DECLINED, note)
    audit.record(
        admin,
        AuditAction.GUIDE_PROPOSAL_DECLINED,
        proposal,
        detail=f"for “{proposal.section.title}”: {note[:200]}",
    )
    notifications.guide_proposal_decided(proposal, admin)
    db.session.commit()


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalView:
    """A proposal with what it changes: against the text it was written on, and against now."""

    proposal: GuideProposal
    diff_from_current: list[DiffLine]
    section_changed_since: bool


def load(proposal_id: int) -> GuideProposal | None:
    """A proposal with its section, people and source (one query per relation)."""
    return db.session.scalar(
        select(GuideProposal)
        .where(GuideProposal.id == proposal_id)
        .options(
            selectinload(GuideProposal.section),
            selectinload(GuideProposal.proposer),
            selectinload(GuideProposal.decided_by),
            selectinload(GuideProposal.source_answer).selectinload(Answer.question),
            selectinload(GuideProposal.source_board_answer).selectinload(BoardAnswer.question),
        )
    )


def can_read(viewer, proposal: GuideProposal) -> bool:
    """The proposer and the admins read a proposal."""
    return can_read_guide_proposal(viewer, proposal)


def view(proposal: GuideProposal) -> ProposalView:
    """The proposal against the section as it reads now in the proposal's language."""
    section = proposal.section
    current = translations.titled_text(*translated.current_text(section, proposal.language))
    proposed = history.revision_text(proposal)
    return ProposalView(
        proposal, diff_texts(current, proposed), section.current_number != proposal.base_number
    )


def listing(viewer, status: ProposalStatus | None = ProposalStatus.OPEN) -> list[GuideProposal]:
    """Proposals for the admins (all, by status) or an expert's own, newest first."""
    statement = select(GuideProposal).options(
        selectinload(GuideProposal.section), selectinload(GuideProposal.proposer)
    )
    if not can_curate(viewer):
        statement = statement.where(GuideProposal.proposer_id == viewer.id)
    elif status is not None:
        statement = statement.where(GuideProposal.status == status)
    return list(
        db.session.scalars(
            statement.order_by(GuideProposal.created_at.desc(), GuideProposal.id.desc())
        )
    )


def open_count() -> int:
    return (
        db.session.scalar(
            select(func.count(GuideProposal.id)).where(GuideProposal.status == ProposalStatus.OPEN)
        )
        or 0
    )


# --- internals -----------------------------------------------------------------------------


def _require_open(proposal: GuideProposal, admin: User) -> None:
    if not can_curate(admin):
        raise PermissionDenied(_l("Only the centre's admins decide on proposals."))
    if proposal.status != ProposalStatus.OPEN:
        raise RuleViolation(_l("This proposal was decided already."))


def _decide(proposal: GuideProposal, admin: User, status: ProposalStatus, note: str) -> None:
    proposal.status, proposal.decided_by_id, proposal.decided_at = status, admin.id, utcnow()
    proposal.decision_note = (note or "").strip()[:MAX_DECISION_NOTE_LENGTH] or None


def _proposal_note(proposal: GuideProposal) -> str:
    name = proposal.proposer.display_name if proposal.proposer else "an expert"
    return f"Proposed by {name}"
