"""Two admins (or one double click) accepting the same suggested pair at the same moment:
one introduction, the others told the pair is already introduced, never a 500 (issue 29)."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Introduction,
    IntroductionStep,
    MatchmakingRound,
    Role,
    Specialisation,
    User,
)
from forum.services import network_rounds
from forum.services.errors import RuleViolation
from tests.factories import make_network_profile
from tests.unit.test_concurrency import ROUNDS, WRITERS, run_together


def test_accepting_one_pair_many_times_at_once_makes_one_introduction(app, make_user):
    admins = [make_user(Role.ADMIN).id for _ in range(WRITERS)]
    imaging = db.session.scalar(select(Specialisation.id).where(Specialisation.slug == "imaging"))
    for number in range(ROUNDS):
        first = make_network_profile(
            f"Lombardy Imaging {number}", "lombardy", specialisations=("imaging",)
        ).id
        second = make_network_profile(
            f"Limburg Imaging {number}", "limburg", specialisations=("imaging",)
        ).id
        round_id = network_rounds.open_round(
            db.session.get(User, admins[0]), f"Imaging {number}", [imaging]
        ).id

        def accept(index: int, round_id: int = round_id, pair=(first, second)) -> str:
            try:
                network_rounds.accept_pair(
                    db.session.get(MatchmakingRound, round_id),
                    db.session.get(User, admins[index]),
                    *pair,
                )
            except RuleViolation as refusal:
                db.session.rollback()
                assert refusal.message == network_rounds.ALREADY_INTRODUCED
                return "refused"
            return "accepted"

        outcomes = run_together(app, WRITERS, accept)

        assert sorted(outcomes) == ["accepted"] + ["refused"] * (WRITERS - 1)
        introductions = db.session.scalars(
            select(Introduction).where(Introduction.round_id == round_id)
        ).all()
        assert len(introductions) == 1
        assert (
            db.session.scalar(
                select(func.count(IntroductionStep.id)).where(
                    IntroductionStep.introduction_id == introductions[0].id
                )
            )
            == 1
        )
