"""Building questions and answers for tests through the real services."""
from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import DevelopmentStage, DeviceClass, Question, Topic, User, Visibility
from forum.services import questions
from forum.services.questions import QuestionDraft


def topic_id(slug: str = "regulatory-pathway") -> int:
    return db.session.scalar(select(Topic.id).where(Topic.slug == slug))


def ask_question(author: User, *, title: str = "Which pathway applies to our class IIb tool?",
                 body: str = "We make a surgical tool without CE marking and plan a first study.",
                 visibility: Visibility = Visibility.PUBLIC,
                 topics: tuple[str, ...] = ("regulatory-pathway",)) -> Question:
    return questions.ask(author, QuestionDraft(
        title=title,
        body=body,
        topic_ids=[topic_id(slug) for slug in topics],
        device_class=DeviceClass.CLASS_IIB,
        stage=DevelopmentStage.PROTOTYPE,
        visibility=visibility,
    ))


def question_form(**overrides) -> dict:
    """The fields of the ask form, filled in as a member would."""
    form = {
        "title": "Do we need Ministry authorisation for a class IIb study?",
        "body": "Our non-invasive class IIb monitor is ready for a first clinical study in Lombardy.",
        "topics": [str(topic_id("regulatory-pathway"))],
        "device_class": "IIb",
        "stage": "prototype",
        "visibility": "public",
    }
    form.update(overrides)
    return form
