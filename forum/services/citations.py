"""Citations: which texts cite which regulation clause, kept in step with the texts.

A citation is recognised in the forms the guide and the board write them:
"MDR Art. 70", "IVDR Art. 58(1)", "MDR Annex XV", "ISO 14155 Annex A",
"MDCG 2021-6", "D.Lgs. 137/2022 Art. 16", "GDPR Art. 9". Paragraphs are
folded into their article ("MDR Art. 70(1)" cites "MDR Art. 70"), so a clause
page gathers everything on that article. Texts are hard-wrapped, so a citation
may run over a line break (not over a blank line).

The stored index is kept in step with what readers see by services/content.py
(through ``index_subject`` and ``remove_subjects``), where each citing kind of text
is registered with its subject type (one of ``SUBJECT_TYPES``); the read side (the
clause list and a clause page) applies the same visibility rules as the pages the
texts come from, in SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import contains_eager

from forum.extensions import db
from forum.models import (
    Answer,
    BoardAnswer,
    BoardAnswerStatus,
    Citation,
    FaqEntry,
    GuideSection,
    Question,
    Topic,
)
from forum.permissions import visible_questions_clause
from forum.slugs import slugify

SUBJECT_TYPES = ("answer", "board-answer", "faq-entry", "guide-section")

# A space in the patterns below stands for any run of spaces and tabs, which may
# include one line break (texts are hard-wrapped) but not a blank line.
_GAP = r"(?:[ \t]|\n(?![ \t]*\n))+"


def _compiled(pattern: str) -> re.Pattern:
    return re.compile(
        pattern.replace(" ?", "\x00").replace(" ", _GAP).replace("\x00", f"(?:{_GAP})?")
    )


_CLAUSE_PATTERNS = [
    # Regulations by article (paragraph and letter dropped), and their annexes.
    _compiled(r"\b(MDR|IVDR|GDPR|CTR) Art(?:icle|\.) ?(\d+[a-z]?)"),
    _compiled(r"\b(MDR|IVDR) Annex ([IVX]+)\b"),
    # Standards, with an annex when one is named.
    _compiled(r"\b((?:EN )?ISO \d{4,5}(?:-\d+)?)(?::\d{4})?(?: (Annex [A-Z]))?\b"),
    # MDCG guidance documents.
    _compiled(r"\b(MDCG \d{4}-\d+(?:/\d+)?)\b"),
    # Italian legislative decrees by article.
    _compiled(r"\b(D\. ?Lgs\. ?\d+/\d{4}) Art\. ?(\d+)"),
]
_ARTICLE, _ANNEX, _STANDARD, _GUIDANCE, _DECREE = _CLAUSE_PATTERNS


def _clause_from(match: re.Match) -> str:
    groups = [" ".join(group.split()) if group else group for group in match.groups()]
    if match.re is _ARTICLE:
        return f"{groups[0]} Art. {groups[1]}"
    if match.re is _ANNEX:
        return f"{groups[0]} Annex {groups[1]}"
    if match.re is _STANDARD:
        standard = groups[0].removeprefix("EN ")
        return f"{standard} {groups[1]}" if groups[1] else standard
    if match.re is _DECREE:
        decree = re.sub(r"D\.\s*Lgs\.\s*", "D.Lgs. ", groups[0])
        return f"{decree} Art. {groups[1]}"
    return groups[0]


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


def index_subject(
    subject_type: str, subject_id: int, texts: Iterable[str], question_id: int | None = None
) -> None:
    """Replace the citations recorded for one text (not committed).

    ``texts`` are the parts of the subject a reader sees (title and body, say).
    """
    if subject_type not in SUBJECT_TYPES:
        raise ValueError(f"unknown citation subject {subject_type!r}")
    remove_subjects(subject_type, [subject_id])
    _add_citations(subject_type, subject_id, texts, question_id)


def _clauses_of(texts: Iterable[str]) -> dict[str, str]:
    clauses: dict[str, str] = {}
    for text in texts:
        for slug, clause in extract_clauses(text).items():
            clauses.setdefault(slug, clause)
    return clauses


def _add_citations(
    subject_type: str, subject_id: int, texts: Iterable[str], question_id: int | None
) -> None:
    for slug, clause in _clauses_of(texts).items():
        db.session.add(
            Citation(
                clause=clause,
                clause_slug=slug,
                subject_type=subject_type,
                subject_id=subject_id,
                question_id=question_id,
            )
        )


def remove_subjects(subject_type: str, subject_ids: list[int]) -> None:
    """Forget, in one statement, the citations of texts that are gone or no longer shown
    (not committed)."""
    db.session.execute(
        delete(Citation).where(
            Citation.subject_type == subject_type, Citation.subject_id.in_(subject_ids)
        )
    )


@lru_cache(maxsize=512)
def clauses_in(*texts: str) -> tuple[tuple[str, str], ...]:
    """The clauses some texts cite, as (slug, clause) pairs in order of first mention.

    Cached by the texts, so a page can show a "Cites" line without the index.
    """
    return tuple(_clauses_of(texts).items())


def clauses_to_store(*texts: str) -> list[list[str]]:
    """The clauses some texts cite as stored beside a text (``FaqEntry.cited_clauses``):
    [slug, clause] pairs in order of first mention."""
    return [list(pair) for pair in clauses_in(*texts)]


# --- families ------------------------------------------------------------------------

# The families a clause list is grouped into, in the order pages show them.
FAMILIES = ("mdr", "ivdr", "ctr", "iso", "mdcg", "italian-law", "gdpr")
_FAMILY_PREFIXES = (
    ("MDR ", "mdr"),
    ("IVDR ", "ivdr"),
    ("CTR ", "ctr"),
    ("ISO ", "iso"),
    ("MDCG ", "mdcg"),
    ("D.Lgs. ", "italian-law"),
    ("GDPR ", "gdpr"),
)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_WORD_ORDER = {"art": "0", "annex": "1"}  # a regulation's articles before its annexes


def clause_family(clause: str) -> str:
    """Which family a clause (as ``extract_clauses`` writes it) belongs to."""
    for prefix, family in _FAMILY_PREFIXES:
        if clause.startswith(prefix):
            return family
    return "other"


def clause_sort_key(clause: str) -> tuple:
    """Family order, articles before annexes, numbers as numbers ("Art. 9" before "Art. 70",
    a regulation's "Annex IX" before "Annex XV"; a standard's annexes are letters)."""
    family = clause_family(clause)
    parts = []
    for token in filter(None, re.split(r"[\s./-]+", clause)):
        if token.isdigit():
            parts.append((1, int(token), ""))
        elif family in ("mdr", "ivdr") and set(token) <= set(_ROMAN) and f"Annex {token}" in clause:
            parts.append((1, _roman(token), ""))
        else:
            parts.append((0, 0, _WORD_ORDER.get(token.lower(), token.lower())))
    rank = FAMILIES.index(family) if family in FAMILIES else len(FAMILIES)
    return (rank, parts)


def _roman(numeral: str) -> int:
    total = 0
    for index, letter in enumerate(numeral):
        value = _ROMAN[letter]
        following = _ROMAN[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseCount:
    clause: str
    slug: str
    family: str
    count: int  # the citing texts the viewer may see


@dataclass(frozen=True)
class CitingItem:
    """One text citing a clause, with where to read it: ``url_for(endpoint, **params)``."""

    title: str
    endpoint: str
    params: dict
    excerpt: str


@dataclass
class ClausePage:
    clause: str
    slug: str
    family: str
    answers: list[CitingItem] = field(default_factory=list)
    board_answers: list[CitingItem] = field(default_factory=list)
    faq_entries: list[CitingItem] = field(default_factory=list)
    guide_sections: list[CitingItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.answers)
            + len(self.board_answers)
            + len(self.faq_entries)
            + len(self.guide_sections)
        )


def _cites(subject_type: str, subject_id_column):
    return and_(Citation.subject_type == subject_type, Citation.subject_id == subject_id_column)


def _visible_to(viewer):
    """The citations the viewer may read: the same rule as the pages they come from.

    An answer or a board answer counts only if the viewer sees its question (and
    a board answer only while published); FAQ entries only while published;
    guide sections always. Citations of rows that are gone count nowhere.
    """
    question_visible = and_(Question.id.is_not(None), visible_questions_clause(viewer))
    return or_(
        and_(Citation.subject_type == "answer", Answer.id.is_not(None), question_visible),
        and_(
            Citation.subject_type == "board-answer",
            BoardAnswer.status == BoardAnswerStatus.PUBLISHED,
            question_visible,
        ),
        and_(Citation.subject_type == "faq-entry", FaqEntry.published.is_(True)),
        and_(Citation.subject_type == "guide-section", GuideSection.id.is_not(None)),
    )


def clause_index(viewer) -> list[ClauseCount]:
    """Every clause cited by something the viewer may see, with how many such texts, in one query.

    Ordered by family (MDR, IVDR, CTR, ISO, MDCG, Italian law, GDPR), then by number.
    """
    rows = db.session.execute(
        select(Citation.clause_slug, func.min(Citation.clause), func.count(Citation.id))
        .select_from(Citation)
        .outerjoin(Question, Question.id == Citation.question_id)
        .outerjoin(Answer, _cites("answer", Answer.id))
        .outerjoin(BoardAnswer, _cites("board-answer", BoardAnswer.id))
        .outerjoin(FaqEntry, _cites("faq-entry", FaqEntry.id))
        .outerjoin(GuideSection, _cites("guide-section", GuideSection.id))
        .where(_visible_to(viewer))
        .group_by(Citation.clause_slug)
    ).all()
    counts = [
        ClauseCount(clause, slug, clause_family(clause), count) for slug, clause, count in rows
    ]
    return sorted(counts, key=lambda item: clause_sort_key(item.clause))


def clause_page(viewer, slug: str) -> ClausePage | None:
    """The clause and the texts citing it that the viewer may see, in four queries.

    None if nothing the viewer may see cites it (the page is then a 404, which
    does not reveal that a confidential answer cites it).
    """
    answer_rows = db.session.execute(
        select(Answer, Citation.clause)
        .join(Citation, _cites("answer", Answer.id))
        .join(Question, Question.id == Answer.question_id)
        .where(Citation.clause_slug == slug, visible_questions_clause(viewer))
        .options(contains_eager(Answer.question))
        .order_by(Question.created_at.desc(), Answer.created_at, Answer.id)
    ).all()
    board_rows = db.session.execute(
        select(BoardAnswer, Citation.clause)
        .join(Citation, _cites("board-answer", BoardAnswer.id))
        .join(Question, Question.id == BoardAnswer.question_id)
        .where(
            Citation.clause_slug == slug,
            visible_questions_clause(viewer),
            BoardAnswer.status == BoardAnswerStatus.PUBLISHED,
        )
        .options(contains_eager(BoardAnswer.question))
        .order_by(BoardAnswer.published_at.desc(), BoardAnswer.id)
    ).all()
    faq_rows = db.session.execute(
        select(FaqEntry, Citation.clause)
        .join(Citation, _cites("faq-entry", FaqEntry.id))
        .join(Topic, Topic.id == FaqEntry.topic_id)
        .where(Citation.clause_slug == slug, FaqEntry.published.is_(True))
        .order_by(Topic.position, FaqEntry.position, FaqEntry.id)
    ).all()
    guide_rows = db.session.execute(
        select(GuideSection, Citation.clause)
        .join(Citation, _cites("guide-section", GuideSection.id))
        .where(Citation.clause_slug == slug)
        .order_by(GuideSection.id)
    ).all()
    clause = next(
        (row[1] for rows in (answer_rows, board_rows, faq_rows, guide_rows) for row in rows), None
    )
    if clause is None:
        return None
    page = ClausePage(clause=clause, slug=slug, family=clause_family(clause))
    for answer, _clause in answer_rows:
        question = answer.question
        page.answers.append(
            CitingItem(
                title=question.title,
                endpoint="questions.show",
                params={
                    "question_id": question.id,
                    "slug": slugify(question.title),
                    "_anchor": f"answer-{answer.id}",
                },
                excerpt=excerpt(answer.body, slug),
            )
        )
    for board_answer, _clause in board_rows:
        question = board_answer.question
        page.board_answers.append(
            CitingItem(
                title=question.title,
                endpoint="questions.show",
                params={
                    "question_id": question.id,
                    "slug": slugify(question.title),
                    "_anchor": "board-answer",
                },
                excerpt=excerpt(board_answer.published_body or "", slug),
            )
        )
    for entry, _clause in faq_rows:
        page.faq_entries.append(
            CitingItem(
                title=entry.question_text,
                endpoint="faq.index",
                params={"entry": entry.id, "_anchor": f"faq-{entry.id}"},
                excerpt=excerpt(f"{entry.question_text}\n{entry.answer_text}", slug),
            )
        )
    for section, _clause in guide_rows:
        page.guide_sections.append(
            CitingItem(
                # Level 1 is the document itself: its text opens the page.
                title=section.title,
                endpoint="guide.index",
                params={"_anchor": section.anchor} if section.level > 1 else {},
                excerpt=excerpt(f"{section.title}\n{section.body}", slug),
            )
        )
    return page


EXCERPT_CHARACTERS = 120


def excerpt(text: str, slug: str) -> str:
    """A short plain-text passage around the first mention of the clause, for a list."""
    for pattern in _CLAUSE_PATTERNS:
        for match in pattern.finditer(text or ""):
            if clause_slug(_clause_from(match)) == slug:
                start = max(match.start() - EXCERPT_CHARACTERS, 0)
                end = min(match.end() + EXCERPT_CHARACTERS, len(text))
                passage = re.sub(r"[*_#>`|]+|-{3,}", " ", text[start:end])  # Markdown marks
                passage = " ".join(passage.split())
                return ("… " if start else "") + passage + (" …" if end < len(text) else "")
    return ""


# --- rebuilding --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReindexReport:
    answers: int
    board_answers: int
    faq_entries: int
    guide_sections: int
    citations: int

    def summary(self) -> str:
        return (
            f"Citations rebuilt: {self.citations} from {self.answers} answers, "
            f"{self.board_answers} published board answers, {self.faq_entries} published "
            f"FAQ entries and {self.guide_sections} guide sections."
        )


def reindex_all() -> ReindexReport:
    """Rebuild the whole index from the texts readers see, in one transaction (committed).

    For after a change of the recognised forms, or data loaded around the services.
    """
    db.session.execute(delete(Citation))
    # A hidden or removed answer cites nothing (services/moderation.py).
    answers = db.session.execute(
        select(Answer.id, Answer.body, Answer.question_id).where(Answer.moderation_state.is_(None))
    ).all()
    for answer_id, body, question_id in answers:
        _add_citations("answer", answer_id, [body], question_id)
    board_answers = db.session.execute(
        select(BoardAnswer.id, BoardAnswer.published_body, BoardAnswer.question_id).where(
            BoardAnswer.status == BoardAnswerStatus.PUBLISHED,
            BoardAnswer.published_body.is_not(None),
        )
    ).all()
    for board_answer_id, body, question_id in board_answers:
        _add_citations("board-answer", board_answer_id, [body], question_id)
    entries = db.session.execute(
        select(FaqEntry.id, FaqEntry.question_text, FaqEntry.answer_text).where(
            FaqEntry.published.is_(True)
        )
    ).all()
    for entry_id, question_text, answer_text in entries:
        _add_citations("faq-entry", entry_id, [question_text, answer_text], None)
    # Each entry's stored "Cites" line too, published or not (republishing keeps the text).
    stored = [
        {"id": entry_id, "cited_clauses": clauses_to_store(question_text, answer_text)}
        for entry_id, question_text, answer_text in db.session.execute(
            select(FaqEntry.id, FaqEntry.question_text, FaqEntry.answer_text)
        )
    ]
    if stored:
        db.session.execute(update(FaqEntry), stored)
    sections = db.session.execute(
        select(GuideSection.id, GuideSection.title, GuideSection.body)
    ).all()
    for section_id, title, body in sections:
        _add_citations("guide-section", section_id, [title, body], None)
    db.session.flush()
    total = db.session.scalar(select(func.count()).select_from(Citation))
    db.session.commit()
    return ReindexReport(len(answers), len(board_answers), len(entries), len(sections), total)
