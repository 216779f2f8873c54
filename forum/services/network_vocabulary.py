"""The network's two controlled vocabularies: specialisations (the fields organisations work
in) and capabilities (what they offer or seek). Admins add and rename terms; forms, the
directory's filters and the CSV import read them.

A term's slug is made once, from its English name, and never changes: CSV files and
bookmarked filters name terms by it, so a renamed term keeps answering to its old slug.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import AuditAction, Capability, Specialisation, User
from forum.network_access import can_manage_network
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation
from forum.slugs import slugify

MAX_NAME = 120
MAX_SLUG = 60


class Vocabulary(StrEnum):
    SPECIALISATIONS = "specialisations"
    CAPABILITIES = "capabilities"


MODELS: dict[Vocabulary, type] = {
    Vocabulary.SPECIALISATIONS: Specialisation,
    Vocabulary.CAPABILITIES: Capability,
}

Term = Specialisation | Capability


def fold(text: str) -> str:
    """A name as compared: accents, case and spacing set aside ("Sanità  digitale" is
    "sanita digitale")."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def terms(vocabulary: Vocabulary) -> list[Term]:
    """Every term of the vocabulary in the forms' order (one query)."""
    model = MODELS[vocabulary]
    return list(db.session.scalars(select(model).order_by(model.position, model.id)))


def get_term(vocabulary: Vocabulary, term_id: int) -> Term | None:
    return db.session.get(MODELS[vocabulary], term_id)


def choices(vocabulary: Vocabulary, locale: str | None) -> list[tuple[int, str]]:
    """(id, name in ``locale``) for each term, in the forms' order."""
    return [(term.id, term.name(locale)) for term in terms(vocabulary)]


def lookup(vocabulary: Vocabulary) -> dict[str, Term]:
    """Every term by its slug and by its English and Italian names, folded (``fold``): what
    a spreadsheet may write for it."""
    found: dict[str, Term] = {}
    for term in terms(vocabulary):
        for key in (term.slug, term.name_en, term.name_it):
            found[fold(key)] = term
    return found


def _clean_names(vocabulary: Vocabulary, name_en: str, name_it: str, term: Term | None):
    model = MODELS[vocabulary]
    cleaned = {}
    for field, text in (("name_en", name_en), ("name_it", name_it)):
        name = " ".join((text or "").split())
        if not name or len(name) > MAX_NAME:
            raise RuleViolation(
                _l("Give the name (1 to %(count)d characters).", count=MAX_NAME), field=field
            )
        column = getattr(model, field)
        clash = db.session.scalar(select(model).where(func.lower(column) == name.lower()))
        if clash is not None and clash is not term:
            raise RuleViolation(_l("Another term has this name."), field=field)
        cleaned[field] = name
    return cleaned["name_en"], cleaned["name_it"]


def _free_slug(vocabulary: Vocabulary, name_en: str) -> str:
    model = MODELS[vocabulary]
    base = slugify(name_en)[:MAX_SLUG].rstrip("-")
    taken = set(db.session.scalars(select(model.slug).where(model.slug.startswith(base))))
    slug, number = base, 2
    while slug in taken:
        suffix = f"-{number}"
        slug = base[: MAX_SLUG - len(suffix)] + suffix
        number += 1
    return slug


def add_term(actor: User, vocabulary: Vocabulary, name_en: str, name_it: str) -> Term:
    """Add a term at the end of the vocabulary, its slug made from the English name (made
    unique with a number); audited; commits.

    Raises PermissionDenied for anyone but an admin, RuleViolation (field ``name_en`` or
    ``name_it``) for a blank or overlong name or one another term has.
    """
    if not can_manage_network(actor):
        raise PermissionDenied(_l("Only admins keep the network's vocabularies."))
    name_en, name_it = _clean_names(vocabulary, name_en, name_it, None)
    model = MODELS[vocabulary]
    last = db.session.scalar(select(func.max(model.position))) or 0
    term = model(
        slug=_free_slug(vocabulary, name_en), name_en=name_en, name_it=name_it, position=last + 1
    )
    db.session.add(term)
    db.session.flush()
    audit.record(
        actor, AuditAction.NETWORK_TERM_ADDED, term, detail=f"{term.slug}: {name_en} / {name_it}"
    )
    db.session.commit()
    return term


def rename_term(actor: User, vocabulary: Vocabulary, term: Term, name_en: str, name_it: str):
    """Give the term new names in both languages (the slug stays); audited with the old
    and new names; commits. Raises as ``add_term`` does."""
    if not can_manage_network(actor):
        raise PermissionDenied(_l("Only admins keep the network's vocabularies."))
    name_en, name_it = _clean_names(vocabulary, name_en, name_it, term)
    detail = f"{term.slug}: {term.name_en} / {term.name_it} -> {name_en} / {name_it}"
    changed = (term.name_en, term.name_it) != (name_en, name_it)
    term.name_en, term.name_it = name_en, name_it
    if changed:
        audit.record(actor, AuditAction.NETWORK_TERM_RENAMED, term, detail=detail)
    db.session.commit()
    return term
