"""The migration that adds faq_entry.cited_clauses fills it for the entries already written,
from their English question and answer, as the services store it on a save."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from forum.extensions import db
from forum.models import FaqEntry, Topic
from forum.services import answers, faq
from tests.factories import ask_question

BEFORE = "4f7a2c9e1b35"  # the migration's down_revision


def test_the_migration_stores_the_clauses_each_existing_entry_cites(app, people):
    pmcf = db.session.scalar(select(Topic).where(Topic.slug == "pmcf"))
    for text, answer_text in (
        ("Who validates under MDR Art. 70?", "The Ministry; see also ISO 14155 Annex A."),
        ("Which insurance covers a first-in-human study?", "Ask the sponsor's insurer."),
    ):
        question = ask_question(people.asker, title=f"Source of: {text}")
        answer = answers.post_answer(question, people.expert, "An expert's answer.")
        faq.promote_answer(
            people.admin, answer, question_text=text, answer_text=answer_text, topic=pmcf
        )
    db.session.remove()

    downgrade(revision=BEFORE)
    upgrade()

    found = dict(db.session.execute(select(FaqEntry.question_text, FaqEntry.cited_clauses)).all())
    assert found == {
        "Who validates under MDR Art. 70?": [
            ["mdr-art-70", "MDR Art. 70"],
            ["iso-14155-annex-a", "ISO 14155 Annex A"],
        ],
        "Which insurance covers a first-in-human study?": [],
    }
