"""Personal API tokens: a user's key to the JSON API, acting with their role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.columns import UTCDateTime, utcnow


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # Only a SHA-256 of the secret is kept: the token is shown once, at creation,
    # and nobody (admins included) can read it back.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, shown in the list so the owner can
    # tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Chosen when minting: None never expires. A forgotten token should not work forever.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A read-only token may call only the API's reading methods (GET, HEAD).
    read_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    user: Mapped[User] = relationship()  # noqa: F821

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired
