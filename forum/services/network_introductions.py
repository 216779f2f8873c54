"""An introduction's steps (issue 29): an admin records each move of two organisations
introduced in a matchmaking round (agreed, met, a project idea, a joint proposal submitted
with its programme and call, or declined), with a note. The review reads them as at a
period's end (``services/review/network.py``).

A step back is allowed (a meeting postponed, an idea dropped for another) and kept: the
history is the steps, and the audit entry says "(back)". "Declined" ends an introduction.
Introductions keep moving after their round is closed: a proposal is submitted months later.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import (
    AuditAction,
    FundingProgramme,
    Introduction,
    IntroductionState,
    IntroductionStep,
    NetworkProfile,
    User,
)
from forum.models.columns import utcnow
from forum.services import audit
from forum.services.errors import RuleViolation
from forum.services.network_rounds import (
    MAX_NOTE_LENGTH,
    MAX_REFERENCE_LENGTH,
    require_manager,
)
from forum.services.typed_text import checked_text

# --- steps ---------------------------------------------------------------------

# The order states are normally reached in; a step to an earlier one is "going back".
FORWARD_ORDER = (
    IntroductionState.PROPOSED,
    IntroductionState.AGREED,
    IntroductionState.MET,
    IntroductionState.PROJECT_IDEA,
    IntroductionState.PROPOSAL_SUBMITTED,
)


@dataclass(frozen=True)
class StepDraft:
    """What an admin records about an introduction, already parsed."""

    state: IntroductionState
    note: str = ""
    project_title: str = ""
    programme: FundingProgramme | None = None
    call_reference: str = ""


def goes_back(old: IntroductionState, new: IntroductionState) -> bool:
    """True for a step to a state normally reached before ``old`` (allowed, and recorded)."""
    if old not in FORWARD_ORDER or new not in FORWARD_ORDER:
        return False
    return FORWARD_ORDER.index(new) < FORWARD_ORDER.index(old)


def next_state(state: IntroductionState) -> IntroductionState:
    """The state normally reached after ``state`` (the step form's first choice)."""
    if state in FORWARD_ORDER[:-1]:
        return FORWARD_ORDER[FORWARD_ORDER.index(state) + 1]
    return state


def record_step(introduction: Introduction, admin: User, draft: StepDraft) -> IntroductionStep:
    """Move an introduction to a state with a note; audited (a step back says so).

    A project idea may set the project's working title; a joint proposal submitted needs its
    programme and call reference (and may set the title too). "Declined" ends the
    introduction: no step follows it. The same state again is a note, so it needs one.

    Raises PermissionDenied for non-admins; RuleViolation (with the field) for a step after
    "declined", a missing programme or call, the same state without a note, or a text over
    its length.
    """
    require_manager(admin)
    old = introduction.state
    if old == IntroductionState.DECLINED:
        raise RuleViolation(
            _l("This introduction was declined: it ends there, no step follows."), field="state"
        )
    note = checked_text(draft.note, MAX_NOTE_LENGTH, "note", one_line=False)
    if draft.state == old and not note:
        raise RuleViolation(
            _l("It is in this state already: choose another, or write what happened."),
            field="note",
        )
    project_title = checked_text(draft.project_title, MAX_REFERENCE_LENGTH, "project_title")
    call_reference = checked_text(draft.call_reference, MAX_REFERENCE_LENGTH, "call_reference")
    if draft.state == IntroductionState.PROPOSAL_SUBMITTED:
        if draft.programme is None:
            raise RuleViolation(
                _l("Choose the programme the joint proposal was submitted to."), field="programme"
            )
        if not call_reference:
            raise RuleViolation(
                _l("Give the call's reference, as the programme writes it."),
                field="call_reference",
            )
        introduction.programme = draft.programme
        introduction.call_reference = call_reference
    if project_title and draft.state in (
        IntroductionState.PROJECT_IDEA,
        IntroductionState.PROPOSAL_SUBMITTED,
    ):
        introduction.project_title = project_title
    introduction.state = draft.state
    introduction.updated_at = utcnow()
    step = IntroductionStep(state=draft.state, note=note, recorded_by=admin)
    introduction.steps.append(step)
    db.session.flush()
    detail = f"{old.value} -> {draft.state.value}"
    if goes_back(old, draft.state):
        detail += " (back)"
    audit.record(admin, AuditAction.INTRODUCTION_STEP_RECORDED, introduction, detail=detail)
    db.session.commit()
    return step


def get_introduction(introduction_id: int) -> Introduction | None:
    """An introduction with its round, both organisations and its steps with who recorded
    them, or None."""
    return db.session.scalar(
        select(Introduction)
        .options(
            joinedload(Introduction.first).joinedload(NetworkProfile.organisation),
            joinedload(Introduction.second).joinedload(NetworkProfile.organisation),
            joinedload(Introduction.round),
            selectinload(Introduction.steps).joinedload(IntroductionStep.recorded_by),
        )
        .where(Introduction.id == introduction_id)
    )


# --- figures for the review ----------------------------------------------------------------------
