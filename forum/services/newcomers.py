"""New members' posts: a posting budget while the account is young, and, where the
settings ask, their first posts held for a moderator's approval.

Registration (services/accounts/registration.py) creates an account only from the link
e-mailed to its address, and accounts made by admins or the demo are made by
the centre, so every account that can sign in has an address that was verified
or vouched for: there is no unverified account to hold back here.

Experts and admins are the centre's own people: neither rule applies to them.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union_all

from forum.extensions import db
from forum.models import Comment, ModerationState, Question, Role, User
from forum.models.columns import utcnow
from forum.services.errors import RuleViolation


def _is_newcomer(author: User) -> bool:
    return author.role == Role.MEMBER


def _posts_since(author: User, since) -> int:
    posts = union_all(
        select(Question.id).where(Question.author_id == author.id, Question.created_at >= since),
        select(Comment.id).where(Comment.author_id == author.id, Comment.created_at >= since),
    ).subquery()
    return db.session.scalar(select(func.count()).select_from(posts)) or 0


def check_budget(author: User, *, field: str = "body") -> None:
    """Refuse a post from a young member's account that used its day's posts.

    Raises RuleViolation (on ``field``) naming the limit and when the account
    leaves it.
    """
    config = current_app.config
    if not _is_newcomer(author) or config["MODERATION_NEW_ACCOUNT_DAILY_POSTS"] <= 0:
        return
    young_for = timedelta(days=config["MODERATION_NEW_ACCOUNT_DAYS"])
    now = utcnow()
    if now - author.created_at >= young_for:
        return
    limit = config["MODERATION_NEW_ACCOUNT_DAILY_POSTS"]
    if _posts_since(author, now - timedelta(hours=24)) >= limit:
        raise RuleViolation(
            _l(
                "New accounts post at most %(limit)d questions and comments in 24 hours "
                "during their first %(days)d days. Please try again later.",
                limit=limit,
                days=config["MODERATION_NEW_ACCOUNT_DAYS"],
            ),
            field=field,
        )


def initial_state(author: User) -> ModerationState | None:
    """HELD when the author's post must wait for approval, else None (shown at once)."""
    config = current_app.config
    if not config["MODERATION_APPROVE_FIRST_POSTS"] or not _is_newcomer(author):
        return None
    shown = union_all(
        select(Question.id).where(
            Question.author_id == author.id, Question.moderation_state.is_(None)
        ),
        select(Comment.id).where(
            Comment.author_id == author.id, Comment.moderation_state.is_(None)
        ),
    ).subquery()
    approved = db.session.scalar(select(func.count()).select_from(shown)) or 0
    return ModerationState.HELD if approved < config["MODERATION_FIRST_POSTS"] else None
