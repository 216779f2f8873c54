"""Referrals of members' questions to clinics (facilitations): their steps.

An expert or an admin refers a question to a clinic; the clinic's contact is
e-mailed a link (services/referral_links.py) and both sides answer the
introduction (services/referral_introductions.py). The referral moves

    proposed → contacted → agreed → trial started → first subject enrolled
    → completed → report submitted / CE mark obtained

or is declined before the start, or abandoned (with the reason as its note)
after it. "Agreed" is never recorded by hand: only both sides' acceptance makes
it, releasing each side's contact to the other (the double opt-in). Each move
is a dated, noted FacilitationStep; the referral's ``status`` is its latest
step. Declined, CE mark obtained and abandoned are final. Dates are calendar
days in the forum's time zone (FORUM_TIMEZONE): a step cannot be dated in the
future nor before the step before it, and a referral not before the day the
question was asked.

Who records which step (``next_statuses``): the experts and admins any step
but the agreement; the two sides (the member who asked, and the clinic through
its link) the start and what follows, and declining once agreed (before that,
they decline by answering the introduction). A start recorded by the member
or the clinic is confirmed at once; one recorded by an expert or an admin
counts in the review only once a side confirms it or an admin verifies it
with a note (services/facilitation_figures.py counts the trials).

Who sees a referral is ``permissions.can_see_referrals`` on its question: the
question's author, experts and admins, so a confidential question's referral
stays as hidden as the question. Loading a referral and the lists of referrals
are services/referral_reading.py.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from forum import calendar
from forum.extensions import db
from forum.labels import FACILITATION_STATUS_LABELS
from forum.models import (
    AuditAction,
    Clinic,
    Facilitation,
    FacilitationStatus,
    FacilitationStep,
    Question,
    ReferralLink,
    TrialConfirmation,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import (
    can_advance_referral,
    can_refer,
    is_referred_member,
    sees_all_confidential,
)
from forum.services import audit, projects, referral_links
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.mail import notifications

MAX_NOTE_LENGTH = 2_000

S = FacilitationStatus
# Where a referral may go from each status; the final ones go nowhere.
TRANSITIONS: dict[FacilitationStatus, tuple[FacilitationStatus, ...]] = {
    S.PROPOSED: (S.CONTACTED, S.DECLINED),
    S.CONTACTED: (S.AGREED, S.DECLINED),
    S.AGREED: (S.TRIAL_STARTED, S.DECLINED),
    S.TRIAL_STARTED: (S.ENROLLED, S.ABANDONED),
    S.ENROLLED: (S.COMPLETED, S.ABANDONED),
    S.COMPLETED: (S.REPORT_SUBMITTED, S.CE_MARKED, S.ABANDONED),
    S.REPORT_SUBMITTED: (S.CE_MARKED, S.ABANDONED),
    S.CE_MARKED: (),
    S.DECLINED: (),
    S.ABANDONED: (),
}
FINAL_STATUSES = frozenset(status for status, following in TRANSITIONS.items() if not following)
# The trial has started: the statuses from "trial started" on, the outcomes included.
STARTED_STATUSES = frozenset(
    {S.TRIAL_STARTED, S.ENROLLED, S.COMPLETED, S.REPORT_SUBMITTED, S.CE_MARKED, S.ABANDONED}
)
# Only both sides' acceptance makes "agreed"; the link's e-mail is the contact. The sides
# decline by answering the introduction while it is open.
_NEVER_BY_HAND = frozenset({S.AGREED})
_BOARD_ONLY = frozenset({S.CONTACTED})
INTRODUCTION_OPEN = frozenset({S.PROPOSED, S.CONTACTED, S.AGREED})

# Why a move is refused, by the status the referral is in.
_REFUSALS = {
    S.PROPOSED: _l(
        "A proposed referral waits for both sides to accept the introduction; it can "
        "be marked “clinic contacted”, or declined."
    ),
    S.CONTACTED: _l(
        "Once the clinic is contacted, the referral waits for both sides to accept the "
        "introduction, or is declined."
    ),
    S.AGREED: _l("Once both sides agreed, the referral moves to “trial started”, or is declined."),
    S.TRIAL_STARTED: _l(
        "Once the trial started, the next step is the first subject enrolled, or the "
        "trial is abandoned."
    ),
    S.ENROLLED: _l(
        "Once the first subject is enrolled, the next step is the trial completed, or "
        "the trial is abandoned."
    ),
    S.COMPLETED: _l(
        "Once the trial is completed, record its outcome: report submitted, CE mark "
        "obtained, or abandoned."
    ),
    S.REPORT_SUBMITTED: _l(
        "Once the report is submitted, the next step is the CE mark obtained, or the "
        "project is abandoned."
    ),
    S.CE_MARKED: _l("The CE mark is obtained: this referral is complete and moves no further."),
    S.DECLINED: _l(
        "This referral was declined and moves no further; refer the question again "
        "to try another clinic."
    ),
    S.ABANDONED: _l("This trial was abandoned: the referral moves no further."),
}
_AGREED_BY_BOTH = _l(
    "“Agreed” is recorded when both the member and the clinic accept the introduction, not by hand."
)
_SIDES_ANSWER = _l(
    "Before the introduction is agreed, the member and the clinic accept or "
    "decline it with their answer, not as a step."
)
_CONTACT_BY_BOARD = _l(
    "Only the board's experts and the admins record that the clinic was contacted."
)


def _is_clinic(actor) -> bool:
    """The clinic acts through its link, which stands for it (it has no account)."""
    return isinstance(actor, ReferralLink)


def _is_board(actor) -> bool:
    return not _is_clinic(actor) and sees_all_confidential(actor)


def next_statuses(facilitation: Facilitation, actor=None) -> tuple[FacilitationStatus, ...]:
    """The statuses ``actor`` may move the referral to now (none once final); without an
    actor, every status the workflow allows next."""
    following = TRANSITIONS[facilitation.status]
    if actor is None:
        return following
    return tuple(status for status in following if _refusal(facilitation, actor, status) is None)


def _refusal(facilitation: Facilitation, actor, status: FacilitationStatus):
    """Why ``actor`` may not move the referral to ``status`` now, or None."""
    if status not in TRANSITIONS[facilitation.status]:
        return _REFUSALS[facilitation.status]
    if status in _NEVER_BY_HAND:
        return _AGREED_BY_BOTH
    if _is_board(actor):
        return None
    if status in _BOARD_ONLY:
        return _CONTACT_BY_BOARD
    if status == S.DECLINED and facilitation.contacts_released_at is None:
        return _SIDES_ANSWER
    return None


def _check_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise RuleViolation(
            _l("Add a note: what was done, asked or agreed at this step."), field="note"
        )
    if len(note) > MAX_NOTE_LENGTH:
        raise RuleViolation(
            _l("The note is too long (at most %(max)d characters).", max=MAX_NOTE_LENGTH),
            field="note",
        )
    return note


def _check_not_future(day: date) -> None:
    if day > calendar.today():
        raise RuleViolation(_l("The date cannot be in the future."), field="occurred_on")


# --- changes ---------------------------------------------------------------------------


def refer(
    question: Question,
    clinic: Clinic,
    expert: User,
    note: str,
    on: date | None = None,
    project_id: int | None = None,
) -> Facilitation:
    """Refer the question to the clinic: a proposed referral with its first step, dated
    ``on`` (today by default), recorded for the author's organisation and linked to
    ``project_id``, one of that organisation's funded projects (or none); the clinic's
    contact is e-mailed a link to it (when the directory has their e-mail) and the
    member is notified. Audited.

    Raises PermissionDenied unless the expert (or admin) may refer this question;
    RuleViolation (field "clinic", "occurred_on", "note" or "project") for an inactive
    clinic, a referral to the same clinic still under way, a date in the future or before
    the question was asked, a missing note, or a project not of that organisation.
    """
    if not can_refer(expert, question):
        raise PermissionDenied(
            _l("Only the board's experts and the admins refer questions to clinics.")
        )
    if not clinic.active:
        raise RuleViolation(_l("This clinic is no longer in the directory."), field="clinic")
    on = on or calendar.today()
    _check_not_future(on)
    if on < calendar.day_of(question.created_at):
        raise RuleViolation(
            _l(
                "The referral cannot be dated before the question was asked (%(day)s).",
                day=format_date(calendar.day_of(question.created_at), "medium"),
            ),
            field="occurred_on",
        )
    note = _check_note(note)
    if project_id != question.project_id:  # the question's own project is always allowed
        project_id = projects.check_link(question.author.organisation_id, project_id)
    under_way = db.session.scalar(
        select(Facilitation.id).where(
            Facilitation.question_id == question.id,
            Facilitation.clinic_id == clinic.id,
            Facilitation.status.not_in(list(FINAL_STATUSES)),
        )
    )
    if under_way is not None:
        raise RuleViolation(
            _l("This question is already referred to this clinic and the referral is under way."),
            field="clinic",
        )
    facilitation = Facilitation(
        question_id=question.id,
        clinic_id=clinic.id,
        expert_id=expert.id,
        organisation_id=question.author.organisation_id,
        project_id=project_id,
        status=FacilitationStatus.PROPOSED,
    )
    facilitation.steps.append(
        FacilitationStep(
            status=FacilitationStatus.PROPOSED,
            occurred_on=on,
            note=note,
            recorded_by_id=expert.id,
        )
    )
    db.session.add(facilitation)
    db.session.flush()
    audit.record(
        expert,
        AuditAction.FACILITATION_PROPOSED,
        facilitation,
        question_id=question.id,
        detail=clinic.name,
    )
    referral_links.mail_clinic(facilitation, referral_links.INVITATION, expert)
    notifications.referral_update(
        facilitation,
        _l(
            "Your question was referred to a clinic. Accept or decline the "
            "introduction on the referral's page."
        ),
        actor=expert,
    )
    db.session.commit()
    return facilitation


def move(
    facilitation: Facilitation,
    new_status: FacilitationStatus,
    occurred_on: date,
    note: str,
    *,
    actor,
    extra: dict | None = None,
) -> FacilitationStep:
    """Write a move: the compare-and-set on the status (of two people recording a step at
    once, one wins), ``extra`` columns with it, and the step; not committed.

    Raises RuleViolation (field "status") when someone moved the referral a moment before.
    """
    current = facilitation.status
    values = {"status": new_status, "updated_at": utcnow(), **(extra or {})}
    moved = db.session.execute(
        update(Facilitation)
        .where(Facilitation.id == facilitation.id, Facilitation.status == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise RuleViolation(
            _l(
                "Someone has just recorded another step of this referral: "
                "look at its steps and try again."
            ),
            field="status",
        )
    for name, value in values.items():  # what the UPDATE wrote, without writing it again
        set_committed_value(facilitation, name, value)
    clinic = _is_clinic(actor)
    step = FacilitationStep(
        status=new_status,
        occurred_on=occurred_on,
        note=note,
        recorded_by_id=None if clinic or actor is None else actor.id,
        by_clinic=clinic,
    )
    facilitation.steps.append(step)
    db.session.flush()
    return step


def acting_user(actor) -> User | None:
    """The account behind an actor for the audit log: None for the clinic's link."""
    return None if _is_clinic(actor) or actor is None else actor


def advance(
    facilitation: Facilitation, actor, new_status: FacilitationStatus, occurred_on: date, note: str
) -> FacilitationStep:
    """Move the referral to ``new_status`` on ``occurred_on`` with a note; audited, and
    the member (and the referring expert) notified. ``actor`` is a user, or the clinic's
    ``ReferralLink`` for the referral. Trial started also sets ``trial_started_on``
    (what the review counts), confirmed at once when the member or the clinic records
    it. Abandoned needs its reason as the note.

    Raises PermissionDenied unless the actor sees the referral (or holds its link);
    RuleViolation (field "status", "occurred_on" or "note") for a move the workflow
    does not allow this actor, a date in the future or before the previous step, a
    missing note, or a referral someone moved a moment before.
    """
    if _is_clinic(actor):
        if actor.facilitation_id != facilitation.id:
            raise PermissionDenied(_l("This link opens another referral."))
    elif not can_advance_referral(actor, facilitation):
        raise PermissionDenied(
            _l(
                "Only the board's experts, the admins and the member who "
                "asked record a referral's steps."
            )
        )
    current = facilitation.status
    new_status = FacilitationStatus(new_status)
    refusal = _refusal(facilitation, actor, new_status)
    if refusal is not None:
        raise RuleViolation(refusal, field="status")
    _check_not_future(occurred_on)
    previous = max(step.occurred_on for step in facilitation.steps)
    if occurred_on < previous:
        raise RuleViolation(
            _l(
                "The date cannot be before the previous step (%(day)s).",
                day=format_date(previous, "medium"),
            ),
            field="occurred_on",
        )
    if new_status == S.ABANDONED and not (note or "").strip():
        raise RuleViolation(_l("Say why the trial was abandoned."), field="note")
    note = _check_note(note)
    extra = {}
    if new_status == S.TRIAL_STARTED:
        extra["trial_started_on"] = occurred_on
        if _is_clinic(actor) or is_referred_member(actor, facilitation):
            extra.update(
                trial_confirmation=(
                    TrialConfirmation.CLINIC if _is_clinic(actor) else TrialConfirmation.MEMBER
                ),
                trial_confirmed_at=utcnow(),
                trial_confirmed_by_id=acting_user(actor) and actor.id,
            )
    step = move(facilitation, new_status, occurred_on, note, actor=actor, extra=extra)
    audit.record(
        acting_user(actor),
        AuditAction.FACILITATION_ADVANCED,
        facilitation,
        question_id=facilitation.question_id,
        detail=f"{current} → {new_status}" + (" (clinic)" if _is_clinic(actor) else ""),
    )
    notifications.referral_update(
        facilitation,
        _l(
            "A step of your referral was recorded: %(status)s.",
            status=FACILITATION_STATUS_LABELS[new_status],
        ),
        actor=acting_user(actor),
    )
    db.session.commit()
    return step
