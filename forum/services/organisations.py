"""Organisations: the details people give of the company or institute they belong to,
finding or adding one at registration, the admins' list, edit and merge of duplicates,
and the public page of an organisation's questions."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import countries, italian_provinces
from forum.extensions import db
from forum.models import AuditAction, Organisation, OrganisationKind, Question, User
from forum.permissions import visible_questions_clause
from forum.services import audit
from forum.services.errors import RuleViolation

ITALY = "IT"
MAX_NAME = 200
MAX_AREA = 80  # a province, county or region written by hand (outside Italy)
MAX_TAX_CODE = 30
MAX_WEBSITE = 300
# A codice fiscale of a person (a sole trader's): letters for the name and the birth
# place's letter, digits (or their letter substitutes, for homonyms) elsewhere.
PERSONAL_CODICE_FISCALE = re.compile(
    r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]"
)
FOREIGN_TAX_CODE = re.compile(r"[A-Z0-9][A-Z0-9 ./-]{1,29}")


@dataclass(frozen=True)
class OrganisationDraft:
    """What a form says of an organisation; ``clean`` checks and normalises it."""

    name: str
    kind: OrganisationKind
    country: str = ITALY
    province: str | None = None
    region: str | None = None
    tax_code: str | None = None
    website: str | None = None


def _blank_to_none(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text or None


def partita_iva_is_valid(digits: str) -> bool:
    """Eleven digits whose last is the check digit of the other ten (the Luhn sum over all
    eleven is a multiple of ten: odd places as they are, even places doubled, 9 taken
    from a double over 9). The rule goes back to the Finance Ministry's decree of 23
    December 1976 on the codice fiscale; it was checked here against published worked
    examples, not against the decree's text, which was not at hand."""
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, character in enumerate(digits):
        digit = int(character)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return total % 10 == 0


def _clean_tax_code(text: str | None, country: str) -> str | None:
    code = "".join((text or "").split()).upper()
    if not code:
        return None
    if country == ITALY:
        if code.startswith("IT") and code[2:].isdigit():
            code = code[2:]  # the VAT number as written for the EU (VIES), "IT" + the partita IVA
        if code.isdigit():
            if not partita_iva_is_valid(code):
                raise RuleViolation(
                    _l(
                        "This is not a valid partita IVA: it has 11 digits and "
                        "the last one is a check digit. Check for a typing "
                        "error."
                    ),
                    field="tax_code",
                )
            return code
        if not PERSONAL_CODICE_FISCALE.fullmatch(code):
            raise RuleViolation(
                _l(
                    "Give the partita IVA (11 digits) or the codice fiscale "
                    "(16 letters and digits)."
                ),
                field="tax_code",
            )
        return code
    if len(code) > MAX_TAX_CODE or not FOREIGN_TAX_CODE.fullmatch(code):
        raise RuleViolation(
            _l("Use letters and digits only, at most %(count)d.", count=MAX_TAX_CODE),
            field="tax_code",
        )
    return code


def _clean_website(text: str | None) -> str | None:
    address = (text or "").strip()
    if not address:
        return None
    if len(address) > MAX_WEBSITE:
        raise RuleViolation(_l("At most %(count)d characters.", count=MAX_WEBSITE), field="website")
    try:
        parts = urlsplit(address)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    # Credentials in a link ("https://bank.example@evil.example") only serve to mislead.
    if (
        parts is None
        or not port_ok
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or "." not in parts.hostname
        or "@" in parts.netloc
        or any(character.isspace() or ord(character) < 32 for character in address)
    ):
        raise RuleViolation(
            _l("Give the whole address of the website, beginning with https:// or http://."),
            field="website",
        )
    return address


def clean(draft: OrganisationDraft) -> OrganisationDraft:
    """The draft checked and normalised (spaces, capitals, the region of an Italian province).

    Raises RuleViolation on the field at fault (``name``, ``country``, ``province``,
    ``region``, ``tax_code``, ``website``): a name under two letters, an unknown country,
    an Italian organisation without a known province, a malformed partita IVA, codice
    fiscale or foreign tax number, a website that is not an http(s) address.
    """
    name = _blank_to_none(draft.name) or ""
    if len(name) < 2 or len(name) > MAX_NAME:
        raise RuleViolation(
            _l("Give the organisation's name (2 to %(count)d characters).", count=MAX_NAME),
            field="name",
        )
    country = (draft.country or "").strip().upper()
    if not countries.is_country(country):
        raise RuleViolation(_l("Choose a country from the list."), field="country")
    province, region = _blank_to_none(draft.province), _blank_to_none(draft.region)
    if country == ITALY:
        province = (province or "").upper()
        region = italian_provinces.region_of(province)
        if region is None:
            raise RuleViolation(_l("Choose the province from the list."), field="province")
    else:
        for field, value in (("province", province), ("region", region)):
            if value is not None and len(value) > MAX_AREA:
                raise RuleViolation(
                    _l("At most %(count)d characters.", count=MAX_AREA), field=field
                )
    return replace(
        draft,
        name=name,
        country=country,
        province=province,
        region=region,
        tax_code=_clean_tax_code(draft.tax_code, country),
        website=_clean_website(draft.website),
    )


def find_by_name(name: str) -> Organisation | None:
    """The organisation with this name, whatever its case and spacing."""
    name = " ".join(name.split())
    return db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.lower())
    )


def find_or_create(draft: OrganisationDraft) -> Organisation:
    """The organisation named in the draft (matched whatever the case), else a new one from
    the draft, checked by ``clean`` (which raises RuleViolation); not committed."""
    existing = find_by_name(draft.name)
    if existing is not None:
        return existing
    draft = clean(draft)
    organisation = Organisation(
        name=draft.name,
        kind=draft.kind,
        country=draft.country,
        province=draft.province,
        region=draft.region,
        tax_code=draft.tax_code,
        website=draft.website,
    )
    db.session.add(organisation)
    return organisation


def get(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def draft_of(organisation: Organisation) -> OrganisationDraft:
    return OrganisationDraft(
        name=organisation.name,
        kind=organisation.kind,
        country=organisation.country,
        province=organisation.province,
        region=organisation.region,
        tax_code=organisation.tax_code,
        website=organisation.website,
    )


def choices() -> list[tuple[int, str]]:
    """Every organisation's id and name, by name: the registration and profile select."""
    return [
        (row.id, row.name)
        for row in db.session.execute(
            select(Organisation.id, Organisation.name).order_by(func.lower(Organisation.name))
        )
    ]


# --- the admins' pages --------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationRow:
    organisation: Organisation
    members: int


def list_organisations(
    query: str, page: int, per_page: int
) -> tuple[Pagination, list[OrganisationRow]]:
    """One page of the organisations whose name, province, region or tax code contains
    ``query``, by name, each with its number of members (three queries)."""
    statement = select(Organisation).order_by(func.lower(Organisation.name), Organisation.id)
    query = " ".join(query.split())
    if query:
        pattern = (
            "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        statement = statement.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (
                        Organisation.name,
                        Organisation.province,
                        Organisation.region,
                        Organisation.tax_code,
                    )
                )
            )
        )
    pagination = db.paginate(statement, page=page, per_page=per_page, error_out=False)
    ids = [organisation.id for organisation in pagination.items]
    counts = (
        dict(
            db.session.execute(
                select(User.organisation_id, func.count(User.id))
                .where(User.organisation_id.in_(ids))
                .group_by(User.organisation_id)
            ).all()
        )
        if ids
        else {}
    )
    return pagination, [
        OrganisationRow(organisation, counts.get(organisation.id, 0))
        for organisation in pagination.items
    ]


def members(organisation: Organisation) -> list[User]:
    """The accounts belonging to the organisation, by name (admins' page)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == organisation.id)
            .order_by(func.lower(User.display_name), User.id)
        )
    )


# Italian legal forms, dropped when names are compared: "CardioFlow S.r.l." and
# "Cardioflow Srl" are one company written twice.
LEGAL_FORMS = ("srls", "srl", "spa", "sapa", "sas", "snc", "scarl", "scrl", "scpa", "onlus", "ets")


def _comparable(name: str) -> str:
    words = re.sub(r"[^\w\s]", "", name.casefold()).split()
    while words and words[-1] in LEGAL_FORMS:
        words.pop()
    return "".join(words)


def possible_duplicates(organisation: Organisation) -> list[Organisation]:
    """Other organisations that look like this one: the same name once case, punctuation
    and the legal form are set aside, or the same tax code (one query)."""
    mine = _comparable(organisation.name)
    return [
        other
        for other in db.session.scalars(
            select(Organisation)
            .where(Organisation.id != organisation.id)
            .order_by(func.lower(Organisation.name))
        )
        if _comparable(other.name) == mine
        or (organisation.tax_code and other.tax_code == organisation.tax_code)
    ]


def _name_taken(name: str, organisation: Organisation) -> None:
    other = find_by_name(name)
    if other is not None and other.id != organisation.id:
        raise RuleViolation(
            _l("Another organisation has this name: merge the two instead."), field="name"
        )


def _changes(before: OrganisationDraft, after: OrganisationDraft) -> str:
    names = ("name", "kind", "country", "province", "region", "tax_code", "website")
    return "; ".join(
        f"{name}: {getattr(before, name) or '-'} -> {getattr(after, name) or '-'}"
        for name in names
        if getattr(before, name) != getattr(after, name)
    )


def update_organisation(
    actor: User, organisation: Organisation, draft: OrganisationDraft
) -> Organisation:
    """Save the organisation's details (checked by ``clean``); audited with what changed;
    commits. Raises RuleViolation on the field at fault, or on ``name`` when another
    organisation has the name (they are to be merged instead)."""
    draft = clean(draft)
    _name_taken(draft.name, organisation)
    changes = _changes(draft_of(organisation), draft)
    for name in ("name", "kind", "country", "province", "region", "tax_code", "website"):
        setattr(organisation, name, getattr(draft, name))
    if changes:
        audit.record(actor, AuditAction.ORGANISATION_UPDATED, organisation, detail=changes[:2000])
    db.session.commit()
    return organisation


def _references_to_organisations():
    """Every column of the schema that points to an organisation: a merge moves them all,
    so a table added later (a funded project's beneficiaries, say) is not left behind."""
    target = Organisation.__table__
    for table in db.metadata.sorted_tables:
        for foreign_key in table.foreign_keys:
            if foreign_key.column.table is target and table is not target:
                yield table, foreign_key.parent


def merge(actor: User, duplicate: Organisation, kept: Organisation) -> int:
    """Merge ``duplicate`` into ``kept``: its members and everything else pointing to it
    move to ``kept``, and it is deleted; audited on ``kept`` with the duplicate's name,
    id and the members moved; commits. Returns the number of members moved.

    Raises RuleViolation (field ``into``) when the two are the same organisation, or when
    a record allows an organisation only once and names both.
    """
    if duplicate.id == kept.id:
        raise RuleViolation(_l("Choose another organisation to merge this one into."), field="into")
    moved_members = (
        db.session.scalar(select(func.count(User.id)).where(User.organisation_id == duplicate.id))
        or 0
    )
    detail = f"merged #{duplicate.id} {duplicate.name!r}: {moved_members} member(s) moved"
    try:
        for table, column in _references_to_organisations():
            db.session.execute(
                update(table).where(column == duplicate.id).values({column.name: kept.id})
            )
        db.session.expire_all()
        db.session.delete(db.session.get(Organisation, duplicate.id))
        audit.record(actor, AuditAction.ORGANISATIONS_MERGED, kept, detail=detail)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation(
            _l("A record names both organisations and allows only one: edit it first, then merge."),
            field="into",
        ) from None
    return moved_members


# --- the public page --------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationPage:
    organisation: Organisation
    questions: Pagination  # its members' questions that anyone may read, newest first


def load_page(organisation_id: int, page: int, per_page: int) -> OrganisationPage | None:
    """The organisation and one page of its members' questions, or None if there is none.

    The questions are those a visitor may read, whoever asks: a confidential question
    is never listed nor counted here, even for its author, an expert or an admin, since
    the page is about the organisation, not the reader. Four queries.
    """
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        return None
    statement = (
        select(Question)
        .join(User, User.id == Question.author_id)
        .where(
            User.organisation_id == organisation.id, visible_questions_clause(AnonymousUserMixin())
        )
        .options(selectinload(Question.author), selectinload(Question.topics))
        .order_by(Question.created_at.desc(), Question.id.desc())
    )
    questions = db.paginate(statement, page=page, per_page=per_page, error_out=False)
    return OrganisationPage(organisation, questions)
