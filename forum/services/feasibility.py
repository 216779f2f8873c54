"""The feasibility study's notes per theme (issue 29): for each specialisation, which parts
of the Lombard and Limburg ecosystems to link, decided when and by whom. The admins record
them; the network's members read them on the themes page
(``network_access.can_read_feasibility_notes``), beside how many directory organisations
each region has in the theme.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditAction,
    FeasibilityNote,
    NetworkProfile,
    NetworkRegion,
    Specialisation,
    User,
    profile_specialisation,
)
from forum.models.columns import utcnow
from forum.network_access import can_manage_network
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.typed_text import checked_text

MAX_DECISION = 5_000
MAX_DECIDED_BY = 200


@dataclass(frozen=True)
class NoteDraft:
    decision: str
    decided_on: date
    decided_by: str


@dataclass(frozen=True)
class Theme:
    """One theme of the themes page: its notes, newest decision first, and the directory's
    organisations in it per region (every region, zero included)."""

    specialisation: Specialisation
    notes: list[FeasibilityNote]
    organisations_by_region: dict[NetworkRegion, int]


def themes() -> list[Theme]:
    """Every specialisation, in the vocabulary's order, with its notes and counts: three
    queries however many themes and notes. The counts take every profile, listed or not:
    a number names no organisation."""
    specialisations = db.session.scalars(
        select(Specialisation).order_by(Specialisation.position, Specialisation.id)
    ).all()
    notes = db.session.scalars(
        select(FeasibilityNote)
        .options(selectinload(FeasibilityNote.recorded_by))
        .order_by(FeasibilityNote.decided_on.desc(), FeasibilityNote.id.desc())
    ).all()
    counts = db.session.execute(
        select(profile_specialisation.c.term_id, NetworkProfile.region, func.count())
        .join(NetworkProfile, NetworkProfile.id == profile_specialisation.c.profile_id)
        .group_by(profile_specialisation.c.term_id, NetworkProfile.region)
    ).all()
    notes_by_theme: dict[int, list[FeasibilityNote]] = defaultdict(list)
    for note in notes:
        notes_by_theme[note.specialisation_id].append(note)
    counted: dict[int, dict[NetworkRegion, int]] = defaultdict(dict)
    for term_id, region, count in counts:
        counted[term_id][NetworkRegion(region)] = count
    return [
        Theme(
            specialisation,
            notes_by_theme[specialisation.id],
            {region: counted[specialisation.id].get(region, 0) for region in NetworkRegion},
        )
        for specialisation in specialisations
    ]


def get_specialisation(specialisation_id: int) -> Specialisation | None:
    return db.session.get(Specialisation, specialisation_id)


def get_note(note_id: int) -> FeasibilityNote | None:
    """The note with its theme (two queries)."""
    return db.session.scalar(
        select(FeasibilityNote)
        .where(FeasibilityNote.id == note_id)
        .options(selectinload(FeasibilityNote.specialisation))
    )


def _checked(draft: NoteDraft) -> dict:
    decision = checked_text(
        draft.decision, MAX_DECISION, "decision", _l("Write the decision."), one_line=False
    )
    decided_by = checked_text(
        draft.decided_by, MAX_DECIDED_BY, "decided_by", _l("Say who decided.")
    )
    # A note records a decision taken; one planned for later is not a decision yet.
    if draft.decided_on > calendar.today():
        raise RuleViolation(
            _l("A decision is recorded once taken: the date cannot be in the future."),
            field="decided_on",
        )
    return {"decision": decision, "decided_on": draft.decided_on, "decided_by": decided_by}


def add_note(admin: User, specialisation: Specialisation, draft: NoteDraft) -> FeasibilityNote:
    """Record a decision on a theme; audited. Raises PermissionDenied for anyone but the
    admins, and RuleViolation (with the field) for an empty or overlong decision or
    decider, or a date in the future."""
    if not can_manage_network(admin):
        raise PermissionDenied(_l("Only the admins record the feasibility study's notes."))
    note = FeasibilityNote(
        specialisation_id=specialisation.id, recorded_by_id=admin.id, **_checked(draft)
    )
    db.session.add(note)
    db.session.flush()
    audit.record(admin, AuditAction.FEASIBILITY_NOTE_ADDED, note, detail=specialisation.slug)
    db.session.commit()
    return note


def edit_note(admin: User, note: FeasibilityNote, draft: NoteDraft) -> None:
    """Correct a recorded decision; audited. Raises as ``add_note``."""
    if not can_manage_network(admin):
        raise PermissionDenied(_l("Only the admins record the feasibility study's notes."))
    for name, value in _checked(draft).items():
        setattr(note, name, value)
    note.updated_at = utcnow()
    audit.record(admin, AuditAction.FEASIBILITY_NOTE_EDITED, note, detail=note.specialisation.slug)
    db.session.commit()
