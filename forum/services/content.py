"""What follows a write of the texts readers read: their search documents and citations.

Every kind of text is registered here once (``KINDS``): which search document it has
(``search/index.py``), which citation subject (``citations.py``), which of its texts
cite, under which question, and while what it is kept in both. The services call one
of two verbs inside their own transaction (nothing here commits):

- ``saved(subject)`` after a text is created, edited, translated, published, withdrawn,
  hidden, restored or removed: its document and citations then follow what it now is
  (written again while it is kept, taken out otherwise). Asking, answering and editing
  pass the ``analyse``d text, computed before their first write;
- ``withdrawn(model, ids)`` for rows erased or deleted by a bulk statement, of which
  the caller holds no objects (personal-data deletion, the guide's import).

The page cache's generation needs no call: the session listeners of
forum/models/generation.py see every write, bulk statements included.

Explicit calls rather than ORM session events (after_flush collecting the subjects):
several writes are Core statements that events do not see as objects (the guide's
compare-and-set update, the bulk updates of personal-data deletion), so each would
still need a call of its own; and a question's or an answer's text must be stemmed
before the transaction's first write (stemming a long text after it held SQLite's write
lock for seconds, issue 20), which indexing at flush time cannot do. Deletions of rows
need no call for search (each document's foreign key cascades) but do for citations
(their subject is not a foreign key).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from forum.extensions import db
from forum.models import (
    Answer,
    BoardAnswer,
    BoardAnswerStatus,
    Comment,
    DocumentKind,
    FaqEntry,
    GuideSection,
    Question,
    Stance,
)
from forum.services import citations
from forum.services.search import index as search_index
from forum.services.search.index import Analysis


@dataclass(frozen=True)
class ContentKind:
    """What follows a write of one kind of text; a kind with neither a document nor a
    citation subject is registered to say so (comments, stance reasons)."""

    # Its search document, and how search/index.py writes it (with an Analysis or None).
    document: DocumentKind | None = None
    index: Callable[[object, Analysis | None], None] | None = None
    # Its Citation.subject_type, the texts of it that cite, and the question it is under
    # (the clause pages hide what is under a question the reader cannot see).
    citation_subject: str | None = None
    cited_texts: Callable[[object], list[str]] | None = None
    question_id: Callable[[object], int | None] = lambda _subject: None
    # While what it is searched and cited; otherwise it is taken out of both.
    kept: Callable[[object], bool] = lambda _subject: True


def _published(board_answer: BoardAnswer) -> bool:
    return (
        board_answer.status == BoardAnswerStatus.PUBLISHED
        and board_answer.published_body is not None
    )


KINDS: dict[type, ContentKind] = {
    # A hidden question stays in the index: search filters it by visible_questions_clause,
    # so hiding and restoring it re-stem nothing. Only a removed question's text goes.
    Question: ContentKind(
        document=DocumentKind.QUESTION,
        index=search_index.index_question,
        kept=lambda question: question.removed_at is None,
    ),
    # A hidden answer leaves search and the clause pages; restored, it returns.
    Answer: ContentKind(
        document=DocumentKind.ANSWER,
        index=search_index.index_answer,
        citation_subject="answer",
        cited_texts=lambda answer: [answer.body],
        question_id=lambda answer: answer.question_id,
        kept=lambda answer: answer.moderation_state is None,
    ),
    # Its published text, while it is published.
    BoardAnswer: ContentKind(
        document=DocumentKind.BOARD_ANSWER,
        index=lambda board_answer, _analysis: search_index.index_board_answer(board_answer),
        citation_subject="board-answer",
        cited_texts=lambda board_answer: [board_answer.published_body],
        question_id=lambda board_answer: board_answer.question_id,
        kept=_published,
    ),
    # The English question and answer cite; the translations join the search document.
    FaqEntry: ContentKind(
        document=DocumentKind.FAQ,
        index=lambda entry, _analysis: search_index.index_faq_entry(entry),
        citation_subject="faq-entry",
        cited_texts=lambda entry: [entry.question_text, entry.answer_text],
        kept=lambda entry: entry.published,
    ),
    GuideSection: ContentKind(
        document=DocumentKind.GUIDE,
        index=lambda section, _analysis: search_index.index_guide_section(section),
        citation_subject="guide-section",
        cited_texts=lambda section: [section.title, section.body],
    ),
    # Neither searched nor cited: shown only on their question's page.
    Comment: ContentKind(),
    Stance: ContentKind(),
}


def analyse(*, title: str = "", body: str, language: str | None = None) -> Analysis:
    """A question's or an answer's text stemmed for search, to pass to ``saved``.

    Call it before the transaction's first write: stemming a long text while holding
    SQLite's write lock kept parallel writers waiting past the busy timeout (issue 20).
    """
    return search_index.analyse(title=title, body=body, language=language)


def saved(subject, analysis: Analysis | None = None) -> None:
    """Bring the subject's search document and citations in step with it (not committed).

    Kept (``ContentKind.kept``): written again, from ``analysis`` when given (of the
    subject's current text; another text's is ignored); else taken out of both. Raises
    KeyError for a kind of text not registered in ``KINDS``.
    """
    kind = KINDS[type(subject)]
    if kind.document is None and kind.citation_subject is None:
        return
    db.session.flush()  # a new subject has its id, and its timestamps for the document
    if not kind.kept(subject):
        withdrawn(type(subject), [subject.id])
        return
    if kind.document is not None:
        kind.index(subject, analysis)
    if kind.citation_subject is not None:
        citations.index_subject(
            kind.citation_subject,
            subject.id,
            kind.cited_texts(subject),
            question_id=kind.question_id(subject),
        )


def withdrawn(model: type, ids: Iterable[int]) -> None:
    """Take rows of ``model`` out of search and the clause pages (not committed).

    For rows a bulk statement erased or deleted; a text the caller holds goes through
    ``saved``. Raises KeyError for a kind of text not registered in ``KINDS``.
    """
    kind = KINDS[model]
    ids = list(ids)
    if not ids:
        return
    if kind.document is not None:
        search_index.remove(kind.document, ids)
    if kind.citation_subject is not None:
        citations.remove_subjects(kind.citation_subject, ids)
