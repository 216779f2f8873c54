"""The demo's network visits and feasibility notes (issue 29), on whatever listed profiles
the directory's demo made: a Lombard delegation's study visit to Maastricht, held some
weeks ago, with its notes and follow-ups; the return visit to Milan, open for
registration; an individual visit of one Lombard organisation to a Limburg one. And a few
of the feasibility study's decisions per theme.

Everything is fictional: no real person is named, no deadline or fee is stated. Each
function goes through the services (so the audit log is the real one) and adds nothing
that is already there, so loading the demo twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum import calendar
from forum.extensions import db
from forum.models import (
    FeasibilityNote,
    NetworkProfile,
    NetworkRegion,
    Organisation,
    Role,
    Specialisation,
    StudyVisit,
    User,
    VisitKind,
    VisitStatus,
)
from forum.services import feasibility, study_visits
from forum.services.feasibility import NoteDraft
from forum.services.study_visits import VisitDraft

MIN_LISTED_PROFILES = 4

DELEGATION_TITLE = "Lombard delegation to the Maastricht health campus"
RETURN_TITLE = "Return visit of Limburg organisations to Milan"
INDIVIDUAL_TITLE = "Individual visit: a Lombard lab at a Limburg partner"


def _admin(admin: User | None) -> User | None:
    if admin is not None:
        return admin
    return db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))


def _listed_profiles() -> dict[NetworkRegion, list[NetworkProfile]]:
    profiles = db.session.scalars(
        select(NetworkProfile)
        .join(Organisation, Organisation.id == NetworkProfile.organisation_id)
        .where(NetworkProfile.listed.is_(True))
        .order_by(Organisation.name)
    ).all()
    by_region: dict[NetworkRegion, list[NetworkProfile]] = {region: [] for region in NetworkRegion}
    for profile in profiles:
        by_region[profile.region].append(profile)
    return by_region


def _exists(title: str) -> bool:
    return db.session.scalar(select(StudyVisit.id).where(StudyVisit.title == title)) is not None


def _split(by_region) -> tuple[list[NetworkProfile], list[NetworkProfile]]:
    """Lombard and Limburg organisations; when one region has too few, the listed
    organisations of elsewhere make up the other side, so the demo shows both kinds."""
    lombard, limburg = by_region[NetworkRegion.LOMBARDY], by_region[NetworkRegion.LIMBURG]
    others = by_region[NetworkRegion.OTHER]
    if len(lombard) < 2 or len(limburg) < 2:
        everyone = lombard + limburg + others
        half = len(everyone) // 2
        return everyone[:half], everyone[half:]
    return lombard, limburg


def seed_study_visits(admin: User | None = None) -> int:
    """Add the demo's three visits (those not there yet); how many were added. Nothing
    when the directory lists fewer than four organisations or there is no admin."""
    admin = _admin(admin)
    by_region = _listed_profiles()
    if admin is None or sum(len(profiles) for profiles in by_region.values()) < MIN_LISTED_PROFILES:
        return 0
    lombard, limburg = _split(by_region)
    today = calendar.today()
    held_on = today - timedelta(days=70)
    drafts = [
        VisitDraft(
            kind=VisitKind.STUDY_VISIT,
            title=DELEGATION_TITLE,
            starts_on=held_on,
            ends_on=held_on + timedelta(days=1),
            place="Maastricht, health campus",
            programme=(
                "Day one: welcome by the campus, tour of the biomaterials and regenerative "
                "medicine labs, short pitches by each Lombard organisation.\n\n"
                "Day two: the university hospital's clinical trial unit, then one-to-one "
                "meetings arranged from the directory's offers and needs."
            ),
            participant_ids=[profile.id for profile in lombard[:4] + limburg[:2]],
            status=VisitStatus.HELD,
            registration_open=False,
            notes=(
                "Eleven people from five Lombard organisations took part. The campus showed "
                "its shared cleanroom and its pilot line for implant coatings; the hospital's "
                "trial unit explained how it works with start-ups on first-in-human studies.\n\n"
                "The one-to-one meetings matched three pairs with a clear common interest."
            ),
            follow_ups=(
                "Two pairs meet again online to sketch a joint project idea.\n\n"
                "The campus sends its conditions of access to the cleanroom to the network's "
                "admins, who share them with the members.\n\n"
                "The return visit to Milan is planned for the coming months."
            ),
        ),
        VisitDraft(
            kind=VisitKind.STUDY_VISIT,
            title=RETURN_TITLE,
            starts_on=today + timedelta(days=45),
            ends_on=today + timedelta(days=46),
            place="Milan, innovation district",
            programme=(
                "Day one: the Lombard research hospitals' clinical research offices and a "
                "regulatory session with the centre's experts.\n\n"
                "Day two: visits to Lombard companies and labs chosen by the delegation."
            ),
            participant_ids=[profile.id for profile in limburg[:3]],
            status=VisitStatus.PLANNED,
            registration_open=True,
            notes="Members of both regions may register their interest on this page.",
        ),
        VisitDraft(
            kind=VisitKind.INDIVIDUAL,
            title=INDIVIDUAL_TITLE,
            starts_on=today + timedelta(days=20),
            place="Limburg, at the host's site",
            host_profile_id=limburg[-1].id,
            programme="A day in the host's testing lab to plan a joint validation study.",
            participant_ids=[lombard[-1].id, limburg[-1].id],
            status=VisitStatus.PLANNED,
            registration_open=False,
        ),
    ]
    added = 0
    for draft in drafts:
        if not _exists(draft.title):
            study_visits.create_visit(admin, draft)
            added += 1
    return added


FEASIBILITY_NOTES = (
    (
        "regenerative-medicine",
        200,
        "Steering group of the Lombardy–Limburg partnership",
        "Link the Lombard cell-therapy and tissue-engineering labs with Limburg's "
        "biomaterials scale-up facilities first: the two sides complement each other, and "
        "a joint pilot line is a realistic first project.",
    ),
    (
        "digital-health",
        120,
        "Joint working group on digital health",
        "Start with remote monitoring after discharge: Lombard hospitals bring the "
        "patient cohorts, Limburg's living labs the usability testing at home. Data "
        "sharing across the border is studied before any joint proposal.",
    ),
    (
        "orthopaedics",
        40,
        "Steering group of the Lombardy–Limburg partnership",
        "Orthopaedic implants are kept as a second wave, after the delegation's visit: "
        "the Limburg partners asked to see the Lombard manufacturers' quality systems first.",
    ),
)


def seed_feasibility_notes(admin: User | None = None) -> int:
    """Add the demo's feasibility notes on themes that have none yet; how many were added."""
    admin = _admin(admin)
    if admin is None:
        return 0
    today = calendar.today()
    added = 0
    for slug, days_ago, decided_by, decision in FEASIBILITY_NOTES:
        theme = db.session.scalar(select(Specialisation).where(Specialisation.slug == slug))
        if theme is None:
            continue
        noted = db.session.scalar(
            select(FeasibilityNote.id).where(FeasibilityNote.specialisation_id == theme.id)
        )
        if noted is None:
            feasibility.add_note(
                admin, theme, NoteDraft(decision, today - timedelta(days=days_ago), decided_by)
            )
            added += 1
    return added
