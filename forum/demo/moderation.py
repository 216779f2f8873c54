"""The demo's moderation: a new account's adverts (flagged and hidden, marked as spam,
held for approval), a comment removed for exposing a person's phone number, a
locked question, and a board stance's reason flagged by two experts (hidden pending
review: the board's workspace shows the notice, Sara Galli and the admins the reason), so that every state a reader, an author or a moderator meets is there.

Everything goes through the real services (flags, moderation actions), so the
audit log, the notifications and the e-mails to the author are the real ones.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    DevelopmentStage,
    DeviceClass,
    FlagReason,
    ModerationState,
    Question,
    Stance,
    Topic,
    User,
    Visibility,
)
from forum.models.columns import utcnow
from forum.services import answers, moderation, questions
from forum.services.moderation import Action
from forum.services.questions import QuestionDraft

# The new account's posts: (title, body, what happens to it).
SPAM_QUESTIONS = [
    (
        "CE mark in 2 weeks guaranteed: fast certification for any medical device",
        "Our consultancy obtains the CE mark for any device in two weeks, no clinical data "
        "needed, notified body contacts included. Write to us for a special price this month!",
        "flagged",
    ),
    (
        "Clinical investigation approval without ethics committee: ask us how",
        "We skip the ethics committee and the Ministry for you. Cheap and quick, "
        "payment in advance. Contact our sales team today.",
        "spam",
    ),
    (
        "Discount on ISO 13485 certificates for start-ups, ready next week",
        "Ready-made ISO 13485 certificates for start-ups: no audit, delivered next week. "
        "Send us your company details to get an offer.",
        "held",
    ),
]
DEMO_MODERATION_QUESTIONS = len(SPAM_QUESTIONS)

SPAM_REASON = "An advertisement for certification services, with false claims about the law."
LOCK_REASON = (
    "Answered and accepted; please ask a new question for a different device "
    "rather than adding to this thread."
)
PHONE_COMMENT = (
    "If it helps, you can call our study nurse directly on her mobile, "
    "+39 333 000 0000, any afternoon."
)
REMOVE_REASON = "It exposed a person's private phone number."


def seed_moderation(users: dict[str, User]) -> int:
    """Load the moderation demo if missing; returns how many questions it added."""
    spammer = users["member_fontana"]
    if db.session.scalar(select(Question.id).where(Question.author_id == spammer.id)):
        return 0
    spammer.created_at = utcnow() - timedelta(days=2)  # a new account
    db.session.commit()
    admin = users["admin_giulia"]
    topic = db.session.scalar(select(Topic).where(Topic.slug == "regulatory-pathway"))
    for title, body, fate in SPAM_QUESTIONS:
        question = questions.ask(
            spammer,
            QuestionDraft(
                title=title,
                body=body,
                topic_ids=[topic.id],
                device_class=DeviceClass.UNKNOWN,
                stage=DevelopmentStage.CONCEPT,
                visibility=Visibility.PUBLIC,
            ),
        )
        if fate == "flagged":  # two members flag it: hidden, pending review
            moderation.flag(users["member_anna"], question, FlagReason.SPAM)
            moderation.flag(
                users["member_davide"],
                question,
                FlagReason.OTHER,
                "Promises a CE mark without clinical data.",
            )
        elif fate == "spam":
            moderation.flag(users["member_matteo"], question, FlagReason.SPAM)
            moderation.act(admin, question, Action.SPAM, SPAM_REASON)
        else:  # as MODERATION_APPROVE_FIRST_POSTS would hold it
            question.moderation_state = ModerationState.HELD
            question.moderated_at = utcnow()
            db.session.commit()
    _lock_an_answered_question(admin)
    _remove_a_comment(users, admin)
    _flag_a_stance_reason(users)
    return len(SPAM_QUESTIONS)


def _lock_an_answered_question(admin: User) -> None:
    question = db.session.scalar(
        select(Question)
        .where(Question.accepted_answer_id.is_not(None), Question.visibility == Visibility.PUBLIC)
        .order_by(Question.created_at, Question.id)
        .limit(1)
    )
    if question is not None:
        moderation.act(admin, question, Action.LOCK, LOCK_REASON)


def _remove_a_comment(users: dict[str, User], admin: User) -> None:
    author = users["member_francesca"]
    question = db.session.scalar(
        select(Question)
        .where(
            Question.author_id == author.id,
            Question.visibility == Visibility.PUBLIC,
            Question.locked_at.is_(None),
        )
        .order_by(Question.created_at.desc(), Question.id)
        .limit(1)
    )
    if question is None:
        return
    comment = answers.post_comment(question, author, PHONE_COMMENT)
    moderation.act(admin, comment, Action.REMOVE, REMOVE_REASON)


def _flag_a_stance_reason(users: dict[str, User]) -> None:
    """Two experts flag Sara's reason for abstaining on the published board answer: it
    waits in the moderators' queue, hidden, while her abstention stays on the record."""
    stance = db.session.scalar(
        select(Stance)
        .where(Stance.expert_id == users["expert_sara"].id, Stance.stored_reason != "")
        .order_by(Stance.created_at, Stance.id)
        .limit(1)
    )
    if stance is None:
        return
    moderation.flag(
        users["expert_elena"],
        stance,
        FlagReason.OFF_TOPIC,
        "About her own studies rather than this question.",
    )
    moderation.flag(users["expert_paolo"], stance, FlagReason.OFF_TOPIC)
