"""E-mail digests: a person's notifications gathered into one e-mail a day or a week.

A person chooses how notifications reach their mailbox (``User.email_frequency``,
on the account page): immediate (one e-mail each, the default), a daily or a
weekly digest, or none. With a digest, ``notifications`` marks each new
notification ``awaits_digest`` instead of queueing an e-mail; ``send_digests``,
run by ``flask --app forum send-digests`` from cron, gathers them per person
into one e-mail in the person's language, queued in the outbox like any other,
and clears the mark in the same transaction: run twice, the second run finds
nothing to send.

Nothing the recipient can no longer see goes into a digest: each notification's
question passes ``can_see_question`` for the recipient at the time of the run (a
question made confidential, or hidden by the moderators, since the event drops
out). A confidential question's title never goes into an e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from forum import calendar
from forum.extensions import db
from forum.models import EmailFrequency, GuideProposal, Notification, User
from forum.models.columns import utcnow
from forum.models.generation import private_to
from forum.permissions import can_see_question
from forum.services.mail import outbox
from forum.services.mail.letters import in_reader_language
from forum.services.mail.notifications import event_sentence, external_url

DIGESTS = (EmailFrequency.DAILY, EmailFrequency.WEEKLY)
# Weekly digests go out on the run of this day of the week (Monday), in FORUM_TIMEZONE.
WEEKLY_DIGEST_WEEKDAY = 0


@dataclass
class DigestReport:
    """What one run did: e-mails queued, notifications they carried, and those left out."""

    emails: int = 0
    notifications: int = 0
    left_out: int = 0
    recipients: list[str] = field(default_factory=list)


def set_email_frequency(user: User, frequency: EmailFrequency) -> None:
    """Record how the person's notifications reach their mailbox; commits.

    Choosing no e-mail drops what waited for a digest (the in-app list keeps
    it). Choosing immediate leaves it for the next run, which sends it as a
    last digest rather than losing it.
    """
    user.email_frequency = frequency
    if frequency == EmailFrequency.NONE:
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.awaits_digest.is_(True))
            .values(awaits_digest=False)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def frequencies_due(day: date) -> set[EmailFrequency]:
    """The digests a run on ``day`` sends: daily ones always, weekly ones on their weekday."""
    due = {EmailFrequency.DAILY}
    if day.weekday() == WEEKLY_DIGEST_WEEKDAY:
        due.add(EmailFrequency.WEEKLY)
    return due


def send_digests(frequencies: Iterable[EmailFrequency] | None = None) -> DigestReport:
    """Queue one digest e-mail per person whose digest is due; commits once per person.

    ``frequencies`` defaults to what is due today (``frequencies_due``). People
    who went back to immediate e-mails get what still waited, too. Each
    person's notifications are taken by a compare-and-set on ``awaits_digest``,
    so two runs at once never send the same news twice.
    """
    due = set(frequencies if frequencies is not None else frequencies_due(calendar.today()))
    due.add(EmailFrequency.IMMEDIATE)
    people = db.session.scalars(
        select(User)
        .where(
            User.email_frequency.in_(due),
            User.id.in_(select(Notification.user_id).where(Notification.awaits_digest.is_(True))),
        )
        .order_by(User.id)
    ).all()
    report = DigestReport()
    for person in people:
        _send_one(person, report)
    return report


def _send_one(person: User, report: DigestReport) -> None:
    pending = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == person.id, Notification.awaits_digest.is_(True))
        .options(
            selectinload(Notification.actor),
            selectinload(Notification.question),
            selectinload(Notification.guide_proposal).selectinload(GuideProposal.section),
        )
        .order_by(Notification.created_at, Notification.id)
    ).all()
    if not pending:
        return
    now = utcnow()
    taken = db.session.execute(
        private_to(
            update(Notification)
            .where(
                Notification.id.in_([note.id for note in pending]),
                Notification.awaits_digest.is_(True),
            )
            .values(awaits_digest=False, digested_at=now)
            .execution_options(synchronize_session=False),
            person.id,  # the notifications were chosen by their user_id above
        )
    ).rowcount
    if taken != len(pending):
        db.session.rollback()  # another run took some of them: it sends them
        return
    shown = [note for note in pending if person.active and _still_visible(person, note)]
    report.left_out += len(pending) - len(shown)
    if shown:
        subject, body = compose_digest(person, shown)
        outbox.enqueue(person.email, subject, body)
        report.emails += 1
        report.notifications += len(shown)
        report.recipients.append(person.email)
    db.session.commit()


def _still_visible(person: User, note: Notification) -> bool:
    if note.question is not None:
        return can_see_question(person, note.question)
    return note.guide_proposal is not None


def compose_digest(person: User, notes: list[Notification]) -> tuple[str, str]:
    """Subject and plain-text body of one digest, in the person's language."""
    with in_reader_language(person.locale):
        if person.email_frequency == EmailFrequency.WEEKLY:
            subject = ngettext(
                "[CTCC forum] Your weekly digest: %(num)d notification",
                "[CTCC forum] Your weekly digest: %(num)d notifications",
                len(notes),
            )
        else:
            subject = ngettext(
                "[CTCC forum] Your digest: %(num)d notification",
                "[CTCC forum] Your digest: %(num)d notifications",
                len(notes),
            )
        parts = [
            _("Hello %(name)s,", name=person.display_name),
            _("Here is what happened on the forum since your last digest."),
        ]
        parts.extend(_entry(note) for note in notes)
        parts += [
            _("All your notifications: %(link)s", link=external_url("notifications.index")),
            "-- ",
            _(
                "You receive this digest because you chose it on your account page of the "
                "Clinical Trials Competence Centre forum. Change it at %(link)s",
                link=external_url("account.index"),
            ),
        ]
    return subject, "\n\n".join(parts) + "\n"


def _entry(note: Notification) -> str:
    actor_name = note.actor.display_name if note.actor is not None else _("The centre")
    lines = ["* " + event_sentence(note.kind, actor_name)]
    if note.question is not None:
        if note.question.is_confidential:
            lines.append(
                "  " + _("(The question is confidential: its title is not sent by e-mail.)")
            )
        else:
            lines.append("  " + _("Question: %(title)s", title=note.question.title))
        lines.append("  " + external_url("questions.show", question_id=note.question.id))
    else:
        lines.append("  " + _("Section: %(title)s", title=note.guide_proposal.section.title))
        lines.append(
            "  " + external_url("guide_proposals.show", proposal_id=note.guide_proposal.id)
        )
    return "\n".join(lines)
