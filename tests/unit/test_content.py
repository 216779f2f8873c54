"""What follows a write (services/content.py): every kind of text that is searched, cited
or moderated is registered there once, and a text of each registered kind, once saved, is
found by search and listed on its clause's page; withdrawn, it is neither."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    Answer,
    BoardAnswer,
    BoardAnswerStatus,
    Citation,
    DevelopmentStage,
    DeviceClass,
    DocumentKind,
    FaqEntry,
    GuideSection,
    Question,
    SearchDocument,
    SearchText,
    Topic,
    Visibility,
)
from forum.models.columns import utcnow
from forum.models.moderation import Moderated
from forum.services import citations, content
from forum.services.search import finder
from tests.factories import People, topic_id

WORD = "zanzibarite"  # in no other text, so a search for it finds only the text built here
CITING = f"Our {WORD} sensor study notifies the Ministry under MDR Art. 70(1)."
CLAUSE = "mdr-art-70"
# Where a clause page lists each citation subject.
CLAUSE_PAGE_LISTS = {
    "answer": "answers",
    "board-answer": "board_answers",
    "faq-entry": "faq_entries",
    "guide-section": "guide_sections",
}


def _question(
    people: People,
    title: str = "Which pathway applies to our device?",
    body: str = "We plan a first study of a class IIb device.",
) -> Question:
    return Question(
        author=people.asker,
        title=title,
        body=body,
        device_class=DeviceClass.CLASS_IIB,
        stage=DevelopmentStage.PROTOTYPE,
        visibility=Visibility.PUBLIC,
        topics=[db.session.get(Topic, topic_id())],
    )


# One text of each searched or cited kind, built around the services (rows only), so
# that only content.saved indexes it.
BUILDERS = {
    Question: lambda people: _question(people, title=f"Which {WORD} pathway applies?", body=CITING),
    Answer: lambda people: Answer(question=_question(people), author=people.expert, body=CITING),
    BoardAnswer: lambda people: BoardAnswer(
        question=_question(people),
        status=BoardAnswerStatus.PUBLISHED,
        body=CITING,
        published_body=CITING,
        published_number=1,
        published_at=utcnow(),
        opened_by_id=people.chair.id,
    ),
    FaqEntry: lambda people: FaqEntry(
        topic_id=topic_id(),
        question_text=f"What is a {WORD} study?",
        answer_text=CITING,
        created_by_id=people.admin.id,
        last_reviewed_on=date.today(),
        review_due_on=date.today(),
        published=True,
    ),
    GuideSection: lambda people: GuideSection(
        level=2, title=f"The {WORD} studies", anchor=f"the-{WORD}-studies", body=CITING
    ),
}


def test_every_kind_of_search_document_is_registered_once():
    documents = [kind.document for kind in content.KINDS.values() if kind.document is not None]
    assert sorted(documents) == sorted(DocumentKind)


def test_every_citation_subject_is_registered_once():
    subjects = [
        kind.citation_subject
        for kind in content.KINDS.values()
        if kind.citation_subject is not None
    ]
    assert sorted(subjects) == sorted(citations.SUBJECT_TYPES)
    assert set(subjects) == set(CLAUSE_PAGE_LISTS)


def test_every_moderated_text_is_registered():
    """A new kind of member's text says there what follows its writes, even nothing."""
    moderated = {
        mapper.class_
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, Moderated)
    }
    assert moderated - set(content.KINDS) == set()


def test_every_searched_or_cited_kind_is_built_here():
    assert set(BUILDERS) == {
        model
        for model, kind in content.KINDS.items()
        if kind.document is not None or kind.citation_subject is not None
    }


def _found(people: People) -> set[tuple[str, int]]:
    return {(str(hit.kind), hit.object_id) for hit in finder.search(people.admin, WORD).hits}


@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda model: model.__name__)
def test_a_saved_text_of_each_kind_is_found_and_its_citations_listed(people, model):
    kind = content.KINDS[model]
    subject = BUILDERS[model](people)
    db.session.add(subject)
    content.saved(subject)
    db.session.commit()

    if kind.document is not None:
        assert (kind.document.value, subject.id) in _found(people)
    if kind.citation_subject is not None:
        page = citations.clause_page(people.admin, CLAUSE)
        assert page is not None
        assert len(getattr(page, CLAUSE_PAGE_LISTS[kind.citation_subject])) == 1

    content.withdrawn(model, [subject.id])
    db.session.commit()
    assert _found(people) == set()
    assert citations.clause_page(people.admin, CLAUSE) is None


def test_a_text_no_longer_kept_leaves_search_and_the_clause_pages_when_saved(people):
    entry = BUILDERS[FaqEntry](people)
    db.session.add(entry)
    content.saved(entry)
    db.session.commit()
    entry.published = False
    content.saved(entry)
    db.session.commit()
    assert _found(people) == set()
    assert citations.clause_page(people.admin, CLAUSE) is None


def test_a_kind_of_text_not_registered_is_refused(people):
    with pytest.raises(KeyError):
        content.saved(db.session.get(Topic, topic_id()))


def _index_rows() -> tuple[set, set]:
    documents = set(
        db.session.execute(
            select(
                SearchDocument.kind,
                SearchDocument.question_id,
                SearchDocument.fragment,
                SearchDocument.dated_at,
                SearchText.title,
                SearchText.body,
                SearchText.title_terms,
                SearchText.body_terms,
            ).join(SearchText, SearchText.document_id == SearchDocument.id)
        ).all()
    )
    cited = set(
        db.session.execute(
            select(
                Citation.subject_type,
                Citation.subject_id,
                Citation.clause_slug,
                Citation.question_id,
            )
        ).all()
    )
    return documents, cited


def test_rebuilding_the_indexes_gives_what_saving_each_kind_gave(people):
    """The rebuilds (``search reindex``, ``citations reindex``) read each kind apart: one
    that leaves out a registered kind, or indexes it otherwise, fails here."""
    for build in BUILDERS.values():
        subject = build(people)
        db.session.add(subject)
        # The answers' questions too: the rebuild indexes every question.
        for text in (getattr(subject, "question", None), subject):
            if text is not None:
                content.saved(text)
    db.session.commit()
    saved = _index_rows()
    assert {row[0] for row in saved[0]} == set(DocumentKind)

    finder.reindex_all()
    citations.reindex_all()
    assert _index_rows() == saved
