"""The Italian names of short labels: topics, clinic specialties and clinical populations.

Short labels are translated on one side-by-side page (each English name beside an
input for its Italian) rather than with revisions: a label is a few words, and its
history is in the audit log. Topics keep their Italian name on their row; a specialty
or a population, which is free text repeated across clinics, is translated once per
English name (matched ignoring case and accents, as the directory's filter matches).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditAction, Clinic, LabelKind, LabelTranslation, Topic, User
from forum.models.columns import utcnow
from forum.permissions import can_curate
from forum.services import audit
from forum.services.clinics import fold, split_list
from forum.services.errors import PermissionDenied, RuleViolation

MAX_TOPIC_NAME = 120  # Topic.name_it
MAX_LABEL_NAME = 200  # LabelTranslation.italian


@dataclass(frozen=True)
class LabelRow:
    """One label on the translation page: ``key`` names its input (``topic-3``,
    ``specialty-0``), ``english`` is the source, ``italian`` the translation or ''."""

    key: str
    kind: str  # "topic" or a LabelKind value
    english: str
    italian: str
    max_length: int


class ItalianNames:
    """The Italian names of specialties and populations, looked up by English name."""

    def __init__(self, rows) -> None:
        self._names = {(row.kind, fold(row.source)): row.italian for row in rows}

    def get(self, kind: LabelKind, english: str) -> str:
        return self._names.get((kind, fold(english)), "")

    def all_for(self, kind: LabelKind) -> list[str]:
        return [name for (found, _), name in self._names.items() if found == kind]


def italian_names() -> ItalianNames:
    """Every specialty's and population's Italian name. One query (a short table)."""
    return ItalianNames(db.session.scalars(select(LabelTranslation)))


def names_for(language: str) -> ItalianNames:
    """The Italian names for a reader of ``language``: read for Italian readers only,
    so English pages cost no query for them."""
    return italian_names() if language == "it" else ItalianNames(())


def translation_rows() -> list[LabelRow]:
    """Every topic, then every specialty and population the directory's clinics use
    (active or not), each with its Italian. Three queries."""
    topics = db.session.scalars(select(Topic).order_by(Topic.position, Topic.name))
    rows = [
        LabelRow(f"topic-{topic.id}", "topic", topic.name, topic.name_it, MAX_TOPIC_NAME)
        for topic in topics
    ]
    names = italian_names()
    clinics = db.session.execute(select(Clinic.specialties, Clinic.populations)).all()
    for kind, column in ((LabelKind.SPECIALTY, 0), (LabelKind.POPULATION, 1)):
        used = split_list(";".join(row[column] for row in clinics))
        for index, english in enumerate(sorted(used, key=fold)):
            rows.append(
                LabelRow(
                    f"{kind.value}-{index}",
                    kind.value,
                    english,
                    names.get(kind, english),
                    MAX_LABEL_NAME,
                )
            )
    return rows


def save_translations(admin: User, italian: Mapping[str, str]) -> int:
    """Save the Italian names typed on the page (keyed as ``LabelRow.key``); returns how
    many changed. An empty name removes the translation (readers get the English again).

    Raises PermissionDenied for non-admins, RuleViolation (field = the key) for a name
    over its length. Audited once, with the number of names changed.
    """
    if not can_curate(admin):
        raise PermissionDenied(_l("Only the centre's admins translate the labels."))
    rows = {row.key: row for row in translation_rows()}
    for key, name in italian.items():
        row = rows.get(key)
        if row is not None and len(" ".join(name.split())) > row.max_length:
            raise RuleViolation(
                _l("At most %(count)d characters.", count=row.max_length), field=key
            )
    changed = 0
    topics = {topic.id: topic for topic in db.session.scalars(select(Topic))}
    stored = {
        (entry.kind, fold(entry.source)): entry
        for entry in db.session.scalars(select(LabelTranslation))
    }
    for key, name in italian.items():
        row = rows.get(key)
        name = " ".join(name.split())
        if row is None or name == row.italian:
            continue
        changed += 1
        if row.kind == "topic":
            topics[int(key.removeprefix("topic-"))].name_it = name
            continue
        kind = LabelKind(row.kind)
        entry = stored.get((kind, fold(row.english)))
        if not name:
            if entry is not None:
                db.session.delete(entry)
        elif entry is None:
            db.session.add(
                LabelTranslation(
                    kind=kind, source=row.english, italian=name, updated_by_id=admin.id
                )
            )
        else:
            entry.italian, entry.updated_by_id, entry.updated_at = name, admin.id, utcnow()
    if changed:
        audit.record(
            admin, AuditAction.LABELS_TRANSLATED, admin, detail=f"{changed} Italian names changed"
        )
        db.session.commit()
    return changed
