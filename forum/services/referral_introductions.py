"""The introduction between a member and a clinic, confirmed by both sides.

A referral introduces the member who asked to a clinic. Each side answers once:
the member on the referral's page, the clinic through its link
(services/referral_links.py). A decline by either side declines the referral.
When both have accepted, the referral moves to "agreed" and each side's contact
is released to the other (``contacts_released_at``): before that, the member
does not see the clinic's contact and the clinic sees neither the member's name,
e-mail nor organisation (``permissions.can_see_released_contacts``; the clinic's
page asks ``contacts_released`` on the referral). Each answer is a compare-and-set
on the side's column, so a link used twice, or two tabs, answer once.

Also the referral's thread (the member, the experts, the admins and the clinic
write there), and the trial start's confirmation: by the member or the clinic
when an expert or admin recorded it, or an admin's verification with a note.
Everything is audited; the member and the referring expert are notified of what
others do, and the clinic is e-mailed a new link when the member or the board
writes to it or the contacts are released.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditAction,
    Facilitation,
    FacilitationStatus,
    ReferralDecision,
    ReferralLink,
    ReferralMessage,
    TrialConfirmation,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import (
    can_confirm_trial_start,
    can_verify_trial_start,
    can_write_referral_message,
    is_referred_member,
)
from forum.services import audit, facilitations, referral_links
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.mail import notifications

MAX_MESSAGE_LENGTH = 4_000
MAX_DECISION_NOTE_LENGTH = 2_000


def _is_clinic(actor) -> bool:
    return isinstance(actor, ReferralLink)


def _check_link(link: ReferralLink, facilitation: Facilitation) -> None:
    if link.facilitation_id != facilitation.id:
        raise PermissionDenied(_l("This link opens another referral."))


def _text(text: str, limit: int, *, required: bool, field: str, missing) -> str:
    text = (text or "").strip()
    if required and not text:
        raise RuleViolation(missing, field=field)
    if len(text) > limit:
        raise RuleViolation(
            _l("The text is too long (at most %(max)d characters).", max=limit), field=field
        )
    return text


# --- the introduction ------------------------------------------------------------------


def answer_introduction(
    facilitation: Facilitation, actor, decision: ReferralDecision, note: str = ""
) -> None:
    """Record one side's answer: ``actor`` is the member who asked, or the clinic's link.
    A decline declines the referral (the note, if any, is the step's); the second
    acceptance moves it to "agreed" and releases the contacts. Audited and notified.

    Raises PermissionDenied for anyone else; RuleViolation (field "decision") when this
    side has answered already, or the introduction is no longer open.
    """
    decision = ReferralDecision(decision)
    if _is_clinic(actor):
        _check_link(actor, facilitation)
        column, at_column = Facilitation.clinic_decision, "clinic_decided_at"
    else:
        if not is_referred_member(actor, facilitation):
            raise PermissionDenied(_l("Only the member who asked answers this introduction."))
        if facilitation.member_decision is not None:
            raise RuleViolation(
                _l("You have answered this introduction already."), field="decision"
            )
        column, at_column = Facilitation.member_decision, "member_decided_at"
    note = _text(note, MAX_DECISION_NOTE_LENGTH, required=False, field="note", missing="")
    if (
        facilitation.status not in facilitations.INTRODUCTION_OPEN
        or facilitation.contacts_released_at is not None
    ):
        raise RuleViolation(_l("This introduction is no longer open."), field="decision")
    now = utcnow()
    # Compare-and-set: a side answers once, however often its link or form is sent.
    answered = db.session.execute(
        update(Facilitation)
        .where(Facilitation.id == facilitation.id, column.is_(None))
        .values({column.key: decision, at_column: now})
        .execution_options(synchronize_session=False)
    )
    if answered.rowcount != 1:
        db.session.rollback()
        raise RuleViolation(
            _l("This side has answered the introduction already."), field="decision"
        )
    db.session.refresh(facilitation)
    user = facilitations.acting_user(actor)
    side = "clinic" if _is_clinic(actor) else "member"
    audit.record(
        user,
        AuditAction.REFERRAL_ANSWERED,
        facilitation,
        question_id=facilitation.question_id,
        detail=f"{side}: {decision}",
    )
    today = calendar.today()
    if decision == ReferralDecision.DECLINED:
        facilitations.move(facilitation, FacilitationStatus.DECLINED, today, note, actor=actor)
        sentence = (
            _l("The clinic declined the introduction.")
            if _is_clinic(actor)
            else _l("The member declined the introduction.")
        )
    elif (
        facilitation.member_decision == ReferralDecision.ACCEPTED
        and facilitation.clinic_decision == ReferralDecision.ACCEPTED
    ):
        facilitations.move(
            facilitation,
            FacilitationStatus.AGREED,
            today,
            note,
            actor=actor,
            extra={"contacts_released_at": now},
        )
        audit.record(
            user,
            AuditAction.REFERRAL_CONTACTS_RELEASED,
            facilitation,
            question_id=facilitation.question_id,
        )
        sentence = _l(
            "Both sides agreed: the clinic's contact is on the referral's page, "
            "and yours was given to the clinic."
        )
        referral_links.mail_clinic(
            facilitation,
            _l(
                "Both sides agreed to the introduction: the company's contact is now on the "
                "referral's page."
            ),
            user,
        )
    else:
        sentence = (
            _l("The clinic accepted the introduction; it waits for your answer.")
            if _is_clinic(actor)
            else _l("The member accepted the introduction.")
        )
        if note:
            _add_message(facilitation, actor, note)
    notifications.referral_update(facilitation, sentence, actor=user)
    db.session.commit()


# --- the thread --------------------------------------------------------------------------


def _add_message(facilitation: Facilitation, actor, body: str) -> ReferralMessage:
    message = ReferralMessage(
        facilitation_id=facilitation.id,
        body=body,
        author_id=None if _is_clinic(actor) else actor.id,
        by_clinic=_is_clinic(actor),
    )
    db.session.add(message)
    db.session.flush()
    return message


def post_message(facilitation: Facilitation, actor, body: str) -> ReferralMessage:
    """Add a message to the referral's thread; audited. The member and the referring
    expert are notified; a message from anyone but the clinic is e-mailed to the clinic
    with a new link.

    Raises PermissionDenied unless the actor sees the referral or holds its link;
    RuleViolation (field "body") for an empty or too long message.
    """
    if _is_clinic(actor):
        _check_link(actor, facilitation)
    elif not can_write_referral_message(actor, facilitation):
        raise PermissionDenied(
            _l(
                "Only the member who asked, the experts, the admins and the "
                "clinic write in a referral's thread."
            )
        )
    body = _text(
        body, MAX_MESSAGE_LENGTH, required=True, field="body", missing=_l("Write a message.")
    )
    message = _add_message(facilitation, actor, body)
    user = facilitations.acting_user(actor)
    audit.record(
        user,
        AuditAction.REFERRAL_MESSAGE_POSTED,
        facilitation,
        question_id=facilitation.question_id,
        detail="clinic" if _is_clinic(actor) else "",
    )
    if _is_clinic(actor):
        sentence = _l("The clinic wrote in the referral's thread.")
    else:
        sentence = _l("A new message in the referral's thread.")
        referral_links.mail_clinic(
            facilitation, _l("There is a new message for you in the referral's thread."), user
        )
    notifications.referral_update(facilitation, sentence, actor=user)
    db.session.commit()
    return message


# --- the trial's start -----------------------------------------------------------------


def _require_unconfirmed_start(facilitation: Facilitation) -> None:
    if facilitation.trial_started_on is None:
        raise RuleViolation(_l("No trial start is recorded for this referral."))
    if facilitation.trial_confirmation is not None:
        raise RuleViolation(_l("The trial's start is confirmed already."))


def _confirm(
    facilitation: Facilitation, confirmation: TrialConfirmation, user: User | None, note: str = ""
) -> None:
    confirmed = db.session.execute(
        update(Facilitation)
        .where(
            Facilitation.id == facilitation.id,
            Facilitation.trial_confirmation.is_(None),
            Facilitation.trial_started_on.is_not(None),
        )
        .values(
            trial_confirmation=confirmation,
            trial_confirmed_at=utcnow(),
            trial_confirmed_by_id=user.id if user is not None else None,
            trial_verification_note=note,
        )
        .execution_options(synchronize_session=False)
    )
    if confirmed.rowcount != 1:
        db.session.rollback()
        raise RuleViolation(_l("The trial's start is confirmed already."))
    db.session.refresh(facilitation)


def confirm_trial_start(facilitation: Facilitation, actor) -> None:
    """The member who asked, or the clinic through its link, confirms the start an
    expert or admin recorded: from now on it counts in the review. Audited.

    Raises PermissionDenied for anyone else; RuleViolation when no start is recorded
    or it is confirmed already.
    """
    if _is_clinic(actor):
        _check_link(actor, facilitation)
        _require_unconfirmed_start(facilitation)
        confirmation = TrialConfirmation.CLINIC
    else:
        _require_unconfirmed_start(facilitation)
        if not can_confirm_trial_start(actor, facilitation):
            raise PermissionDenied(
                _l(
                    "Only the member who asked and the clinic confirm the "
                    "trial's start; an admin verifies it."
                )
            )
        confirmation = TrialConfirmation.MEMBER
    user = facilitations.acting_user(actor)
    _confirm(facilitation, confirmation, user)
    audit.record(
        user,
        AuditAction.TRIAL_START_CONFIRMED,
        facilitation,
        question_id=facilitation.question_id,
        detail=confirmation.value,
    )
    notifications.referral_update(facilitation, _l("The trial's start was confirmed."), actor=user)
    db.session.commit()


def verify_trial_start(facilitation: Facilitation, admin: User, note: str) -> None:
    """An admin verifies a start neither side confirmed, saying how in ``note`` (e.g.
    "the CET's opinion and the clinic's letter seen"); from now on it counts. Audited.

    Raises PermissionDenied unless the actor is an admin; RuleViolation (field "note")
    without a note, or when no start is recorded or it is confirmed already.
    """
    if not can_verify_trial_start(admin, facilitation):
        _require_unconfirmed_start(facilitation)
        raise PermissionDenied(_l("Only the admins verify a trial's start."))
    note = _text(
        note,
        MAX_DECISION_NOTE_LENGTH,
        required=True,
        field="note",
        missing=_l("Say how the start was verified: what you saw, from whom."),
    )
    _confirm(facilitation, TrialConfirmation.ADMIN, admin, note)
    audit.record(
        admin,
        AuditAction.TRIAL_START_VERIFIED,
        facilitation,
        question_id=facilitation.question_id,
        detail=note[:200],
    )
    notifications.referral_update(
        facilitation, _l("An admin verified the trial's start."), actor=admin
    )
    db.session.commit()
