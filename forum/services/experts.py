"""Expert profiles: bio, followed topics and the dated declaration of interests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    Answer,
    AuditAction,
    ContentLanguage,
    DeclarationOfInterest,
    ExpertProfile,
    Question,
    Role,
    Topic,
    User,
    topic_follow,
)
from forum.models.columns import utcnow
from forum.permissions import (
    can_edit_expert_profile,
    visible_questions_clause,
    visible_texts_clause,
)
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation

RECENT_ANSWERS = 10


@dataclass(frozen=True)
class ExpertEntry:
    """An expert as the directory and the public profile show them."""

    user: User
    topics: list[Topic]

    @property
    def profile(self) -> ExpertProfile | None:
        return self.user.expert_profile


def profile_of(user: User) -> ExpertProfile:
    """The user's profile, created empty (not committed) if they have none yet."""
    profile = user.expert_profile
    if profile is None:
        profile = ExpertProfile(user=user, bio="", conflicts="", language=ContentLanguage.EN)
        db.session.add(profile)
    return profile


def followed_topic_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(select(topic_follow.c.topic_id).where(topic_follow.c.user_id == user.id))
    )


def followed_topics(user: User) -> list[Topic]:
    return list(
        db.session.scalars(
            select(Topic)
            .join(topic_follow, topic_follow.c.topic_id == Topic.id)
            .where(topic_follow.c.user_id == user.id)
            .order_by(Topic.position, Topic.name)
        )
    )


def update_profile(
    expert: User,
    bio: str,
    conflicts: str,
    topic_ids: Sequence[int],
    language: ContentLanguage | None = None,
) -> ExpertProfile:
    """Save an expert's bio, declaration of interests and followed topics; audited.

    ``language`` is the one the bio and declaration are written in (None keeps it).

    The declaration is dated again whenever its text changes (and when first
    made), so readers know how current it is. Raises PermissionDenied for
    anyone but an expert, RuleViolation (field "topics") for unknown topics.
    """
    if not can_edit_expert_profile(expert):
        raise PermissionDenied(_l("Only the board's experts have an expert profile."))
    wanted_ids = set(topic_ids)
    known_ids = set(db.session.scalars(select(Topic.id).where(Topic.id.in_(wanted_ids))))
    if known_ids != wanted_ids:
        raise RuleViolation(_l("Choose topics from the list."), field="topics")

    profile = profile_of(expert)
    bio = bio.strip()
    conflicts = conflicts.strip()
    now = utcnow()
    changes = []
    if language is not None and language != profile.language:
        profile.language = language
        changes.append("language")
    declaration_changed = conflicts != (profile.conflicts or "") or (
        bool(conflicts) and profile.conflicts_declared_at is None
    )
    if declaration_changed:
        profile.conflicts = conflicts
        profile.conflicts_declared_at = now if conflicts else None
        _add_declaration_version(expert, conflicts, now)
        changes.append("declaration of interests")
    if bio != (profile.bio or ""):
        profile.bio = bio
        changes.append("bio")
    current_ids = followed_topic_ids(expert)
    if wanted_ids != current_ids:
        if current_ids - wanted_ids:
            db.session.execute(
                delete(topic_follow).where(
                    topic_follow.c.user_id == expert.id,
                    topic_follow.c.topic_id.in_(current_ids - wanted_ids),
                )
            )
        if wanted_ids - current_ids:
            db.session.execute(
                insert(topic_follow),
                [
                    {"user_id": expert.id, "topic_id": topic_id}
                    for topic_id in sorted(wanted_ids - current_ids)
                ],
            )
        changes.append("followed topics")
    if changes:
        profile.updated_at = now
        detail = (
            "Declaration of interests changed. "
            if declaration_changed
            else "Declaration of interests unchanged. "
        )
        detail += "Changed: " + ", ".join(changes) + "."
        # The profile's key is the user's id, so the user is the audited subject.
        audit.record(expert, AuditAction.EXPERT_PROFILE_UPDATED, expert, detail=detail)
    db.session.commit()
    return profile


def _add_declaration_version(expert: User, text: str, declared_at) -> DeclarationOfInterest:
    # The expert's own profile form is the only writer, so two versions with one
    # number would need one person saving twice at once: the unique constraint
    # then refuses the second save rather than blur the record.
    number = (
        db.session.scalar(
            select(func.max(DeclarationOfInterest.number)).where(
                DeclarationOfInterest.expert_id == expert.id
            )
        )
        or 0
    ) + 1
    version = DeclarationOfInterest(
        expert_id=expert.id,
        number=number,
        text=text,
        declared_at=declared_at,
        language=profile_of(expert).language,
    )
    db.session.add(version)
    return version


def declaration_in_force(expert: User) -> DeclarationOfInterest | None:
    """The expert's newest declaration version, to record beside what they give now.

    None for someone who never declared (and for members and admins). One query.
    """
    return db.session.scalar(
        select(DeclarationOfInterest)
        .where(DeclarationOfInterest.expert_id == expert.id)
        .order_by(DeclarationOfInterest.number.desc())
        .limit(1)
    )


def declaration_history(expert: User) -> list[DeclarationOfInterest]:
    """Every version of the expert's declaration, newest first (one query)."""
    return list(
        db.session.scalars(
            select(DeclarationOfInterest)
            .where(DeclarationOfInterest.expert_id == expert.id)
            .order_by(DeclarationOfInterest.number.desc())
        )
    )


def _topics_by_user(user_ids: Sequence[int]) -> dict[int, list[Topic]]:
    topics: dict[int, list[Topic]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return topics
    rows = db.session.execute(
        select(topic_follow.c.user_id, Topic)
        .join(Topic, Topic.id == topic_follow.c.topic_id)
        .where(topic_follow.c.user_id.in_(user_ids))
        .order_by(Topic.position, Topic.name)
    )
    for user_id, topic in rows:
        topics[user_id].append(topic)
    return topics


def list_experts() -> list[ExpertEntry]:
    """The active experts, by name, with organisation, profile and topics (three queries)."""
    experts = list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.EXPERT, User.active.is_(True))
            .options(selectinload(User.organisation), selectinload(User.expert_profile))
            .order_by(User.display_name, User.id)
        )
    )
    topics = _topics_by_user([expert.id for expert in experts])
    return [ExpertEntry(user=expert, topics=topics[expert.id]) for expert in experts]


def load_expert(user_id: int) -> ExpertEntry | None:
    """An expert's public profile; None (a 404) if the user is absent, not an expert,
    or deleted their account (nothing links to it any more)."""
    user = db.session.scalar(
        select(User)
        .where(User.id == user_id, User.role == Role.EXPERT, User.deleted_at.is_(None))
        .options(selectinload(User.organisation), selectinload(User.expert_profile))
    )
    if user is None:
        return None
    return ExpertEntry(user=user, topics=followed_topics(user))


def recent_answers(expert: User, viewer, limit: int = RECENT_ANSWERS) -> list[Answer]:
    """The expert's newest answers on questions the viewer may see."""
    return list(
        db.session.scalars(
            select(Answer)
            .join(Question, Question.id == Answer.question_id)
            .where(
                Answer.author_id == expert.id,
                visible_questions_clause(viewer),
                visible_texts_clause(viewer, Answer),
            )
            .options(selectinload(Answer.question))
            .order_by(Answer.created_at.desc(), Answer.id.desc())
            .limit(limit)
        )
    )
