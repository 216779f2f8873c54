"""Two admins (or one double click) promoting the same answer at the same moment: one
entry, and the others told it is already in the FAQ, never a 500 (issue 26, item 6)."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Answer, FaqEntry, Role, Topic, User
from forum.services import answers, faq
from forum.services.faq_sources import AlreadyInFaq
from tests.factories import ask_question, topic_id
from tests.unit.test_concurrency import ROUNDS, WRITERS, run_together


def test_promoting_one_answer_many_times_at_once_makes_one_entry(app, make_user):
    admins = [make_user(Role.ADMIN).id for _ in range(WRITERS)]
    expert = make_user(Role.EXPERT)
    for _ in range(ROUNDS):
        answer_id = answers.post_answer(ask_question(make_user()), expert, "Notify first.").id

        def promote(index: int, answer_id: int = answer_id) -> str:
            try:
                faq.promote_answer(
                    db.session.get(User, admins[index]),
                    db.session.get(Answer, answer_id),
                    question_text="Which pathway applies?",
                    answer_text="A clinical investigation.",
                    topic=db.session.get(Topic, topic_id("pmcf")),
                )
            except AlreadyInFaq:
                db.session.rollback()
                return "refused"
            return "promoted"

        outcomes = run_together(app, WRITERS, promote)

        assert sorted(outcomes) == ["promoted"] + ["refused"] * (WRITERS - 1)
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(FaqEntry)
                .where(FaqEntry.source_answer_id == answer_id)
            )
            == 1
        )
