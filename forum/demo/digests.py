"""The demo's e-mail choices: a daily digest already sent and one waiting, a weekly one
waiting for Monday, and a member who reads notifications in the forum only.

The notifications come from the demo's own events (questions, answers, board
answers); those already there when the choice is made are treated as news that
arrived after it, so ``flask --app forum send-digests`` has something to send.
"""

from __future__ import annotations

from sqlalchemy import select, update

from forum.extensions import db
from forum.models import EmailFrequency, Notification, User
from forum.services.mail import digests


def seed_email_choices(users: dict[str, User]) -> bool:
    """Set the demo's e-mail choices once; False if a digest was already played."""
    daily, weekly = users["expert_elena"], users["expert_sara"]
    if daily.email_frequency != EmailFrequency.IMMEDIATE:
        return False  # chosen on an earlier run (or by hand since): leave it
    digests.set_email_frequency(daily, EmailFrequency.DAILY)
    digests.set_email_frequency(weekly, EmailFrequency.WEEKLY)
    digests.set_email_frequency(users["member_davide"], EmailFrequency.NONE)
    elena_notes = list(
        db.session.scalars(
            select(Notification.id)
            .where(Notification.user_id == daily.id)
            .order_by(Notification.created_at, Notification.id)
        )
    )
    half = len(elena_notes) // 2
    # The older half went out in yesterday's digest (an e-mail in the outbox) ...
    _await_digest(elena_notes[:half])
    digests.send_digests({EmailFrequency.DAILY})
    # ... the newer half waits for the next run, like Sara's week.
    _await_digest(elena_notes[half:])
    _await_digest(
        db.session.scalars(
            select(Notification.id).where(
                Notification.user_id == weekly.id, Notification.read_at.is_(None)
            )
        )
    )
    db.session.commit()
    return True


def _await_digest(notification_ids) -> None:
    ids = list(notification_ids)
    if ids:
        db.session.execute(
            update(Notification).where(Notification.id.in_(ids)).values(awaits_digest=True)
        )
        db.session.commit()
