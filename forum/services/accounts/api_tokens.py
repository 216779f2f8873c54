"""Personal API tokens: created and revoked by their owner, resolved on every API request.

A token is ``ctcc_`` followed by 43 random URL-safe characters (32 bytes). Only
its SHA-256 is stored: the secret is shown once, at creation, and nobody can
read it back. A bearer secret is found by the hash of what was sent, an index
lookup, so no comparison of secrets happens whose timing could leak them.

A token acts as its owner with the owner's role and nothing more, or less: a
read-only token may only read (the API refuses its writes with 403). It may be
given a lifetime when created (LIFETIMES_IN_DAYS), after which it stops
working by itself; it stops working when revoked (by its owner, or by a change or reset of the owner's
password), or when its owner is deactivated or deletes the account.
``last_used_at`` is written at most once a minute per token, never on every
request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import ApiToken, AuditAction, User
from forum.models.columns import utcnow
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation

TOKEN_PREFIX = "ctcc_"  # nosec B105  # the public mark of our tokens, not a secret
PREFIX_SHOWN = 12  # "ctcc_" and 7 random characters: enough to tell tokens apart
MAX_NAME_LENGTH = 80  # ApiToken.name
MAX_TOKENS_PER_USER = 50  # active ones; a runaway script should not mint thousands
# Longer than any token we issue; anything longer is refused before hashing.
MAX_SECRET_LENGTH = 128
LAST_USED_RESOLUTION = timedelta(minutes=1)
# The lifetimes offered when minting; None: the token never expires.
LIFETIMES_IN_DAYS = (30, 90, 365, None)


@dataclass(frozen=True)
class NewToken:
    """A token just created, and its secret: the only time the secret exists outside the client."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(
    owner: User, name: str, *, lifetime_days: int | None = None, read_only: bool = False
) -> NewToken:
    """Create a token for ``owner`` named ``name``; returns it with its secret (commits).

    ``lifetime_days`` (one of LIFETIMES_IN_DAYS) makes it expire that many days
    from now; ``read_only`` limits it to reading. Raises RuleViolation (field
    "name") for an empty or too long name, or when the owner already has the
    most active tokens allowed; (field "lifetime") for a lifetime not offered.
    """
    name = " ".join((name or "").split())
    if not name:
        raise RuleViolation(
            _l("Give the token a name, such as the script that will use it."), field="name"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise RuleViolation(
            _l("The name can be at most %(max)d characters long.", max=MAX_NAME_LENGTH),
            field="name",
        )
    if lifetime_days not in LIFETIMES_IN_DAYS:
        raise RuleViolation(_l("Choose one of the lifetimes offered."), field="lifetime")
    active = [token for token in list_tokens(owner, include_revoked=False) if token.is_active]
    if len(active) >= MAX_TOKENS_PER_USER:
        raise RuleViolation(
            _l(
                "You have %(max)d active tokens: revoke one you no longer use first.",
                max=MAX_TOKENS_PER_USER,
            ),
            field="name",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=owner.id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=secret[:PREFIX_SHOWN],
        created_at=now,
        read_only=read_only,
        expires_at=None if lifetime_days is None else now + timedelta(days=lifetime_days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        owner,
        AuditAction.API_TOKEN_CREATED,
        token,
        detail=f"{name} (read-only)" if read_only else name,
    )
    db.session.commit()
    return NewToken(token, secret)


def list_tokens(owner: User, *, include_revoked: bool = True) -> list[ApiToken]:
    """The owner's tokens, active ones first, newest first within each."""
    statement = select(ApiToken).where(ApiToken.user_id == owner.id)
    if not include_revoked:
        statement = statement.where(ApiToken.revoked_at.is_(None))
    tokens = db.session.scalars(statement.order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    return sorted(tokens, key=lambda token: not token.is_active)


def get_own_token(owner: User, token_id: int) -> ApiToken | None:
    """The token if it exists and belongs to ``owner``; None otherwise (someone else's is a 404)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != owner.id:
        return None
    return token


def revoke(token: ApiToken, actor: User) -> ApiToken:
    """Revoke the token: it stops working at once (commits). Revoking twice is harmless.

    Raises PermissionDenied if ``actor`` does not own it.
    """
    if token.user_id != actor.id:
        raise PermissionDenied(_l("Only the owner of a token can revoke it."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, AuditAction.API_TOKEN_REVOKED, token, detail=token.name)
        db.session.commit()
    return token


def revoke_all(owner: User) -> list[ApiToken]:
    """Revoke every active token of ``owner`` (not committed); returns those revoked.

    Called when the password changes or is reset: a token minted by whoever knew
    the old password must stop working with it.
    """
    tokens = [token for token in list_tokens(owner, include_revoked=False) if token.is_active]
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
        audit.record(owner, AuditAction.API_TOKEN_REVOKED, token, detail=token.name)
    return tokens


def resolve(secret: str | None) -> ApiToken | None:
    """The active token a bearer secret is, with its active owner (``token.user``), or None.

    None for anything that is not one of our tokens, a revoked or expired token,
    and a token whose owner is deactivated or deleted. Notes the use (at most
    once a minute per token, in its own small commit).
    """
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_SECRET_LENGTH:
        return None
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_secret(secret))
        .options(selectinload(ApiToken.user).selectinload(User.organisation))
    )
    if token is None or not token.is_active:
        return None
    user = token.user
    if user is None or not user.active or user.deleted_at is not None:
        return None
    _note_use(token)
    return token


def _note_use(token: ApiToken) -> None:
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    # Conditional, so two workers using the token in the same minute write once;
    # api_token is not content, so this does not empty the page cache.
    db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(
                ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - LAST_USED_RESOLUTION
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
