"""The audit log: every board and curation action, with its actor and time.

Entries are added in the same transaction as the action they record, so an
action is never recorded without having happened, nor the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import AuditAction, AuditEntry, User


def record(
    actor: User | None,
    action: AuditAction,
    subject,
    *,
    question_id: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add an entry for ``action`` on ``subject`` (a model instance); not committed.

    The subject must already have its id (flush first if it is new).
    """
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action.value,
        subject_type=type(subject).__name__,
        subject_id=subject.id,
        question_id=question_id,
        detail=detail,
    )
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilters:
    action: AuditAction | None = None
    actor_id: int | None = None
    question_id: int | None = None
    since: date | None = None
    until: date | None = None  # inclusive


def search(filters: AuditFilters, page: int, per_page: int = 50) -> Pagination:
    """One page of entries matching the filters, newest first (for admins)."""
    statement = select(AuditEntry).options(selectinload(AuditEntry.actor))
    if filters.action is not None:
        statement = statement.where(AuditEntry.action == filters.action.value)
    if filters.actor_id is not None:
        statement = statement.where(AuditEntry.actor_id == filters.actor_id)
    if filters.question_id is not None:
        statement = statement.where(AuditEntry.question_id == filters.question_id)
    if filters.since is not None:
        statement = statement.where(AuditEntry.created_at >= _start_of(filters.since))
    if filters.until is not None and filters.until < date.max:  # date.max has no next day
        statement = statement.where(
            AuditEntry.created_at < _start_of(filters.until + timedelta(days=1))
        )
    statement = statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
