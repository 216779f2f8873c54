"""The Lombardy-Limburg network's visits (issue 29): the admins record study visits and
individual visits (when, where, the programme, the organisations taking part, and once
held the notes and follow-ups); signed-in people register their interest in joining one,
and the admins read and export who did.

Who reads what is in ``forum/network_access.py``; the pages ask it, and the services
check the admins' rule again (they are also called by the demo and the tests).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import calendar
from forum.extensions import db
from forum.labels import NETWORK_REGION_LABELS
from forum.models import (
    AuditAction,
    NetworkProfile,
    Organisation,
    StudyVisit,
    User,
    VisitInterest,
    VisitKind,
    VisitStatus,
)
from forum.models.columns import utcnow
from forum.network_access import can_manage_network, can_register_interest, can_see_profile
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.review.export import neutralise
from forum.services.typed_text import checked_text

MAX_TITLE = 200
MAX_PLACE = 200
MAX_TEXT = 10_000  # the programme, the notes, the follow-ups
MAX_INTEREST_NOTE = 1_000

REQUIRED = _l("This field is required.")


@dataclass(frozen=True)
class VisitDraft:
    """What the admins' form says of a visit; ``create_visit`` and ``update_visit`` check it."""

    kind: VisitKind
    title: str
    starts_on: date
    place: str
    ends_on: date | None = None
    host_profile_id: int | None = None
    programme: str = ""
    participant_ids: list[int] = field(default_factory=list)
    status: VisitStatus = VisitStatus.PLANNED
    registration_open: bool = True
    notes: str = ""
    follow_ups: str = ""


def _profiles(ids: list[int]) -> list[NetworkProfile]:
    wanted = set(ids)
    if not wanted:
        return []
    found = db.session.scalars(select(NetworkProfile).where(NetworkProfile.id.in_(wanted))).all()
    if len(found) != len(wanted):
        raise RuleViolation(
            _l("Choose the organisations from the directory's list."), field="participant_ids"
        )
    return sorted(found, key=lambda profile: profile.id)


def _checked(draft: VisitDraft, today: date) -> dict:
    """The draft's values, checked; raises RuleViolation on the field at fault."""
    values = {
        "kind": VisitKind(draft.kind),
        "status": VisitStatus(draft.status),
        "title": checked_text(draft.title, MAX_TITLE, "title", REQUIRED, one_line=False),
        "place": checked_text(draft.place, MAX_PLACE, "place", REQUIRED, one_line=False),
        "programme": checked_text(draft.programme, MAX_TEXT, "programme", one_line=False),
        "notes": checked_text(draft.notes, MAX_TEXT, "notes", one_line=False),
        "follow_ups": checked_text(draft.follow_ups, MAX_TEXT, "follow_ups", one_line=False),
        "starts_on": draft.starts_on,
        "ends_on": draft.ends_on,
        "registration_open": bool(draft.registration_open),
    }
    if draft.ends_on is not None and draft.ends_on < draft.starts_on:
        raise RuleViolation(_l("The visit cannot end before it starts."), field="ends_on")
    if values["status"] == VisitStatus.HELD and draft.starts_on > today:
        raise RuleViolation(
            _l("A visit that has not started yet cannot have been held."), field="status"
        )
    # Follow-ups are what the visit led to: before it is held there are none to record.
    if values["follow_ups"] and values["status"] != VisitStatus.HELD:
        raise RuleViolation(
            _l("Follow-ups are recorded once the visit is held: set its status to held."),
            field="follow_ups",
        )
    host = None
    if values["kind"] == VisitKind.INDIVIDUAL:
        if draft.host_profile_id is None:
            raise RuleViolation(
                _l("An individual visit has a host: choose the organisation visited."),
                field="host_profile_id",
            )
        host = db.session.get(NetworkProfile, draft.host_profile_id)
        if host is None:
            raise RuleViolation(
                _l("Choose the organisations from the directory's list."), field="host_profile_id"
            )
    values["host"] = host
    values["participants"] = _profiles(draft.participant_ids)
    return values


def create_visit(admin: User, draft: VisitDraft) -> StudyVisit:
    """Record a visit; audited. Raises PermissionDenied for anyone but the admins, and
    RuleViolation (with the field) for a missing title or place, an end before the start,
    a held visit in the future, follow-ups before it is held, an individual visit without
    its host, or an organisation not in the directory."""
    if not can_manage_network(admin):
        raise PermissionDenied(_l("Only the admins record the network's visits."))
    values = _checked(draft, calendar.today())
    visit = StudyVisit(created_by_id=admin.id, **values)
    db.session.add(visit)
    db.session.flush()
    audit.record(admin, AuditAction.STUDY_VISIT_CREATED, visit, detail=visit.title)
    db.session.commit()
    return visit


def update_visit(admin: User, visit: StudyVisit, draft: VisitDraft) -> None:
    """Save the admins' changes to a visit; audited. Raises as ``create_visit``."""
    if not can_manage_network(admin):
        raise PermissionDenied(_l("Only the admins record the network's visits."))
    values = _checked(draft, calendar.today())
    for name, value in values.items():
        setattr(visit, name, value)
    visit.updated_at = utcnow()
    audit.record(admin, AuditAction.STUDY_VISIT_UPDATED, visit, detail=visit.title)
    db.session.commit()


def _with_organisations():
    return (
        selectinload(StudyVisit.participants).selectinload(NetworkProfile.organisation),
        selectinload(StudyVisit.host).selectinload(NetworkProfile.organisation),
    )


def get_visit(visit_id: int) -> StudyVisit | None:
    """The visit with its host and participating organisations (three queries)."""
    return db.session.scalar(
        select(StudyVisit).where(StudyVisit.id == visit_id).options(*_with_organisations())
    )


def load_visit_page(visit_id: int) -> StudyVisit | None:
    """The visit, its organisations and everyone's registered interest with their people
    and organisations: a fixed number of queries, however many registered."""
    return db.session.scalar(
        select(StudyVisit)
        .where(StudyVisit.id == visit_id)
        .options(
            *_with_organisations(),
            selectinload(StudyVisit.interests).selectinload(VisitInterest.user),
            selectinload(StudyVisit.interests).selectinload(VisitInterest.organisation),
        )
    )


@dataclass(frozen=True)
class VisitLists:
    upcoming: list[StudyVisit]  # planned, from today on, soonest first
    past: list[StudyVisit]  # held, cancelled or gone by, latest first


def list_visits(today: date) -> VisitLists:
    """Every visit, upcoming and past, with their organisations (three queries)."""
    visits = db.session.scalars(
        select(StudyVisit)
        .options(*_with_organisations())
        .order_by(StudyVisit.starts_on, StudyVisit.id)
    ).all()

    def is_upcoming(visit: StudyVisit) -> bool:
        last_day = visit.ends_on or visit.starts_on
        return visit.status == VisitStatus.PLANNED and last_day >= today

    return VisitLists(
        upcoming=[visit for visit in visits if is_upcoming(visit)],
        past=[visit for visit in reversed(visits) if not is_upcoming(visit)],
    )


def visible_participants(user, visit: StudyVisit) -> list[NetworkProfile]:
    """The participating organisations ``user`` may see (an unlisted one only by its own
    people and the admins), by name."""
    return sorted(
        (profile for profile in visit.participants if can_see_profile(user, profile)),
        key=lambda profile: profile.organisation.name.casefold(),
    )


def registration_refusal(visit: StudyVisit) -> str | None:
    """Why nobody may register interest in the visit now, or None while they may."""
    if visit.status == VisitStatus.CANCELLED:
        return str(_l("This visit is cancelled."))
    if visit.status == VisitStatus.HELD:
        return str(_l("This visit has taken place."))
    if not visit.registration_open:
        return str(_l("Registration for this visit is closed."))
    return None


def interest_of(user, visit: StudyVisit) -> VisitInterest | None:
    """The interest ``user`` registered in the visit, if any (for the page's form)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return next((interest for interest in visit.interests if interest.user_id == user.id), None)


def register_interest(user: User, visit: StudyVisit, note: str) -> VisitInterest:
    """Record that ``user`` would like to join the visit, for their organisation, with a
    note. Raises PermissionDenied for a visitor; RuleViolation (field "note") when
    registration is closed, the visit cancelled or held, the note too long, or the person
    already registered (a second tab or a double submit: the first row stands)."""
    if not can_register_interest(user):
        raise PermissionDenied(_l("Log in to register your interest."))
    refusal = registration_refusal(visit)
    if refusal is not None:
        raise RuleViolation(refusal, field="note")
    text = checked_text(note, MAX_INTEREST_NOTE, "note", one_line=False)
    already = _l("You have already registered your interest in this visit.")
    existing = db.session.scalar(
        select(VisitInterest.id).where(
            VisitInterest.visit_id == visit.id, VisitInterest.user_id == user.id
        )
    )
    if existing is not None:
        raise RuleViolation(already, field="note")
    interest = VisitInterest(
        visit_id=visit.id, user_id=user.id, organisation_id=user.organisation_id, note=text
    )
    db.session.add(interest)
    try:
        db.session.commit()
    except IntegrityError:
        # Two requests passed the check at once; the unique constraint kept one row.
        db.session.rollback()
        raise RuleViolation(already, field="note") from None
    return interest


def withdraw_interest(user: User, visit: StudyVisit) -> bool:
    """Take back ``user``'s interest in the visit; False when there was none."""
    interest = db.session.scalar(
        select(VisitInterest).where(
            VisitInterest.visit_id == visit.id, VisitInterest.user_id == user.id
        )
    )
    if interest is None:
        return False
    db.session.delete(interest)
    db.session.commit()
    return True


INTEREST_COLUMNS = (
    _l("Name"),
    _l("E-mail"),
    _l("Organisation"),
    _l("Region in the network"),
    _l("Note"),
    _l("Registered on"),
)


def _organisation_cells(organisation: Organisation | None) -> tuple[str, str]:
    if organisation is None:
        return "", ""
    profile = organisation.network_profile
    region = NETWORK_REGION_LABELS[profile.region] if profile is not None else ""
    return organisation.name, str(region)


def interests_csv(admin: User, visit: StudyVisit) -> str:
    """The people who registered interest in the visit, as CSV (cells that a spreadsheet
    would read as a formula neutralised); the export is audited, as it holds personal
    data. Raises PermissionDenied for anyone but the admins."""
    if not can_manage_network(admin):
        raise PermissionDenied(_l("Only the admins export who registered interest."))
    interests = db.session.scalars(
        select(VisitInterest)
        .where(VisitInterest.visit_id == visit.id)
        .options(
            selectinload(VisitInterest.user),
            selectinload(VisitInterest.organisation).selectinload(Organisation.network_profile),
        )
        .order_by(VisitInterest.created_at, VisitInterest.id)
    ).all()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([neutralise(str(column)) for column in INTEREST_COLUMNS])
    for interest in interests:
        writer.writerow(
            [
                neutralise(cell)
                for cell in (
                    interest.user.display_name,
                    interest.user.email,
                    *_organisation_cells(interest.organisation),
                    interest.note,
                    calendar.day_of(interest.created_at).isoformat(),
                )
            ]
        )
    audit.record(
        admin,
        AuditAction.STUDY_VISIT_INTERESTS_EXPORTED,
        visit,
        detail=f"{len(interests)} · {visit.title}",
    )
    db.session.commit()
    return text.getvalue()


def profile_choices() -> list[tuple[int, str]]:
    """Every directory profile as (id, "name (region)") for the admins' forms, by name;
    the admins see unlisted profiles too."""
    rows = db.session.execute(
        select(NetworkProfile.id, Organisation.name, NetworkProfile.region)
        .join(Organisation, Organisation.id == NetworkProfile.organisation_id)
        .order_by(Organisation.name, NetworkProfile.id)
    ).all()
    return [
        (profile_id, f"{name} ({NETWORK_REGION_LABELS[region]})")
        for profile_id, name, region in rows
    ]
