"""Citations: which texts cite which regulation clause, kept in step with the texts.

A citation is recognised in the forms the guide and the board write them:
"MDR Art. 70", "IVDR Art. 58(1)", "MDR Annex XV", "ISO 14155 Annex A",
"MDCG 2021-6", "D.Lgs. 137/2022 Art. 16", "GDPR Art. 9". Paragraphs are
folded into their article ("MDR Art. 70(1)" cites "MDR Art. 70"), so a clause
page gathers everything on that article.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import delete

from forum.extensions import db
from forum.models import Citation
from forum.slugs import slugify

SUBJECT_TYPES = ("answer", "board-answer", "faq-entry", "guide-section")

_CLAUSE_PATTERNS = [
    # Regulations by article (paragraph and letter dropped), and their annexes.
    re.compile(r"\b(MDR|IVDR|GDPR|CTR) Art(?:icle|\.)\s?(\d+[a-z]?)"),
    re.compile(r"\b(MDR|IVDR) Annex ([IVX]+)\b"),
    # Standards, with an annex when one is named.
    re.compile(r"\b((?:EN )?ISO \d{4,5}(?:-\d+)?)(?::\d{4})?(?: (Annex [A-Z]))?\b"),
    # MDCG guidance documents.
    re.compile(r"\b(MDCG \d{4}-\d+(?:/\d+)?)\b"),
    # Italian legislative decrees by article.
    re.compile(r"\b(D\.\s?Lgs\.\s?\d+/\d{4}) Art\.\s?(\d+)"),
]


def _clause_from(match: re.Match) -> str:
    pattern = match.re.pattern
    if "Art(?:icle" in pattern:
        return f"{match.group(1)} Art. {match.group(2)}"
    if "Annex ([IVX]+)" in pattern:
        return f"{match.group(1)} Annex {match.group(2)}"
    if "ISO" in pattern:
        standard = match.group(1).removeprefix("EN ")
        return f"{standard} {match.group(2)}" if match.group(2) else standard
    if "D\\.\\s?Lgs" in pattern:
        decree = re.sub(r"D\.\s?Lgs\.\s?", "D.Lgs. ", match.group(1))
        return f"{decree} Art. {match.group(2)}"
    return match.group(1)


def extract_clauses(text: str) -> dict[str, str]:
    """The clauses a text cites, as {slug: clause as shown}, in order of first mention."""
    found: dict[str, str] = {}
    for pattern in _CLAUSE_PATTERNS:
        for match in pattern.finditer(text or ""):
            clause = _clause_from(match)
            found.setdefault(clause_slug(clause), clause)
    return found


def clause_slug(clause: str) -> str:
    return slugify(clause.replace("/", "-"))


def index_subject(subject_type: str, subject_id: int, texts: Iterable[str],
                  question_id: int | None = None) -> None:
    """Replace the citations recorded for one text (not committed).

    ``texts`` are the parts of the subject a reader sees (title and body, say).
    """
    if subject_type not in SUBJECT_TYPES:
        raise ValueError(f"unknown citation subject {subject_type!r}")
    remove_subject(subject_type, subject_id)
    clauses: dict[str, str] = {}
    for text in texts:
        for slug, clause in extract_clauses(text).items():
            clauses.setdefault(slug, clause)
    for slug, clause in clauses.items():
        db.session.add(Citation(
            clause=clause, clause_slug=slug, subject_type=subject_type,
            subject_id=subject_id, question_id=question_id,
        ))


def remove_subject(subject_type: str, subject_id: int) -> None:
    """Forget the citations of a text that is gone or no longer shown (not committed)."""
    db.session.execute(delete(Citation).where(
        Citation.subject_type == subject_type, Citation.subject_id == subject_id
    ))
