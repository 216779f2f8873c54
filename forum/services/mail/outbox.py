"""The e-mail outbox: messages are rows first, delivered over SMTP later.

Writing a message is part of the transaction of the action that caused it;
delivery is a separate pass (``flask --app forum outbox send``), so a mail
server outage delays mail but never loses it.

A pass claims each due message with a compare-and-set (``UPDATE ... SET
claim_token = ... WHERE id = ? AND status = 'queued' AND`` unclaimed: of two
senders exactly one changes the row, on both databases) and commits the claim;
it then talks SMTP with no transaction open and no row locked, and records the
outcome in a short transaction of its own before the next message. A claim
whose sender died (older than ``CLAIM_TIMEOUT``) may be taken again. Delivery is
therefore at least once: only a crash between the server's acceptance and the
recorded outcome can send a message twice, and the repeat carries the same
Message-ID so mail clients can drop it.
"""

from __future__ import annotations

import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import defer

from forum import metrics
from forum.extensions import db
from forum.models import OutboxMessage, OutboxStatus
from forum.models.columns import utcnow
from forum.services.errors import RuleViolation

# After this many failed attempts a message is FAILED; an admin can queue it again.
MAX_ATTEMPTS = 20
# The wait after the n-th failure is FIRST_RETRY_DELAY * 2**(n-1), at most MAX_RETRY_DELAY:
# 1, 2, 4 ... 32 minutes, then hourly (about 14 hours in all before giving up).
FIRST_RETRY_DELAY = timedelta(minutes=1)
MAX_RETRY_DELAY = timedelta(hours=1)
# Characters of an error kept in last_error: a server's reply can be long.
MAX_ERROR_LENGTH = 500
# A claim older than this belongs to a sender that died: the message may be taken
# again. Far above one message's exchange, which MAIL_TIMEOUT (30 s) bounds per
# step, so a slow but living sender is never overtaken.
CLAIM_TIMEOUT = timedelta(minutes=10)


def enqueue(
    recipient: str, subject: str, body: str, *, question_id: int | None = None
) -> OutboxMessage:
    """Queue one plain-text message for delivery (not committed).

    ``question_id`` names the question a notification is about, so that hiding
    the question withdraws what is not sent yet (``withdraw_about``).
    """
    message = OutboxMessage(
        recipient=recipient, subject=subject[:300], body=body, question_id=question_id
    )
    db.session.add(message)
    return message


def withdraw_about(question_id: int) -> int:
    """Delete the queued, unclaimed notifications about a question (not committed).

    A message a sender has claimed is being delivered and stays; one never sent
    carries nothing worth keeping once its subject is hidden. Returns how many.
    """
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.question_id == question_id,
            OutboxMessage.status == OutboxStatus.QUEUED,
            OutboxMessage.claim_token.is_(None),
        )
    )
    return result.rowcount or 0


@dataclass
class DeliveryReport:
    """What one delivery pass did.

    ``retrying`` failed this pass and will be tried again; ``gave_up`` reached
    the last attempt and is now FAILED; ``waiting`` is what is still queued
    after the pass (due later, or not reached); ``error`` says why the server
    could not be used, when it could not.
    """

    configured: bool
    sent: int = 0
    retrying: int = 0
    gave_up: int = 0
    waiting: int = 0
    error: str | None = None

    @property
    def failed(self) -> int:
        return self.retrying + self.gave_up

    def summary(self) -> str:
        """One line for the operator's log (English, like the rest of the CLI)."""
        if not self.configured:
            return (
                f"MAIL_SERVER is not set: nothing sent; {self.waiting} "
                f"message(s) wait in the outbox."
            )
        line = (
            f"sent {self.sent}, failed {self.failed} ({self.gave_up} given up), "
            f"waiting {self.waiting}"
        )
        if self.error:
            line += f"; {self.error}"
        return line


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next attempt after ``attempts`` failures (at least one)."""
    doublings = min(max(attempts, 1) - 1, 30)  # 2**30 minutes is far beyond the cap
    return min(FIRST_RETRY_DELAY * 2**doublings, MAX_RETRY_DELAY)


def deliver_due(now: datetime | None = None, batch_size: int = 50) -> DeliveryReport:
    """Send the queued messages due at ``now`` (oldest first, at most ``batch_size``).

    One SMTP connection serves the pass. Each message's outcome is committed
    before the next is sent. A failure (connection refused, timeout, an SMTP
    error) counts one attempt, keeps the message queued with its error and a
    backed-off ``next_attempt_at``, or marks it FAILED after ``MAX_ATTEMPTS``.
    If the server cannot be reached, every due message gets that failure; if
    the connection drops mid-pass, the pass stops and the rest stay due.
    Without MAIL_SERVER nothing is sent and the report says so.

    Raises nothing for mail problems (they are recorded on the messages);
    database errors propagate.
    """
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return DeliveryReport(configured=False, waiting=_count_queued())
    now = now or utcnow()
    report = DeliveryReport(configured=True)
    due_ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.QUEUED,
                OutboxMessage.next_attempt_at <= now,
                _unclaimed(),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(batch_size)
        )
    )
    db.session.commit()  # end the read; each message is then claimed on its own

    connection: smtplib.SMTP | None = None
    try:
        for message_id in due_ids:
            claim = _claim(message_id, now)
            if claim is None:  # another sender has it, or has already sent it
                continue
            if connection is None and report.error is None:
                try:
                    connection = _connect(config)
                except OSError as error:  # smtplib's errors and ssl's are OSErrors
                    report.error = f"cannot connect to the mail server: {_describe(error)}"
            if connection is None:
                _record_failure(claim, report.error, now, report)
                continue
            if isinstance(claim.email, str):
                # A malformed address or header: no retry will fix it.
                _record_failure(claim, claim.email, now, report, give_up=True)
                continue
            try:
                connection.send_message(claim.email)
            except OSError as error:  # smtplib's errors, timeouts and socket errors
                _record_failure(claim, _describe(error), now, report)
                if _connection_still_usable(error):
                    continue
                report.error = f"connection lost: {_describe(error)}"
                _close(connection)
                connection = None
                break
            _record_sent(claim)
            report.sent += 1
    finally:
        db.session.rollback()
        if connection is not None:
            _close(connection)
    report.waiting = _count_queued()
    return report


def requeue(message: OutboxMessage) -> OutboxMessage:
    """Queue a FAILED message again, due now, with a fresh count of attempts; commits.

    Its last error stays visible until the next attempt. Raises RuleViolation
    if the message has not failed.
    """
    if message.status != OutboxStatus.FAILED:
        raise RuleViolation(_l("Only a failed message can be queued again."))
    message.status = OutboxStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claim_token = message.claimed_at = None
    db.session.commit()
    return message


def outbox_summary() -> dict[OutboxStatus, int]:
    """How many messages are in each status (every status present, zero or more)."""
    counts = dict.fromkeys(OutboxStatus, 0)
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    for status, count in rows:
        counts[OutboxStatus(status)] = count
    return counts


def list_messages(status: OutboxStatus | None, page: int, per_page: int = 50) -> Pagination:
    """One page of messages, newest first, optionally of one status (bodies not loaded).

    Raises nothing; a page beyond the last is empty.
    """
    statement = select(OutboxMessage).options(defer(OutboxMessage.body))
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    statement = statement.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def _count_queued() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED)
    )


@dataclass(frozen=True)
class _Claim:
    """A message this sender holds: its e-mail (or why none can be built), and what
    its outcome is recorded against."""

    message_id: int
    token: str
    attempts: int
    email: EmailMessage | str


def _unclaimed():
    """No sender holds the message, or its sender died (its claim timed out)."""
    return or_(
        OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < utcnow() - CLAIM_TIMEOUT
    )


def _claim(message_id: int, now: datetime) -> _Claim | None:
    """Claim the message if it is still queued, due and unclaimed, and commit the
    claim; None if another sender has it or it is no longer due.

    Compare-and-set: the UPDATE's condition decides, so of two senders exactly one
    changes the row (PostgreSQL re-checks it on the row's newest version; SQLite runs
    one writer at a time). The transaction ends before the caller talks to the mail
    server: no row lock, no open transaction during SMTP.
    """
    token = secrets.token_hex(16)
    claimed = (
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == OutboxStatus.QUEUED,
                OutboxMessage.next_attempt_at <= now,
                _unclaimed(),
            )
            .values(claim_token=token, claimed_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    db.session.commit()
    if not claimed:
        return None
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    try:
        email: EmailMessage | str = _email_for(message, current_app.config)
    except (ValueError, TypeError) as error:
        email = f"cannot build the message: {_describe(error)}"
    claim = _Claim(message_id, token, message.attempts, email)
    db.session.rollback()  # the read's transaction: nothing stays open during SMTP
    return claim


def _record_sent(claim: _Claim) -> None:
    """The server accepted the message: it is sent, whoever holds the claim now (had a
    sender taken over a claim thought dead, the message would only go twice)."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == claim.message_id, OutboxMessage.status == OutboxStatus.QUEUED)
        .values(
            status=OutboxStatus.SENT,
            sent_at=utcnow(),
            attempts=OutboxMessage.attempts + 1,
            last_error=None,
            claim_token=None,
            claimed_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _record_failure(
    claim: _Claim, error: str, now: datetime, report: DeliveryReport, give_up: bool = False
) -> None:
    """Count a failed attempt and release the claim: the message waits for its next
    attempt, or is FAILED after the last one (or at once, ``give_up``).

    Only while this sender still holds the claim: a sender that took it over
    after a timeout owns the outcome.
    """
    metrics.outbox_delivery_failures.inc()
    attempts = claim.attempts + 1
    values = {
        "attempts": attempts,
        "last_error": error[:MAX_ERROR_LENGTH],
        "claim_token": None,
        "claimed_at": None,
    }
    if give_up or attempts >= MAX_ATTEMPTS:
        values["status"] = OutboxStatus.FAILED
        report.gave_up += 1
    else:
        values["next_attempt_at"] = now + retry_delay(attempts)
        report.retrying += 1
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == claim.message_id, OutboxMessage.claim_token == claim.token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _connect(config) -> smtplib.SMTP:
    """An open, authenticated connection; raises OSError (smtplib's errors included)."""
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    security = config.get("MAIL_SECURITY", "none")
    if security == "ssl":
        connection = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
    try:
        connection.ehlo()
        if security == "starttls":
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
        if config.get("MAIL_USERNAME"):
            connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except BaseException:
        _close(connection)
        raise
    return connection


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except OSError:
        connection.close()


def _connection_still_usable(error: OSError) -> bool:
    """True when the server refused one message but the session goes on (it reset it)."""
    return isinstance(error, smtplib.SMTPException) and not isinstance(
        error, smtplib.SMTPServerDisconnected
    )


def _email_for(message: OutboxMessage, config) -> EmailMessage:
    sender = config["MAIL_DEFAULT_SENDER"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    # A header cannot hold a line break; subjects come from titles users typed.
    email["Subject"] = " ".join(message.subject.split())
    email["Date"] = format_datetime(utcnow())
    # The same on every attempt, so a rare repeat after a crash can be recognised.
    stamp = int(message.created_at.timestamp() * 1_000_000)
    email["Message-ID"] = f"<outbox.{message.id}.{stamp}@{domain}>"
    email.set_content(message.body, charset="utf-8")
    return email


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        return f"SMTP {error.smtp_code}: {text}"
    return f"{type(error).__name__}: {error}".rstrip(": ")
