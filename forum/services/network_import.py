"""Importing the desk research's spreadsheet into the network's directory (CSV, UTF-8, comma
or semicolon as Excel writes it in Italy).

Every row is checked on its own and on the whole file (a name twice) before anything is
written; then the good rows are written in one transaction and the bad ones are reported
with their line and every reason, changing nothing. A row's organisation is found by name
(whatever the case) and updated, or created; so is its profile, so importing a corrected
file again updates rather than duplicates.

Columns (header row, any order, any case): ``name``, ``kind``, ``region`` are required;
``city``, ``province`` (an Italian province's two-letter code: else the city's province
when the city names one), ``country`` (a code or a name; by default the region's:
Lombardy IT, Limburg NL), ``website``, ``specialisations``, ``offers``, ``needs`` (terms by
slug, English or Italian name, separated by ";" or "|"), ``description``, ``offer_text``,
``need_text``, ``contact_name``, ``contact_email``, ``contact_phone``, ``listed``
(yes/no, sì/no, ja/nee, 1/0; blank is no) are optional.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from forum import italian_provinces
from forum.countries import country_choices, is_country
from forum.extensions import db
from forum.models import AuditAction, NetworkProfile, NetworkRegion, OrganisationKind, User
from forum.services import audit, network_directory, organisations
from forum.services.errors import RuleViolation
from forum.services.network_directory import ProfileDraft
from forum.services.network_vocabulary import Vocabulary, fold, lookup
from forum.services.organisations import OrganisationDraft

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED_COLUMNS = ("name", "kind", "region")
OPTIONAL_COLUMNS = (
    "city",
    "province",
    "country",
    "website",
    "specialisations",
    "offers",
    "needs",
    "description",
    "offer_text",
    "need_text",
    "contact_name",
    "contact_email",
    "contact_phone",
    "listed",
)
TERM_SEPARATORS = re.compile(r"[;|]")

# What a spreadsheet may write for each kind, region and yes/no, in English, Italian and
# Dutch (the two regions' desk researchers), compared folded.
KIND_WORDS = {
    OrganisationKind.SME: ("sme", "pmi", "mkb", "small or medium enterprise"),
    OrganisationKind.START_UP: ("start-up", "startup", "start up"),
    OrganisationKind.RESEARCH: (
        "research",
        "research organisation",
        "research organization",
        "research institute",
        "ente di ricerca",
        "istituto di ricerca",
        "onderzoeksinstituut",
    ),
    OrganisationKind.UNIVERSITY: ("university", "universita", "universiteit"),
    OrganisationKind.CLINIC: ("clinic", "clinica", "kliniek"),
    OrganisationKind.HOSPITAL: ("hospital", "ospedale", "ziekenhuis"),
    OrganisationKind.CLUSTER: ("cluster", "distretto"),
    OrganisationKind.PUBLIC_BODY: (
        "public-body",
        "public body",
        "ente pubblico",
        "pubblica amministrazione",
        "overheid",
    ),
}
REGION_WORDS = {
    NetworkRegion.LOMBARDY: ("lombardy", "lombardia", "lombardije"),
    NetworkRegion.LIMBURG: ("limburg", "limburgo"),
    NetworkRegion.OTHER: ("other", "elsewhere", "altro", "altrove", "anders"),
}
REGION_COUNTRY = {NetworkRegion.LOMBARDY: "IT", NetworkRegion.LIMBURG: "NL"}
YES = ("yes", "y", "si", "ja", "j", "true", "1", "x")
NO = ("", "no", "n", "nee", "false", "0")


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, no header, a missing column...)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RejectedRow:
    line: int
    name: str
    reasons: list[str]


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.rejected)} rejected" + (" (dry run: nothing saved)" if self.dry_run else "")
        )


@dataclass(frozen=True)
class _Row:
    line: int
    name: str
    kind: OrganisationKind
    organisation: OrganisationDraft
    profile: ProfileDraft


# --- reading the file ------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text. Raises ImportFileError for an empty file or one not in UTF-8
    (naming the line of the first bad byte)."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (line %(line)d). Save it as “CSV UTF-8” and "
                "import it again.",
                line=line,
            )
        ) from None


def _column_name(text: str) -> str:
    return "_".join(fold(text).replace("-", " ").split())


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The ignored columns and each data row (its first line, its cells by column).

    Raises ImportFileError for a file without a header, a header lacking a required
    column, a row of more cells than the header, or more than MAX_ROWS rows.
    """
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    last_line = 0
    try:
        for cells in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [_column_name(cell) for cell in cells]
                missing = [column for column in REQUIRED_COLUMNS if column not in header]
                if missing:
                    raise ImportFileError(
                        _(
                            "The header row (line %(line)d) lacks the columns: %(columns)s.",
                            line=start,
                            columns=", ".join(missing),
                        )
                    )
                continue
            if len(cells) > len(header):
                raise ImportFileError(
                    _(
                        "Line %(line)d has more cells than the header row: check its "
                        "separators and quotes.",
                        line=start,
                    )
                )
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(_("At most %(count)d rows per file.", count=MAX_ROWS))
            rows.append((start, dict(zip(header, (cell.strip() for cell in cells), strict=False))))
    except csv.Error as error:
        raise ImportFileError(
            _("Line %(line)d cannot be read: %(error)s", line=reader.line_num, error=str(error))
        ) from None
    if header is None:
        raise ImportFileError(_("The file is empty."))
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    return [column for column in header if column and column not in known], rows


# --- checking a row ---------------------------------------------------------------------


def _word_table(words: dict) -> dict[str, object]:
    return {fold(word): value for value, spellings in words.items() for word in spellings}


KINDS = _word_table(KIND_WORDS)
REGIONS = _word_table(REGION_WORDS)


def _country(text: str) -> str | None:
    if is_country(text.upper()):
        return text.upper()
    for locale in ("en", "it", "nl"):
        for code, name in country_choices(locale):
            if fold(name) == fold(text):
                return code
    return None


def _province(given: str, city: str) -> str | None:
    """The Italian province's code: the one given, else the province the city names
    ("Monza" is Monza e della Brianza's)."""
    if given:
        return given.upper()
    city = fold(city)
    if not city:
        return None
    for code, name in italian_provinces.province_choices():
        province = fold(name.split(" · ", 1)[1])
        if province == city or province.startswith(city + " "):
            return code
    return None


def _terms(text: str, table: dict, reasons: list[str]) -> list[int]:
    ids: list[int] = []
    for word in TERM_SEPARATORS.split(text):
        if not word.strip():
            continue
        term = table.get(fold(word))
        if term is None:
            reasons.append(_("unknown term “%(term)s”", term=word.strip()))
        elif term.id not in ids:
            ids.append(term.id)
    return ids


def _check_row(line: int, cells: dict[str, str], vocabularies) -> _Row | RejectedRow:
    specialisations, capabilities = vocabularies
    reasons: list[str] = []
    name = " ".join(cells.get("name", "").split())
    if not name:
        reasons.append(_("the name is missing"))
    kind = KINDS.get(fold(cells.get("kind", "")))
    if kind is None:
        reasons.append(_("unknown kind “%(kind)s”", kind=cells.get("kind", "")))
    region = REGIONS.get(fold(cells.get("region", "")))
    if region is None:
        reasons.append(_("unknown region “%(region)s”", region=cells.get("region", "")))
    country_text = cells.get("country", "")
    country = _country(country_text) if country_text else REGION_COUNTRY.get(region)
    if country is None:
        reasons.append(_("unknown country “%(country)s”", country=country_text))
    listed_text = fold(cells.get("listed", ""))
    if listed_text not in YES + NO:
        reasons.append(_("“listed” is yes or no, not “%(value)s”", value=cells.get("listed")))
    profile = ProfileDraft(
        region=region,
        city=cells.get("city", ""),
        listed=listed_text in YES,
        description=cells.get("description", ""),
        offer_text=cells.get("offer_text", ""),
        need_text=cells.get("need_text", ""),
        contact_name=cells.get("contact_name", ""),
        contact_email=cells.get("contact_email", ""),
        contact_phone=cells.get("contact_phone", ""),
        specialisation_ids=_terms(cells.get("specialisations", ""), specialisations, reasons),
        offer_ids=_terms(cells.get("offers", ""), capabilities, reasons),
        need_ids=_terms(cells.get("needs", ""), capabilities, reasons),
    )
    if region is not None:
        reasons.extend(str(problem.message) for problem in network_directory.problems(profile))
    organisation = OrganisationDraft(
        name=name,
        kind=kind,
        country=country or "",
        province=(
            _province(cells.get("province", ""), cells.get("city", ""))
            if country == organisations.ITALY
            else None
        ),
        website=cells.get("website") or None,
    )
    if name and kind is not None and country is not None:
        existing = organisations.find_by_name(name)
        if existing is not None:
            # An organisation already registered keeps its place and tax code: only its
            # kind and website come from the file.
            organisation = replace(
                organisations.draft_of(existing),
                kind=kind,
                website=organisation.website or existing.website,
            )
        try:
            if existing is None and country == organisations.ITALY and not organisation.province:
                raise RuleViolation(
                    _(
                        "no Italian province: give its two-letter code in the column "
                        "“province” (MI, BG...)"
                    ),
                    field="province",
                )
            organisation = organisations.clean(organisation)
        except RuleViolation as error:
            reasons.append(str(error.message))
    if reasons:
        return RejectedRow(line, name, reasons)
    return _Row(line, name, kind, organisation, profile)


# --- the import -------------------------------------------------------------------------


def import_csv(
    data: bytes, actor: User | None, *, dry_run: bool = False, source: str = ""
) -> ImportReport:
    """Import the file's rows into the directory (see the module's docstring); audited per
    profile written; commits once, or (``dry_run``) rolls everything back and reports
    what would be done.

    Raises ImportFileError when the file as a whole cannot be read; a bad row is in the
    report's ``rejected``, never raised.
    """
    ignored, rows = read_rows(decode(data))
    report = ImportReport(ignored_columns=ignored, dry_run=dry_run)
    vocabularies = (lookup(Vocabulary.SPECIALISATIONS), lookup(Vocabulary.CAPABILITIES))
    checked: list[_Row] = []
    first_line_of: dict[str, int] = {}
    for line, cells in rows:
        row = _check_row(line, cells, vocabularies)
        key = fold(row.name)
        if key and key in first_line_of:
            reason = _("the name is also on line %(line)d", line=first_line_of[key])
            row = RejectedRow(line, row.name, [*getattr(row, "reasons", []), reason])
        elif key:
            first_line_of[key] = line
        if isinstance(row, RejectedRow):
            report.rejected.append(row)
        else:
            checked.append(row)
    try:
        for row in checked:
            _write(row, actor, report, source)
        db.session.flush()
    except (IntegrityError, RuleViolation):
        # Checked above: only a change made meanwhile by someone else gets here.
        db.session.rollback()
        raise ImportFileError(
            _("The directory changed during the import; nothing was imported. Try again.")
        ) from None
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


def _write(row: _Row, actor: User | None, report: ImportReport, source: str) -> None:
    organisation = organisations.find_by_name(row.name)
    if organisation is None:
        organisation = organisations.find_or_create(row.organisation)
    else:
        organisation.kind = row.kind
        organisation.website = row.organisation.website
    profile = organisation.network_profile if organisation.id is not None else None
    created = profile is None
    if created:
        profile = NetworkProfile(organisation=organisation)
        db.session.add(profile)
    network_directory.fill_profile(profile, row.profile, actor)
    db.session.flush()
    (report.created if created else report.updated).append(organisation.name)
    where = f"{source or 'CSV'}, line {row.line}"
    audit.record(
        actor,
        AuditAction.NETWORK_PROFILE_IMPORTED,
        profile,
        detail=f"{'created' if created else 'updated'} from {where}",
    )
