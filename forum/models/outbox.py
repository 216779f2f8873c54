"""E-mail waiting to be delivered: every message is a row before it is sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.columns import UTCDateTime, enum_column, utcnow


class OutboxStatus(StrEnum):
    QUEUED = "queued"  # waiting for its first or next attempt
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt; an admin can queue it again


class OutboxMessage(db.Model):
    __table_args__ = (Index("ix_outbox_message_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set while a sender delivers the message (forum/services/mail/outbox.py): who claimed
    # it and when, so a second sender leaves it alone, unless the claim is so old
    # that its sender must have died.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The question a notification e-mail is about: if the moderators hide it before
    # the message goes out, the message is withdrawn (forum/services/moderation.py).
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"), index=True
    )
