"""The e-mail outbox: messages are rows first, delivered over SMTP later.

Writing a message is part of the transaction of the action that caused it;
delivery is a separate pass (``flask --app forum outbox send``), so a mail
server outage delays mail but never loses it.
"""
from __future__ import annotations

from forum.extensions import db
from forum.models import OutboxMessage


def enqueue(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Queue one plain-text message for delivery (not committed)."""
    message = OutboxMessage(recipient=recipient, subject=subject[:300], body=body)
    db.session.add(message)
    return message
