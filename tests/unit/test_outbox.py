"""Delivering the outbox over SMTP, against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import signal
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import update

from forum.extensions import db
from forum.models import OutboxMessage, OutboxStatus
from forum.models.columns import utcnow
from forum.services.errors import RuleViolation
from forum.services.mail import outbox

SENDER = "Clinical Trials Competence Centre <forum@ctcc.example>"


class Recorder:
    """An aiosmtpd handler that keeps what it receives and refuses chosen recipients."""

    def __init__(self, refuse: tuple[str, ...] = ()):
        self.received = []  # (envelope sender, recipients, parsed message, session)
        self.refuse = refuse
        self.logins = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed, session))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login, auth_data.password))
        # handled=False: aiosmtpd then answers 535 itself.
        return AuthResult(success=auth_data.password == b"right-password", handled=False)

    @property
    def messages(self):
        return [parsed for _, _, parsed, _ in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """Starts and stops an aiosmtpd server on a fixed free port, so a test can cut it off."""

    def __init__(self, port: int):
        self.port = port
        self.handler = Recorder()
        self.controller = None

    def start(self, **options) -> Recorder:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()
        return self.handler

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(app):
    server = SmtpServer(free_port())
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=server.port,
        MAIL_TIMEOUT=5,
        MAIL_SECURITY="none",
        MAIL_USERNAME=None,
        MAIL_PASSWORD=None,
        MAIL_DEFAULT_SENDER=SENDER,
    )
    yield server
    server.stop()


def queue(
    *recipients: str,
    subject: str = "A new answer to your question",
    body: str = "Hello,\n\nan expert answered.\n",
) -> list[int]:
    messages = [outbox.enqueue(recipient, subject, body) for recipient in recipients]
    db.session.commit()
    return [message.id for message in messages]


def reload(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_queued_mail_arrives_with_its_headers_and_utf8_body(smtp):
    server = smtp.start()
    first, second = queue(
        "anna@example.org",
        "marco@example.org",
        subject="Perché serve la notifica? Risposta dell'esperto",
        body="Gentile utente,\n\nla risposta è pronta: più dettagli nel forum.\n",
    )

    report = outbox.deliver_due()

    assert (report.sent, report.failed, report.waiting) == (2, 0, 0)
    assert [recipients for _, recipients, _, _ in server.received] == [
        ["anna@example.org"],
        ["marco@example.org"],
    ]
    mail = server.messages[0]
    assert server.received[0][0] == "forum@ctcc.example"
    assert mail["From"] == SENDER
    assert mail["To"] == "anna@example.org"
    assert mail["Subject"] == "Perché serve la notifica? Risposta dell'esperto"
    assert mail["Message-ID"].startswith(f"<outbox.{first}.") and mail["Message-ID"].endswith(
        "@ctcc.example>"
    )
    assert mail["Message-ID"] != server.messages[1]["Message-ID"]
    assert mail["Date"].datetime is not None
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert (
        mail.get_content().replace("\r\n", "\n")
        == "Gentile utente,\n\nla risposta è pronta: più dettagli nel forum.\n"
    )
    for message_id in (first, second):
        message = reload(message_id)
        assert message.status == OutboxStatus.SENT
        assert message.sent_at is not None and message.attempts == 1
        assert message.last_error is None


def test_one_connection_serves_the_whole_pass_oldest_first(smtp):
    server = smtp.start()
    queue("newer@example.org")
    older = queue("older@example.org")
    reload(older[0]).next_attempt_at = utcnow() - timedelta(hours=1)
    db.session.commit()

    outbox.deliver_due()

    assert [to for _, [to], _, _ in server.received] == ["older@example.org", "newer@example.org"]
    assert len({id(session) for _, _, _, session in server.received}) == 1


def test_a_pass_sends_at_most_its_batch(smtp):
    smtp.start()
    queue("a@example.org", "b@example.org", "c@example.org")

    report = outbox.deliver_due(batch_size=2)

    assert (report.sent, report.waiting) == (2, 1)


def test_a_message_another_sender_took_meanwhile_is_not_sent_again(smtp, monkeypatch):
    server = smtp.start()
    taken, _ = queue("taken@example.org", "free@example.org")
    real_claim = outbox._claim

    def claim_after_another_sender_sent_it(message_id, now):
        if message_id == taken:
            with db.engine.begin() as other_sender:
                other_sender.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == taken)
                    .values(status=OutboxStatus.SENT)
                )
        return real_claim(message_id, now)

    monkeypatch.setattr(outbox, "_claim", claim_after_another_sender_sent_it)

    report = outbox.deliver_due()

    assert report.sent == 1
    assert [to for _, [to], _, _ in server.received] == ["free@example.org"]


def test_a_message_claimed_by_a_sender_that_died_goes_once_its_claim_times_out(smtp):
    server = smtp.start()
    stale, fresh = queue("stale@example.org", "fresh@example.org")
    with db.engine.begin() as crashed_senders:
        crashed_senders.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == stale)
            .values(
                claim_token="a" * 32,
                claimed_at=utcnow() - outbox.CLAIM_TIMEOUT - timedelta(seconds=1),
            )
        )
        crashed_senders.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == fresh)
            .values(claim_token="b" * 32, claimed_at=utcnow() - timedelta(minutes=1))
        )

    report = outbox.deliver_due()

    # The fresh claim may belong to a sender still at work: left alone, still queued.
    assert [to for _, [to], _, _ in server.received] == ["stale@example.org"]
    assert (report.sent, report.waiting) == (1, 1)
    assert reload(stale).status == OutboxStatus.SENT and reload(stale).claim_token is None
    assert reload(fresh).status == OutboxStatus.QUEUED


def test_a_failed_attempt_releases_the_claim_for_the_next_pass(smtp):
    [message_id] = queue("anna@example.org")  # the server is not started: refused

    outbox.deliver_due()

    message = reload(message_id)
    assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 1)
    assert message.claim_token is None and message.claimed_at is None
    smtp.start()
    assert outbox.deliver_due(now=message.next_attempt_at).sent == 1


def test_with_the_server_down_mail_stays_queued_and_goes_once_it_is_back(smtp):
    ids = queue("anna@example.org", "marco@example.org")
    now = utcnow()

    report = outbox.deliver_due(now)  # nothing listens on the port

    assert (report.sent, report.retrying, report.waiting) == (0, 2, 2)
    assert "cannot connect to the mail server" in report.error
    for message_id in ids:
        message = reload(message_id)
        assert message.status == OutboxStatus.QUEUED
        assert message.attempts == 1
        assert (
            "Connection refused" in message.last_error or "ConnectionRefused" in message.last_error
        )
        assert message.next_attempt_at == now + timedelta(minutes=1)

    # Not due yet: a pass a few seconds later leaves them alone.
    assert outbox.deliver_due(now + timedelta(seconds=10)).failed == 0
    assert reload(ids[0]).attempts == 1

    server = smtp.start()
    report = outbox.deliver_due(now + timedelta(minutes=2))

    assert (report.sent, report.failed, report.waiting) == (2, 0, 0)
    assert len(server.received) == 2
    message = reload(ids[0])
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    assert message.last_error is None


def test_the_wait_between_attempts_doubles_up_to_an_hour(smtp):
    [message_id] = queue("anna@example.org")
    waits = []
    for _ in range(8):
        due = reload(message_id).next_attempt_at
        outbox.deliver_due(due)
        waits.append(reload(message_id).next_attempt_at - due)

    assert waits == [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert outbox.retry_delay(500) == timedelta(hours=1)


def test_a_message_fails_for_good_after_the_last_attempt_and_an_admin_can_requeue_it(
    smtp, monkeypatch
):
    monkeypatch.setattr(outbox, "MAX_ATTEMPTS", 3)
    [message_id] = queue("anna@example.org")
    reports = []
    for _ in range(3):
        reports.append(outbox.deliver_due(reload(message_id).next_attempt_at))

    message = reload(message_id)
    assert message.status == OutboxStatus.FAILED and message.attempts == 3
    assert [report.gave_up for report in reports] == [0, 0, 1]
    assert outbox.deliver_due(utcnow() + timedelta(days=1)).failed == 0
    assert outbox.outbox_summary() == {
        OutboxStatus.QUEUED: 0,
        OutboxStatus.SENT: 0,
        OutboxStatus.FAILED: 1,
    }

    outbox.requeue(message)

    message = reload(message_id)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0
    assert message.next_attempt_at <= utcnow()
    server = smtp.start()
    assert outbox.deliver_due().sent == 1
    assert reload(message_id).status == OutboxStatus.SENT
    assert len(server.received) == 1


def test_only_a_failed_message_can_be_requeued(smtp):
    [message_id] = queue("anna@example.org")
    with pytest.raises(RuleViolation):
        outbox.requeue(reload(message_id))


def test_a_refused_recipient_is_retried_while_the_others_go(smtp):
    smtp.handler.refuse = ("nobody@example.org",)
    server = smtp.start()
    refused, accepted = queue("nobody@example.org", "anna@example.org")

    report = outbox.deliver_due()

    assert (report.sent, report.retrying) == (1, 1)
    assert [to for _, [to], _, _ in server.received] == ["anna@example.org"]
    message = reload(refused)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1
    assert "550" in message.last_error
    assert reload(accepted).status == OutboxStatus.SENT


def test_a_server_that_never_answers_times_out_and_the_mail_waits(app, smtp):
    app.config["MAIL_TIMEOUT"] = 0.3
    [message_id] = queue("anna@example.org")
    with socket.socket() as silent:  # accepts connections, never greets
        silent.bind(("127.0.0.1", smtp.port))
        silent.listen()
        report = outbox.deliver_due()

    assert (report.sent, report.retrying) == (0, 1)
    message = reload(message_id)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1
    assert "timed out" in message.last_error.lower() or "timeout" in message.last_error.lower()


def test_the_configured_credentials_log_in(app, smtp):
    app.config.update(MAIL_USERNAME="forum", MAIL_PASSWORD="right-password")
    server = smtp.start(authenticator=smtp.handler.authenticate, auth_require_tls=False)
    queue("anna@example.org")

    assert outbox.deliver_due().sent == 1
    assert server.logins == [(b"forum", b"right-password")]


def test_wrong_credentials_keep_the_mail_queued_with_the_reason(app, smtp):
    app.config.update(MAIL_USERNAME="forum", MAIL_PASSWORD="wrong-password")
    server = smtp.start(authenticator=smtp.handler.authenticate, auth_require_tls=False)
    [message_id] = queue("anna@example.org")

    report = outbox.deliver_due()

    assert (report.sent, report.retrying) == (0, 1)
    assert server.received == []
    assert "535" in reload(message_id).last_error


def test_without_a_mail_server_nothing_is_sent_and_mail_waits(app, smtp):
    server = smtp.start()
    app.config["MAIL_SERVER"] = None
    [message_id] = queue("anna@example.org")

    report = outbox.deliver_due()

    assert not report.configured and report.waiting == 1
    assert "MAIL_SERVER is not set" in report.summary()
    assert server.received == []
    message = reload(message_id)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0


def test_the_send_command_delivers_one_pass(app, smtp):
    server = smtp.start()
    [message_id] = queue("anna@example.org")

    result = app.test_cli_runner().invoke(args=["outbox", "send"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 1, failed 0 (0 given up), waiting 0"
    assert len(server.received) == 1
    assert reload(message_id).status == OutboxStatus.SENT


def test_the_send_command_without_a_mail_server_reports_what_waits(app, smtp):
    app.config["MAIL_SERVER"] = None
    queue("anna@example.org", "marco@example.org")

    result = app.test_cli_runner().invoke(args=["outbox", "send", "--loop"])

    assert result.exit_code == 0, result.output
    assert "MAIL_SERVER is not set" in result.output
    assert "2 message(s) wait" in result.output


def test_the_send_loop_runs_passes_until_interrupted(app, smtp, monkeypatch):
    server = smtp.start()
    queue("anna@example.org")
    real_deliver_due = outbox.deliver_due
    passes = []

    def deliver_then_press_ctrl_c_on_the_second_pass(*args, **kwargs):
        report = real_deliver_due(*args, **kwargs)
        passes.append(report)
        if len(passes) == 2:
            signal.raise_signal(signal.SIGINT)
        return report

    monkeypatch.setattr(outbox, "deliver_due", deliver_then_press_ctrl_c_on_the_second_pass)
    handler_before = signal.getsignal(signal.SIGINT)

    result = app.test_cli_runner().invoke(args=["outbox", "send", "--loop", "--interval", "0"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "sent 1, failed 0 (0 given up), waiting 0",
        "sent 0, failed 0 (0 given up), waiting 0",
        "Stopped.",
    ]
    assert len(server.received) == 1
    assert signal.getsignal(signal.SIGINT) is handler_before
