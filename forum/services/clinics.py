"""The clinic directory: clinics and research hospitals the board refers members to.

Admins keep the directory (create, edit, deactivate, reactivate); everyone reads
the active clinics, admins also the inactive ones. A clinic's contact is for
experts and admins only (``permissions.can_see_clinic_contact``): the pages ask
that rule, the directory itself holds no secret.

Specialties and populations are stored as "a; b; c" lists. The directory is
small (tens of clinics, a few hundred at most), so a search loads the clinics
the database filters (activity, city, device studies) in one query and matches
the words and the specialty in Python: that folds accents and case the same
way on SQLite and PostgreSQL ("cantu" finds "Cantù").
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import AuditAction, Clinic, LabelKind, User
from forum.models.columns import utcnow
from forum.permissions import can_manage_clinics
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.search import terms as search_text

if TYPE_CHECKING:  # label_translations reads this module's lists
    from forum.services.label_translations import ItalianNames

MAX_NAME_LENGTH = 200
MAX_CITY_LENGTH = 120


# --- lists and folding -------------------------------------------------------------


def split_list(text: str | None) -> list[str]:
    """The entries of a stored or typed list (semicolons or line breaks), trimmed,
    without blanks or repeats (ignoring case and accents), in their order."""
    entries: list[str] = []
    seen: set[str] = set()
    for raw in (text or "").replace("\r", "\n").replace("\n", ";").split(";"):
        entry = " ".join(raw.split())
        if entry and fold(entry) not in seen:
            seen.add(fold(entry))
            entries.append(entry)
    return entries


def join_list(entries: list[str]) -> str:
    return "; ".join(entries)


def fold(text: str) -> str:
    """Text without accents, case-folded, for matching ("Città" → "citta")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


# --- reading -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClinicFilters:
    query: str = ""  # every word must appear in the name, city, specialties or populations
    city: str | None = None
    specialty: str | None = None
    device_studies_only: bool = False


@dataclass(frozen=True)
class ClinicPage:
    """One page of the directory, with the attributes of Flask-SQLAlchemy's Pagination
    that the templates use."""

    items: list[Clinic]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _visible(viewer):
    """The clinics the viewer may look up: all for admins, the active ones for others."""
    statement = select(Clinic)
    if not can_manage_clinics(viewer):
        statement = statement.where(Clinic.active.is_(True))
    return statement


def _matches(
    clinic: Clinic, words: list[str], specialty: str | None, italian: ItalianNames | None
) -> bool:
    if specialty and fold(specialty) not in {
        fold(entry) for entry in split_list(clinic.specialties)
    }:
        return False
    texts = [clinic.name, clinic.city, clinic.specialties, clinic.populations]
    if italian is not None:
        texts += [
            italian.get(LabelKind.SPECIALTY, entry) for entry in split_list(clinic.specialties)
        ]
        texts += [
            italian.get(LabelKind.POPULATION, entry) for entry in split_list(clinic.populations)
        ]
    haystack = fold(" ".join(texts))
    return all(word in haystack for word in words)


def list_clinics(
    viewer,
    filters: ClinicFilters,
    page: int = 1,
    per_page: int = 20,
    italian: ItalianNames | None = None,
) -> ClinicPage:
    """One page of the clinics the viewer may see that match the filters, by name.

    With ``italian`` (label_translations.italian_names()), the words typed also match
    the Italian names of the specialties and populations. One query whatever the filters.
    """
    statement = _visible(viewer)
    if filters.city:
        statement = statement.where(Clinic.city == filters.city)
    if filters.device_studies_only:
        statement = statement.where(Clinic.hosts_device_studies.is_(True))
    words = fold(filters.query).split()
    found = [
        clinic
        for clinic in db.session.scalars(statement)
        if _matches(clinic, words, filters.specialty, italian)
    ]
    found.sort(key=lambda clinic: (fold(clinic.name), clinic.id))
    page = max(page, 1)
    start = (page - 1) * per_page
    return ClinicPage(found[start : start + per_page], len(found), page, per_page)


def get_clinic(viewer, clinic_id: int) -> Clinic | None:
    """The clinic if the viewer may look it up (an inactive one only for admins), else None."""
    return db.session.scalar(_visible(viewer).where(Clinic.id == clinic_id))


def cities(viewer) -> list[str]:
    """The cities of the clinics the viewer may see, for the directory's filter."""
    statement = _visible(viewer).with_only_columns(Clinic.city).distinct()
    return sorted(db.session.scalars(statement), key=fold)


def specialties(viewer) -> list[str]:
    """Every specialty of the clinics the viewer may see, once each, for the filter.

    Spellings that differ only in case are one specialty, shown as the oldest entry
    writes it: the rows are read in that order (unordered, PostgreSQL's row order
    chose the spelling, and it changed from one run to the next)."""
    statement = (
        _visible(viewer)
        .with_only_columns(Clinic.specialties)
        .order_by(Clinic.created_at, Clinic.id)
    )
    merged = split_list(";".join(db.session.scalars(statement)))
    return sorted(merged, key=fold)


def referral_choices() -> list[Clinic]:
    """The active clinics an expert may refer to: those hosting device studies first,
    then by name."""
    found = db.session.scalars(select(Clinic).where(Clinic.active.is_(True)))
    return sorted(found, key=lambda clinic: (not clinic.hosts_device_studies, fold(clinic.name)))


@dataclass(frozen=True)
class Suggestion:
    """A clinic the referral form suggests, with the specialties and populations of its
    entry that the question's words and topics match."""

    clinic: Clinic
    matched: tuple[str, ...]


MAX_SUGGESTIONS = 3


def _terms(text: str) -> set[str]:
    return {term for word in search_text.words(text) for term in search_text.word_terms(word)}


def suggest_for_question(question, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """The active clinics whose specialties or clinical populations share words (stemmed,
    English or Italian, as search indexes them) with the question's title, text and
    topics: the most entries matched first, those hosting device studies before the
    others, then by name. One query (the clinics; the question's topics are loaded)."""
    wanted = _terms(
        " ".join([question.title, question.body, *(topic.name for topic in question.topics)])
    )
    suggestions = []
    for clinic in referral_choices():
        matched = tuple(
            entry
            for entry in split_list(clinic.specialties) + split_list(clinic.populations)
            if _terms(entry) & wanted
        )
        if matched:
            suggestions.append(Suggestion(clinic, matched))
    suggestions.sort(
        key=lambda found: (
            -len(found.matched),
            not found.clinic.hosts_device_studies,
            fold(found.clinic.name),
        )
    )
    return suggestions[:limit]


# --- the admins' changes -----------------------------------------------------------


@dataclass(frozen=True)
class ClinicDraft:
    """What an admin types; the lists as text, one entry per line or separated by
    semicolons."""

    name: str
    city: str
    specialties: str = ""
    populations: str = ""
    hosts_device_studies: bool = True
    description: str = ""
    description_it: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def _require_manager(actor: User) -> None:
    if not can_manage_clinics(actor):
        raise PermissionDenied(_l("Only the centre's admins keep the clinic directory."))


def _apply(clinic: Clinic, draft: ClinicDraft) -> None:
    name = " ".join(draft.name.split())
    city = " ".join(draft.city.split())
    if not name:
        raise RuleViolation(_l("Give the clinic's name."), field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise RuleViolation(_l("The name is too long."), field="name")
    if not city:
        raise RuleViolation(_l("Give the city the clinic is in."), field="city")
    if len(city) > MAX_CITY_LENGTH:
        raise RuleViolation(_l("The city is too long."), field="city")
    same_name = select(Clinic.id).where(func.lower(Clinic.name) == name.lower())
    if clinic.id is not None:
        same_name = same_name.where(Clinic.id != clinic.id)
    if db.session.scalar(same_name) is not None:
        raise RuleViolation(_l("Another clinic already has this name."), field="name")
    clinic.name = name
    clinic.city = city
    clinic.specialties = join_list(split_list(draft.specialties))
    clinic.populations = join_list(split_list(draft.populations))
    clinic.hosts_device_studies = bool(draft.hosts_device_studies)
    clinic.description = draft.description.strip()
    clinic.description_it = draft.description_it.strip()
    clinic.contact_name = draft.contact_name.strip()
    clinic.contact_email = draft.contact_email.strip()
    clinic.contact_phone = draft.contact_phone.strip()
    clinic.updated_at = utcnow()


def _flush_unique_name() -> None:
    """Flush, turning a name taken at the same moment by another admin into a message."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation(_l("Another clinic already has this name."), field="name") from None


def create_clinic(admin: User, draft: ClinicDraft) -> Clinic:
    """Add a clinic to the directory (active); audited.

    Raises PermissionDenied for non-admins, RuleViolation (with the field) for a
    missing name or city or a name another clinic has.
    """
    _require_manager(admin)
    clinic = Clinic(active=True)
    _apply(clinic, draft)
    db.session.add(clinic)
    _flush_unique_name()
    audit.record(admin, AuditAction.CLINIC_CREATED, clinic, detail=clinic.name)
    db.session.commit()
    return clinic


def update_clinic(clinic: Clinic, admin: User, draft: ClinicDraft) -> Clinic:
    """Change a clinic's details; audited. Raises as ``create_clinic``."""
    _require_manager(admin)
    _apply(clinic, draft)
    _flush_unique_name()
    audit.record(admin, AuditAction.CLINIC_UPDATED, clinic, detail="edited")
    db.session.commit()
    return clinic


def _set_active(clinic: Clinic, admin: User, active: bool) -> Clinic:
    _require_manager(admin)
    if clinic.active == active:
        return clinic
    clinic.active = active
    clinic.updated_at = utcnow()
    audit.record(
        admin, AuditAction.CLINIC_UPDATED, clinic, detail="reactivated" if active else "deactivated"
    )
    db.session.commit()
    return clinic


def deactivate(clinic: Clinic, admin: User) -> Clinic:
    """Take a clinic out of the directory and of the referral choices; its referrals stay
    and can still move on. Audited as an update. Raises PermissionDenied for non-admins."""
    return _set_active(clinic, admin, False)


def reactivate(clinic: Clinic, admin: User) -> Clinic:
    """Put a deactivated clinic back in the directory. Raises PermissionDenied for non-admins."""
    return _set_active(clinic, admin, True)
