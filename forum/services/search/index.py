"""Keeping the search index in step with the content.

The services change what readers can find through services/content.py, which
registers each kind of text with its ``index_*`` function here and calls it (or
``remove``) inside the service's transaction (nothing here commits, except
``rebuild``); asking, answering and editing either first ``analyse`` the text,
before their first write, so that no stemming is done while SQLite's write lock
is held.

Deletions need no call at all: every document holds a foreign key to its row
with ON DELETE CASCADE, so the database removes it in the same statement.
Visibility, status and topics of questions are not copied here but read from
the question at search time, so changing them needs no reindex.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from forum.extensions import db
from forum.models import (
    Answer,
    BoardAnswer,
    BoardAnswerStatus,
    DocumentKind,
    FaqEntry,
    FaqEntryTranslation,
    GuideSection,
    GuideSectionTranslation,
    Question,
    SearchDocument,
    SearchText,
)
from forum.services.search.terms import index_terms, plain_text, translations

TITLE_CHARACTERS = 300
# Texts are indexed and shown up to this length; longer ones are rare and their
# beginning says what they are about.
BODY_CHARACTERS = 60_000
DOCUMENT_LEVEL = 1  # the guide's own title and introduction (forum/services/guide/tree.py)
_BATCH = 2_000


def _text(*, title: str, body: str, language: str | None = None) -> dict:
    title = plain_text(title)[:TITLE_CHARACTERS]
    body = plain_text(body)[:BODY_CHARACTERS]
    return {
        "title": title,
        "body": body,
        "title_terms": index_terms(title, language),
        "body_terms": index_terms(body, language),
    }


@dataclass(frozen=True)
class Analysis:
    """A text's index columns, computed by ``analyse`` before the caller's first write.

    Stemming a 20,000-character text of new words takes a second or more; done
    after the first INSERT it held SQLite's write lock that long, and parallel
    askers waited past the busy timeout ("database is locked", issue 20). The
    source is kept so that an analysis of another text is never stored.
    """

    title: str
    body: str
    language: str | None
    values: dict


def analyse(*, title: str = "", body: str, language: str | None = None) -> Analysis:
    """The index columns of a title and body written in ``language``, to pass to
    ``index_question`` or ``index_answer``."""
    return Analysis(
        title=title,
        body=body,
        language=language,
        values=_text(title=title, body=body, language=language),
    )


def _text_of(title: str, body: str, language, analysis: Analysis | None) -> dict:
    if analysis is not None and (analysis.title, analysis.body, analysis.language) == (
        title,
        body,
        language,
    ):
        return analysis.values
    return _text(title=title, body=body, language=language)


# Each kind as (document columns, text columns), from the source row's values.


def _question(
    question_id, title, body, created_at, language=None, analysis: Analysis | None = None
):
    return (
        {
            "kind": DocumentKind.QUESTION,
            "question_id": question_id,
            "dated_at": created_at,
            "fragment": None,
        },
        _text_of(title, body, language, analysis),
    )


def _answer(
    answer_id, question_id, body, created_at, language=None, analysis: Analysis | None = None
):
    # No title of its own: an answer is listed under its question's title, read
    # live, and only its own words should rank it.
    return (
        {
            "kind": DocumentKind.ANSWER,
            "answer_id": answer_id,
            "question_id": question_id,
            "dated_at": created_at,
            "fragment": f"answer-{answer_id}",
        },
        _text_of("", body, language, analysis),
    )


def _board_answer(board_answer_id, question_id, body, published_at):
    return (
        {
            "kind": DocumentKind.BOARD_ANSWER,
            "board_answer_id": board_answer_id,
            "question_id": question_id,
            "dated_at": published_at,
            "fragment": "board-answer",
        },
        _text(title="", body=body),
    )


def _faq(entry_id, topic_id, question_text, answer_text, updated_at, translated=()):
    return (
        {
            "kind": DocumentKind.FAQ,
            "faq_entry_id": entry_id,
            "topic_id": topic_id,
            "dated_at": updated_at,
            "fragment": f"faq-{entry_id}",
        },
        _bilingual(question_text, answer_text, translated),
    )


def _guide(section_id, level, anchor, title, body, updated_at, translated=()):
    return (
        {
            "kind": DocumentKind.GUIDE,
            "guide_section_id": section_id,
            "dated_at": updated_at,
            "fragment": anchor if level > DOCUMENT_LEVEL else None,
        },
        _bilingual(title, body, translated),
    )


def _bilingual(title: str, body: str, translated) -> dict:
    """One document for a text and its translations (``translated``: their titles and
    bodies), so it is found by the words of each language and listed once. The shown
    title stays the English one; the body shown (for snippets) holds every language, so
    a snippet quotes the language whose words matched.

    A translation says again what the source says, and a query brings each word's
    translations (search_glossary), so its terms would score one concept twice and
    put the text above the question it was drawn from. Only the translation's terms
    the source does not cover are indexed: neither the same term nor a glossary
    equivalent of it. An Italian query still finds the text, through the glossary's
    English terms or the translation's own words."""
    if not translated:
        return _text(title=title, body=body)
    source = _text(title=title, body=body)
    covered = set(source["title_terms"].split()) | set(source["body_terms"].split())
    titles = [plain_text(other_title) for other_title, _body in translated]
    bodies = [body, *(other_body for _title, other_body in translated)]
    shown_body = plain_text("\n\n".join(bodies))[:BODY_CHARACTERS]
    translated_body = plain_text("\n\n".join(bodies[1:]))[:BODY_CHARACTERS]
    return {
        "title": source["title"],
        "body": shown_body,
        "title_terms": _joined(
            source["title_terms"], _uncovered(index_terms("\n".join(titles), "it"), covered)
        ),
        "body_terms": _joined(
            source["body_terms"], _uncovered(index_terms(translated_body, "it"), covered)
        ),
    }


def _uncovered(terms: str, covered: set[str]) -> str:
    """The terms of ``terms`` that neither are in ``covered`` nor translate a term in it."""
    return " ".join(
        term
        for term in terms.split()
        if term not in covered and covered.isdisjoint(translations(term))
    )


def _joined(*terms: str) -> str:
    return " ".join(part for part in terms if part)


def _translated(model, column, subject_id: int) -> list[tuple[str, str]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(model.title, model.body).where(column == subject_id).order_by(model.language)
        )
    ]


_KEY_COLUMNS = {
    DocumentKind.QUESTION: SearchDocument.question_id,
    DocumentKind.ANSWER: SearchDocument.answer_id,
    DocumentKind.BOARD_ANSWER: SearchDocument.board_answer_id,
    DocumentKind.FAQ: SearchDocument.faq_entry_id,
    DocumentKind.GUIDE: SearchDocument.guide_section_id,
}


def _put(values: tuple[dict, dict], object_id: int) -> None:
    """Insert or update the document of one row and its text (not committed)."""
    columns, text = values
    kind = columns["kind"]
    document = db.session.scalar(
        select(SearchDocument).where(SearchDocument.kind == kind, _KEY_COLUMNS[kind] == object_id)
    )
    if document is None:
        db.session.add(SearchDocument(**columns, text=SearchText(**text)))
    else:
        for name, value in columns.items():
            setattr(document, name, value)
        for name, value in text.items():
            setattr(document.text, name, value)
    db.session.flush()


def remove(kind: DocumentKind, object_ids: list[int]) -> None:
    """Take rows' documents out of the index in one statement (not committed); nothing
    for a row that has none. Their texts follow by the foreign key's cascade.
    """
    db.session.execute(
        delete(SearchDocument).where(
            SearchDocument.kind == kind, _KEY_COLUMNS[kind].in_(object_ids)
        )
    )


def index_question(question: Question, analysis: Analysis | None = None) -> None:
    """Index a question; with ``analysis`` (of its title and body) nothing is stemmed here."""
    db.session.flush()  # a new question has its id and timestamp
    _put(
        _question(
            question.id,
            question.title,
            question.body,
            question.created_at,
            question.language,
            analysis,
        ),
        question.id,
    )


def index_answer(answer: Answer, analysis: Analysis | None = None) -> None:
    """Index an answer; with ``analysis`` (of its body) nothing is stemmed here."""
    db.session.flush()
    _put(
        _answer(
            answer.id, answer.question_id, answer.body, answer.created_at, answer.language, analysis
        ),
        answer.id,
    )


def index_board_answer(board_answer: BoardAnswer) -> None:
    """The published text, while the board answer is published; otherwise out of the index."""
    db.session.flush()
    if board_answer.status != BoardAnswerStatus.PUBLISHED or board_answer.published_body is None:
        remove(DocumentKind.BOARD_ANSWER, board_answer.id)
        return
    _put(
        _board_answer(
            board_answer.id,
            board_answer.question_id,
            board_answer.published_body,
            board_answer.published_at,
        ),
        board_answer.id,
    )


def index_faq_entry(entry: FaqEntry) -> None:
    """A published entry is indexed; an unpublished one is taken out."""
    db.session.flush()
    if not entry.published:
        remove(DocumentKind.FAQ, entry.id)
        return
    _put(
        _faq(
            entry.id,
            entry.topic_id,
            entry.question_text,
            entry.answer_text,
            entry.updated_at,
            _translated(FaqEntryTranslation, FaqEntryTranslation.faq_entry_id, entry.id),
        ),
        entry.id,
    )


def index_guide_section(section: GuideSection) -> None:
    """A section with its translations, in one document."""
    db.session.flush()
    _put(
        _guide(
            section.id,
            section.level,
            section.anchor,
            section.title,
            section.body,
            section.updated_at,
            _translated(GuideSectionTranslation, GuideSectionTranslation.section_id, section.id),
        ),
        section.id,
    )


# --- rebuilding ----------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildReport:
    questions: int
    answers: int
    board_answers: int
    faq_entries: int
    guide_sections: int

    @property
    def documents(self) -> int:
        return (
            self.questions
            + self.answers
            + self.board_answers
            + self.faq_entries
            + self.guide_sections
        )

    def summary(self) -> str:
        return (
            f"Search index rebuilt: {self.documents} documents from {self.questions} "
            f"questions, {self.answers} answers, {self.board_answers} published board "
            f"answers, {self.faq_entries} published FAQ entries and {self.guide_sections} "
            "guide sections."
        )


def _copy(statement, id_column, to_values) -> int:
    """Index the rows of ``statement`` in batches of ids (bounded memory); how many."""
    count, last_id = 0, 0
    while True:
        rows = db.session.execute(
            statement.where(id_column > last_id).order_by(id_column).limit(_BATCH)
        ).all()
        if not rows:
            return count
        values = [to_values(*row) for row in rows]
        ids = db.session.scalars(
            insert(SearchDocument).returning(SearchDocument.id, sort_by_parameter_order=True),
            [columns for columns, _text in values],
        ).all()
        db.session.execute(
            insert(SearchText),
            [
                {"document_id": document_id, **text}
                for document_id, (_columns, text) in zip(ids, values)
            ],
        )
        count += len(rows)
        last_id = rows[-1][0]


def rebuild() -> RebuildReport:
    """Replace every document with one made from the current content, in one transaction.

    Committed. For data loaded around the services (the benchmark, an import),
    after a change of how text is analysed, or after the migration that adds the index.
    """
    db.session.execute(delete(SearchDocument))
    report = RebuildReport(
        # A removed question's text is gone; it is not indexed again.
        questions=_copy(
            select(
                Question.id, Question.title, Question.body, Question.created_at, Question.language
            ).where(Question.removed_at.is_(None)),
            Question.id,
            _question,
        ),
        # A hidden or removed answer is out of the index (services/moderation.py);
        # a hidden question stays in and is filtered by visible_questions_clause.
        answers=_copy(
            select(
                Answer.id, Answer.question_id, Answer.body, Answer.created_at, Answer.language
            ).where(Answer.moderation_state.is_(None)),
            Answer.id,
            _answer,
        ),
        board_answers=_copy(
            select(
                BoardAnswer.id,
                BoardAnswer.question_id,
                BoardAnswer.published_body,
                BoardAnswer.published_at,
            ).where(
                BoardAnswer.status == BoardAnswerStatus.PUBLISHED,
                BoardAnswer.published_body.is_not(None),
            ),
            BoardAnswer.id,
            _board_answer,
        ),
        faq_entries=_copy(
            select(
                FaqEntry.id,
                FaqEntry.topic_id,
                FaqEntry.question_text,
                FaqEntry.answer_text,
                FaqEntry.updated_at,
            ).where(FaqEntry.published.is_(True)),
            FaqEntry.id,
            _faq,
        ),
        guide_sections=_copy(
            select(
                GuideSection.id,
                GuideSection.level,
                GuideSection.anchor,
                GuideSection.title,
                GuideSection.body,
                GuideSection.updated_at,
            ),
            GuideSection.id,
            _guide,
        ),
    )
    # The few translated texts again, with their translations (one document each).
    for entry in db.session.scalars(
        select(FaqEntry).where(FaqEntry.id.in_(select(FaqEntryTranslation.faq_entry_id)))
    ):
        index_faq_entry(entry)
    for section in db.session.scalars(
        select(GuideSection).where(GuideSection.id.in_(select(GuideSectionTranslation.section_id)))
    ):
        index_guide_section(section)
    db.session.commit()
    return report
