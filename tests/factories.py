"""Building questions and answers for tests through the real services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    Capability,
    DevelopmentStage,
    DeviceClass,
    NetworkProfile,
    NetworkRegion,
    OrganisationKind,
    OutboxMessage,
    Question,
    ReferralLink,
    Specialisation,
    StanceKind,
    Topic,
    User,
    Visibility,
)
from forum.models.columns import utcnow
from forum.services import board, board_stances, questions
from forum.services.accounts import creation
from forum.services.questions import QuestionDraft
from forum.services.referral_links import token_hash


def topic_id(slug: str = "regulatory-pathway") -> int:
    return db.session.scalar(select(Topic.id).where(Topic.slug == slug))


def ask_question(
    author: User,
    *,
    title: str = "Which pathway applies to our class IIb tool?",
    body: str = "We make a surgical tool without CE marking and plan a first study.",
    visibility: Visibility = Visibility.PUBLIC,
    topics: tuple[str, ...] = ("regulatory-pathway",),
) -> Question:
    return questions.ask(
        author,
        QuestionDraft(
            title=title,
            body=body,
            topic_ids=[topic_id(slug) for slug in topics],
            device_class=DeviceClass.CLASS_IIB,
            stage=DevelopmentStage.PROTOTYPE,
            visibility=visibility,
        ),
    )


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


REGISTRATION_LINK = re.compile(r"(/register/finish/[A-Za-z0-9_.-]+)")


def registration_link(email: str) -> str:
    """The path of the newest link to finish registering that was e-mailed to ``email``."""
    bodies = db.session.scalars(
        select(OutboxMessage.body)
        .where(OutboxMessage.recipient == email.strip().lower())
        .order_by(OutboxMessage.id.desc())
    )
    for body in bodies:
        found = REGISTRATION_LINK.search(body)
        if found:
            return found.group(1)
    raise AssertionError(f"no link to finish registering was e-mailed to {email}")


def published_board_answer(question: Question, experts: list[User], body: str):
    """A board answer on the question, endorsed by the experts (three, two areas) and
    published by the first of them, who must be a chair."""
    board_answer = board.open_board_answer(question, experts[1], body)
    board.submit_for_review(board_answer, experts[1])
    for expert in experts:
        board_stances.record_stance(
            board_answer, expert, StanceKind.ENDORSE, revision_number=board_answer.current_number
        )
    board.publish(board_answer, experts[0])
    return board_answer


# The cast of the curation tests: an admin, an asker, another member and three experts.
@dataclass
class People:
    admin: User
    asker: User
    other: User
    expert: User
    chair: User
    clinical: User

    @property
    def board(self) -> list[User]:
        return [self.chair, self.expert, self.clinical]


def approved_release(version: str, notes: str, admin: User, *, chair: User | None = None):
    """A release made by the admin as a draft and approved by a chair (the first chair
    found, or one made here), so that it is published."""
    # Only the release tests need them.
    from forum.services.accounts import creation
    from forum.services.guide import publishing

    frozen = publishing.release(version, notes, admin)
    if chair is None:
        chair = db.session.scalar(select(User).where(User.is_chair.is_(True)).limit(1))
    if chair is None:
        from forum.models import ExpertArea, Role

        chair = creation.create_user(
            email="release-chair@example.org",
            display_name="Release Chair",
            password="a-long-password-1",
            role=Role.EXPERT,
            area=ExpertArea.UNIVERSITY,
            is_chair=True,
        )
    return publishing.approve_as_chair(frozen, chair)


def clinic_link(facilitation) -> ReferralLink:
    """The clinic's newest link to the referral (the one its last e-mail carried), made
    when the clinic has no e-mail (tests acting as the clinic without reading mail)."""
    link = db.session.scalar(
        select(ReferralLink)
        .where(ReferralLink.facilitation_id == facilitation.id)
        .order_by(ReferralLink.id.desc())
    )
    if link is None:
        link = ReferralLink(
            facilitation_id=facilitation.id,
            token_hash=token_hash(f"test-{facilitation.id}"),
            sent_to="clinic@example.org",
            expires_at=utcnow() + timedelta(days=30),
        )
        db.session.add(link)
        db.session.commit()
    return link


def agree_both_sides(facilitation, on=None) -> None:
    """The member and the clinic accept the introduction (the referral is "agreed"), the
    agreement dated ``on`` when given, as if it had happened that day."""
    from forum.models import ReferralDecision
    from forum.services import referral_introductions

    referral_introductions.answer_introduction(
        facilitation, facilitation.question.author, ReferralDecision.ACCEPTED
    )
    referral_introductions.answer_introduction(
        facilitation, clinic_link(facilitation), ReferralDecision.ACCEPTED
    )
    if on is not None:
        facilitation.steps[-1].occurred_on = on
        db.session.commit()


def make_network_profile(
    name: str,
    region,
    *,
    kind=None,
    listed: bool = True,
    specialisations: tuple[str, ...] = (),
    offers: tuple[str, ...] = (),
    needs: tuple[str, ...] = (),
    created_at=None,
):
    """An organisation named ``name`` and its directory profile in ``region`` (a
    NetworkRegion or its value), written straight to the tables, its terms given by the
    vocabularies' slugs; committed."""

    def terms(model, slugs):
        found = list(db.session.scalars(select(model).where(model.slug.in_(slugs))))
        assert len(found) == len(set(slugs)), f"unknown slugs among {slugs}"
        return found

    organisation = creation.get_or_create_organisation(name, kind or OrganisationKind.SME)
    region = NetworkRegion(region)
    profile = NetworkProfile(
        organisation=organisation,
        region=region,
        city="Maastricht" if region == NetworkRegion.LIMBURG else "Milano",
        listed=listed,
        specialisations=terms(Specialisation, specialisations),
        offers=terms(Capability, offers),
        needs=terms(Capability, needs),
    )
    db.session.add(profile)
    if created_at is not None:
        profile.created_at = created_at
    db.session.commit()
    return profile
