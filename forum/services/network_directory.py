"""The Lombardy-Limburg network's directory: reading it as each reader may, and writing
profiles (admins curate every profile; an organisation's people create and edit their own).

Who sees what is ``forum/network_access.py``'s: a listed profile is public, an unlisted one
is its organisation's and the admins'; the list's SQL condition below says the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import exists, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from forum.extensions import db
from forum.models import (
    AuditAction,
    Capability,
    NetworkProfile,
    NetworkRegion,
    Organisation,
    OrganisationKind,
    Specialisation,
    User,
    profile_offer,
    profile_specialisation,
)
from forum.models.columns import utcnow
from forum.network_access import (
    can_create_own_profile,
    can_edit_profile,
    can_manage_network,
    can_see_profile,
)
from forum.services import audit, organisations
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.organisations import OrganisationDraft

MAX_CITY = 120
MAX_CONTACT_NAME = 120
MAX_EMAIL = 254
MAX_PHONE = 40
MAX_TEXT = 5000
MAX_QUERY = 200
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
PHONE = re.compile(r"\+?[0-9 ()./-]{5,40}")


@dataclass(frozen=True)
class ProfileDraft:
    """What a form or a spreadsheet row says of a profile; ``clean`` checks it."""

    region: NetworkRegion
    city: str = ""
    listed: bool = False
    description: str = ""
    offer_text: str = ""
    need_text: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    specialisation_ids: list[int] = field(default_factory=list)
    offer_ids: list[int] = field(default_factory=list)
    need_ids: list[int] = field(default_factory=list)


def _line(text: str) -> str:
    return " ".join((text or "").split())


def _text(text: str) -> str:
    # Paragraphs are kept (the page shows them as such); only the ends are trimmed.
    return (text or "").replace("\r\n", "\n").strip()


def problems(draft: ProfileDraft) -> list[RuleViolation]:
    """Everything wrong with the draft, each on its field (the import reports them all)."""
    found = []
    if not isinstance(draft.region, NetworkRegion):
        found.append(RuleViolation(_l("Choose the region from the list."), field="region"))
    if len(_line(draft.city)) > MAX_CITY:
        found.append(RuleViolation(_l("At most %(count)d characters.", count=MAX_CITY), "city"))
    for name in ("description", "offer_text", "need_text"):
        if len(_text(getattr(draft, name))) > MAX_TEXT:
            found.append(RuleViolation(_l("At most %(count)d characters.", count=MAX_TEXT), name))
    if len(_line(draft.contact_name)) > MAX_CONTACT_NAME:
        found.append(
            RuleViolation(
                _l("At most %(count)d characters.", count=MAX_CONTACT_NAME), "contact_name"
            )
        )
    email = _line(draft.contact_email)
    if email and (len(email) > MAX_EMAIL or not EMAIL.fullmatch(email)):
        found.append(
            RuleViolation(
                _l("%(email)s is not an e-mail address.", email=email), field="contact_email"
            )
        )
    phone = _line(draft.contact_phone)
    if phone and not PHONE.fullmatch(phone):
        found.append(
            RuleViolation(
                _l("Write the phone number with digits, spaces and a leading + only."),
                field="contact_phone",
            )
        )
    for name, model in (
        ("specialisation_ids", Specialisation),
        ("offer_ids", Capability),
        ("need_ids", Capability),
    ):
        ids = set(getattr(draft, name))
        if ids and len(db.session.scalars(select(model.id).where(model.id.in_(ids))).all()) != len(
            ids
        ):
            found.append(RuleViolation(_l("Choose terms from the list."), field=name))
    return found


def fill_profile(profile: NetworkProfile, draft: ProfileDraft, actor: User | None) -> None:
    """Write the draft into the profile, checked first; not committed (the import writes
    many rows in one transaction). Raises the first of ``problems`` as RuleViolation."""
    # A new profile may be in the session already, its region not yet set: reading the
    # terms must not flush it half-filled.
    with db.session.no_autoflush:
        found = problems(draft)
        if found:
            raise found[0]
        profile.region = draft.region
        profile.city = _line(draft.city)
        profile.listed = bool(draft.listed)
        profile.description = _text(draft.description)
        profile.offer_text = _text(draft.offer_text)
        profile.need_text = _text(draft.need_text)
        profile.contact_name = _line(draft.contact_name)
        profile.contact_email = _line(draft.contact_email).lower()
        profile.contact_phone = _line(draft.contact_phone)
        profile.specialisations = _terms(Specialisation, draft.specialisation_ids)
        profile.offers = _terms(Capability, draft.offer_ids)
        profile.needs = _terms(Capability, draft.need_ids)
        profile.updated_at = utcnow()
        profile.updated_by_id = actor.id if actor is not None else None


def _terms(model, ids: list[int]) -> list:
    if not ids:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(set(ids)))))


def draft_of(profile: NetworkProfile) -> ProfileDraft:
    """The profile as a draft (an edit form's starting values)."""
    return ProfileDraft(
        region=profile.region,
        city=profile.city,
        listed=profile.listed,
        description=profile.description,
        offer_text=profile.offer_text,
        need_text=profile.need_text,
        contact_name=profile.contact_name,
        contact_email=profile.contact_email,
        contact_phone=profile.contact_phone,
        specialisation_ids=[term.id for term in profile.specialisations],
        offer_ids=[term.id for term in profile.offers],
        need_ids=[term.id for term in profile.needs],
    )


# --- writing -----------------------------------------------------------------------------


def create_profile(actor: User, organisation: Organisation, draft: ProfileDraft) -> NetworkProfile:
    """Put the organisation in the directory; audited; commits.

    Raises PermissionDenied unless the actor is an admin or one of the organisation's
    people (``can_create_own_profile``); RuleViolation (field ``organisation``) when it has
    a profile already, or on the draft's field at fault.
    """
    if organisation.network_profile is not None:
        raise RuleViolation(
            _l("%(name)s is in the directory already.", name=organisation.name),
            field="organisation",
        )
    if not (can_manage_network(actor) or can_create_own_profile(actor, organisation)):
        raise PermissionDenied(_l("You may not add this organisation to the directory."))
    name = organisation.name  # the rollback below expires it
    profile = NetworkProfile(organisation=organisation)
    fill_profile(profile, draft, actor)
    db.session.add(profile)
    try:
        db.session.flush()
    except IntegrityError:
        # Two submissions at once (a double click, two colleagues): the unique organisation
        # lets one profile in; the other is told, not shown an error page.
        db.session.rollback()
        raise RuleViolation(
            _l("%(name)s is in the directory already.", name=name), field="organisation"
        ) from None
    audit.record(actor, AuditAction.NETWORK_PROFILE_CREATED, profile, detail=name)
    db.session.commit()
    return profile


def add_to_directory(
    actor: User,
    organisation_id: int | None,
    organisation_draft: OrganisationDraft,
    draft: ProfileDraft,
) -> NetworkProfile:
    """An admin puts an organisation in the directory: the one picked (``organisation_id``),
    else the one the draft names (found by name, whatever the case) or a new one made from
    it; audited; commits. Raises PermissionDenied for anyone but an admin, RuleViolation on
    the field at fault (``organisation`` for an unknown id or one with a profile already,
    ``organisation.<field>`` for the organisation draft's field ``organisations.clean``
    refuses, else the profile's)."""
    if not can_manage_network(actor):
        raise PermissionDenied(_l("Only admins add other organisations to the directory."))
    if organisation_id is not None:
        organisation = organisations.get(organisation_id)
        if organisation is None:
            raise RuleViolation(_l("Choose an organisation from the list."), field="organisation")
    else:
        try:
            organisation = organisations.find_or_create(organisation_draft)
        except RuleViolation as error:
            # The organisation's fields and the profile's share names ("region"): said apart.
            raise RuleViolation(error.message, field=f"organisation.{error.field}") from None
    return create_profile(actor, organisation, draft)


def update_profile(actor: User, profile: NetworkProfile, draft: ProfileDraft) -> NetworkProfile:
    """Save the profile (``can_edit_profile``: admins, or its organisation's people);
    audited; commits. Raises PermissionDenied, or RuleViolation on the field at fault."""
    if not can_edit_profile(actor, profile):
        raise PermissionDenied(_l("You may not edit this profile."))
    fill_profile(profile, draft, actor)
    audit.record(
        actor,
        AuditAction.NETWORK_PROFILE_UPDATED,
        profile,
        detail=f"{profile.organisation.name}; listed: {'yes' if profile.listed else 'no'}",
    )
    db.session.commit()
    return profile


def delete_profile(actor: User, profile: NetworkProfile) -> None:
    """Take the organisation out of the directory (the organisation itself stays); audited
    on the organisation; commits. Raises PermissionDenied for anyone but an admin."""
    if not can_manage_network(actor):
        raise PermissionDenied(_l("Only admins delete profiles."))
    organisation = profile.organisation
    db.session.delete(profile)
    audit.record(
        actor,
        AuditAction.NETWORK_PROFILE_DELETED,
        organisation,
        detail=f"profile #{profile.id} of {organisation.name}",
    )
    db.session.commit()


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    region: NetworkRegion | None = None
    kind: OrganisationKind | None = None
    specialisation_id: int | None = None
    offer_id: int | None = None  # a capability the organisation offers
    query: str = ""  # within the organisation's name


def visible_clause(viewer):
    """The SQL condition of ``can_see_profile``: listed, or the admins', or the viewer's
    own organisation's."""
    if can_manage_network(viewer):
        return NetworkProfile.id.is_not(None)
    own = (
        NetworkProfile.organisation_id == viewer.organisation_id
        if viewer is not None and viewer.is_authenticated and viewer.organisation_id is not None
        else false()
    )
    return or_(NetworkProfile.listed.is_(True), own)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_profiles(viewer, filters: DirectoryFilters, page: int, per_page: int) -> Pagination:
    """One page of the profiles the viewer may see that match the filters, by organisation
    name, each with its organisation and specialisations (three queries)."""
    statement = (
        select(NetworkProfile)
        .join(NetworkProfile.organisation)
        .where(visible_clause(viewer))
        .options(contains_eager(NetworkProfile.organisation))
        .options(selectinload(NetworkProfile.specialisations))
        .order_by(func.lower(Organisation.name), NetworkProfile.id)
    )
    if filters.region is not None:
        statement = statement.where(NetworkProfile.region == filters.region)
    if filters.kind is not None:
        statement = statement.where(Organisation.kind == filters.kind)
    if filters.specialisation_id is not None:
        statement = statement.where(
            exists().where(
                profile_specialisation.c.profile_id == NetworkProfile.id,
                profile_specialisation.c.term_id == filters.specialisation_id,
            )
        )
    if filters.offer_id is not None:
        statement = statement.where(
            exists().where(
                profile_offer.c.profile_id == NetworkProfile.id,
                profile_offer.c.term_id == filters.offer_id,
            )
        )
    query = _line(filters.query)[:MAX_QUERY]
    if query:
        statement = statement.where(func.lower(Organisation.name).like(_like(query), escape="\\"))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def get_profile(viewer, profile_id: int) -> NetworkProfile | None:
    """The profile with its organisation and terms, if the viewer may see it (one query
    for the profile and its organisation, one per list of terms)."""
    profile = db.session.scalar(
        select(NetworkProfile)
        .join(NetworkProfile.organisation)
        .where(NetworkProfile.id == profile_id)
        .options(
            contains_eager(NetworkProfile.organisation),
            selectinload(NetworkProfile.specialisations),
            selectinload(NetworkProfile.offers),
            selectinload(NetworkProfile.needs),
        )
    )
    if profile is None or not can_see_profile(viewer, profile):
        return None
    return profile


def profile_of(organisation: Organisation | None) -> NetworkProfile | None:
    """The organisation's profile, if it has one."""
    if organisation is None:
        return None
    return db.session.scalar(
        select(NetworkProfile).where(NetworkProfile.organisation_id == organisation.id)
    )
