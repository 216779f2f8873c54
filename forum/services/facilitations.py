"""Referrals of members' questions to clinics (facilitations), and what the review counts.

An expert refers a question to a clinic; the referral then moves

    proposed → contacted → agreed → trial started

or is declined from any step before trial started. Each move is a dated, noted
FacilitationStep; the referral's ``status`` is its latest step. Trial started
and declined are final. Dates are calendar days in the forum's time zone
(FORUM_TIMEZONE): a step cannot be dated in the future nor before the step
before it, and a referral not before the day the question was asked.

Who sees a referral is ``permissions.can_see_referrals`` on its question: the
question's author, experts and admins, so a confidential question's referral
stays as hidden as the question.

No notification is sent: the notification kinds are a fixed, constrained
column, and the author sees the referrals on the question page and on
/facilitations.
"""
from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from forum import calendar
from forum.extensions import db
from forum.models import (
    Clinic,
    Facilitation,
    FacilitationStatus,
    FacilitationStep,
    Question,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import (
    can_advance_referral,
    can_list_all_referrals,
    can_refer,
    can_see_referrals,
    visible_questions_clause,
)
from forum.services import audit, projects
from forum.services.audit import AuditAction
from forum.services.errors import PermissionDenied, RuleViolation

MAX_NOTE_LENGTH = 2_000

# Where a referral may go from each status; the final ones go nowhere.
TRANSITIONS: dict[FacilitationStatus, tuple[FacilitationStatus, ...]] = {
    FacilitationStatus.PROPOSED: (FacilitationStatus.CONTACTED, FacilitationStatus.DECLINED),
    FacilitationStatus.CONTACTED: (FacilitationStatus.AGREED, FacilitationStatus.DECLINED),
    FacilitationStatus.AGREED: (FacilitationStatus.TRIAL_STARTED, FacilitationStatus.DECLINED),
    FacilitationStatus.TRIAL_STARTED: (),
    FacilitationStatus.DECLINED: (),
}
FINAL_STATUSES = frozenset(
    status for status, following in TRANSITIONS.items() if not following
)

# Why a move is refused, by the status the referral is in.
_REFUSALS = {
    FacilitationStatus.PROPOSED:
        _l("A proposed referral moves next to “clinic contacted”, or is declined."),
    FacilitationStatus.CONTACTED:
        _l("Once the clinic is contacted, the referral moves to “clinic agreed”, or is declined."),
    FacilitationStatus.AGREED:
        _l("Once the clinic agreed, the referral moves to “trial started”, or is declined."),
    FacilitationStatus.TRIAL_STARTED:
        _l("The trial has started: this referral is complete and moves no further."),
    FacilitationStatus.DECLINED:
        _l("This referral was declined and moves no further; refer the question again "
           "to try another clinic."),
}


def next_statuses(facilitation: Facilitation) -> tuple[FacilitationStatus, ...]:
    """The statuses the referral may move to now (none once final)."""
    return TRANSITIONS[facilitation.status]


def _check_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise RuleViolation(_l("Add a note: what was done, asked or agreed at this step."),
                            field="note")
    if len(note) > MAX_NOTE_LENGTH:
        raise RuleViolation(_l("The note is too long (at most %(max)d characters).",
                               max=MAX_NOTE_LENGTH), field="note")
    return note


def _check_not_future(day: date) -> None:
    if day > calendar.today():
        raise RuleViolation(_l("The date cannot be in the future."), field="occurred_on")


# --- changes ---------------------------------------------------------------------------

def refer(question: Question, clinic: Clinic, expert: User, note: str,
          on: date | None = None, project_id: int | None = None) -> Facilitation:
    """Refer the question to the clinic: a proposed referral with its first step, dated
    ``on`` (today by default), recorded for the author's organisation and linked to
    ``project_id``, one of that organisation's funded projects (or none). Audited.

    Raises PermissionDenied unless the expert may refer this question; RuleViolation
    (field "clinic", "occurred_on", "note" or "project") for an inactive clinic, a referral to the
    same clinic still under way, a date in the future or before the question was asked,
    or a missing note.
    """
    if not can_refer(expert, question):
        raise PermissionDenied(_l("Only the board's experts refer questions to clinics."))
    if not clinic.active:
        raise RuleViolation(_l("This clinic is no longer in the directory."), field="clinic")
    on = on or calendar.today()
    _check_not_future(on)
    if on < calendar.day_of(question.created_at):
        raise RuleViolation(
            _l("The referral cannot be dated before the question was asked (%(day)s).",
               day=format_date(calendar.day_of(question.created_at), "medium")),
            field="occurred_on")
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
        raise RuleViolation(_l("This question is already referred to this clinic and the "
                               "referral is under way."), field="clinic")
    facilitation = Facilitation(
        question_id=question.id,
        clinic_id=clinic.id,
        expert_id=expert.id,
        organisation_id=question.author.organisation_id,
        project_id=project_id,
        status=FacilitationStatus.PROPOSED,
    )
    facilitation.steps.append(FacilitationStep(
        status=FacilitationStatus.PROPOSED, occurred_on=on, note=note, recorded_by_id=expert.id,
    ))
    db.session.add(facilitation)
    db.session.flush()
    audit.record(expert, AuditAction.FACILITATION_PROPOSED, facilitation,
                 question_id=question.id, detail=clinic.name)
    db.session.commit()
    return facilitation


def advance(facilitation: Facilitation, actor: User, new_status: FacilitationStatus,
            occurred_on: date, note: str) -> FacilitationStep:
    """Move the referral to ``new_status`` on ``occurred_on`` with a note; audited.
    Trial started also sets ``trial_started_on`` (what the review counts).

    Raises PermissionDenied unless the actor is an expert or admin who sees the
    question; RuleViolation (field "status", "occurred_on" or "note") for a move the
    workflow does not allow, a date in the future or before the previous step, a
    missing note, or a referral someone moved a moment before.
    """
    if not can_advance_referral(actor, facilitation):
        raise PermissionDenied(_l("Only the board's experts and the admins record a "
                                  "referral's steps."))
    current = facilitation.status
    new_status = FacilitationStatus(new_status)
    if new_status not in TRANSITIONS[current]:
        raise RuleViolation(_REFUSALS[current], field="status")
    _check_not_future(occurred_on)
    previous = max(step.occurred_on for step in facilitation.steps)
    if occurred_on < previous:
        raise RuleViolation(
            _l("The date cannot be before the previous step (%(day)s).",
               day=format_date(previous, "medium")),
            field="occurred_on")
    note = _check_note(note)
    values = {"status": new_status, "updated_at": utcnow()}
    if new_status == FacilitationStatus.TRIAL_STARTED:
        values["trial_started_on"] = occurred_on
    # Compare-and-set: of two people recording a step at once, one wins.
    moved = db.session.execute(
        update(Facilitation)
        .where(Facilitation.id == facilitation.id, Facilitation.status == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise RuleViolation(_l("Someone has just recorded another step of this referral: "
                               "look at its steps and try again."), field="status")
    for name, value in values.items():  # what the UPDATE wrote, without writing it again
        set_committed_value(facilitation, name, value)
    step = FacilitationStep(status=new_status, occurred_on=occurred_on, note=note,
                            recorded_by_id=actor.id)
    facilitation.steps.append(step)
    db.session.flush()
    audit.record(actor, AuditAction.FACILITATION_ADVANCED, facilitation,
                 question_id=facilitation.question_id, detail=f"{current} → {new_status}")
    db.session.commit()
    return step


# --- reading ---------------------------------------------------------------------------

def _with_details(statement):
    return statement.options(
        joinedload(Facilitation.clinic),
        selectinload(Facilitation.question),
        selectinload(Facilitation.expert),
        selectinload(Facilitation.steps),
    )


def load_facilitation(viewer, facilitation_id: int) -> Facilitation | None:
    """The referral with its question, clinic, expert and steps (and who recorded each),
    if the viewer may see it; else None (a 404, hiding a confidential question's)."""
    facilitation = db.session.scalar(
        select(Facilitation).where(Facilitation.id == facilitation_id).options(
            joinedload(Facilitation.clinic),
            joinedload(Facilitation.question),
            joinedload(Facilitation.expert),
            selectinload(Facilitation.steps).selectinload(FacilitationStep.recorded_by),
        )
    )
    if facilitation is None or not can_see_referrals(viewer, facilitation.question):
        return None
    return facilitation


def referrals_for_question(viewer, question: Question) -> list[Facilitation]:
    """The question's referrals, oldest first, with their clinic and steps (two queries
    whatever their number); empty for a viewer who may not see them."""
    if not can_see_referrals(viewer, question):
        return []
    return list(db.session.scalars(
        select(Facilitation)
        .where(Facilitation.question_id == question.id)
        .options(joinedload(Facilitation.clinic), selectinload(Facilitation.steps))
        .order_by(Facilitation.id)
    ))


def referrals_for_member(member: User) -> list[Facilitation]:
    """The referrals of the member's own questions, newest first (their "my referrals")."""
    if member is None or not member.is_authenticated:
        return []
    return list(db.session.scalars(
        _with_details(select(Facilitation))
        .join(Question, Question.id == Facilitation.question_id)
        .where(Question.author_id == member.id)
        .order_by(Facilitation.updated_at.desc(), Facilitation.id.desc())
    ))


def all_referrals(viewer, status: FacilitationStatus | None = None, page: int = 1,
                  per_page: int = 50) -> Pagination:
    """One page of every referral, the latest moved first, optionally of one status.

    Raises PermissionDenied unless the viewer is an expert or admin.
    """
    if not can_list_all_referrals(viewer):
        raise PermissionDenied(_l("Only the board's experts and the admins see every referral."))
    # A referral of a question the moderators hid is not listed (its title would show).
    statement = (_with_details(select(Facilitation))
                 .join(Question, Question.id == Facilitation.question_id)
                 .where(visible_questions_clause(viewer)))
    if status is not None:
        statement = statement.where(Facilitation.status == status)
    statement = statement.order_by(Facilitation.updated_at.desc(), Facilitation.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def referrals_for_clinic(viewer, clinic: Clinic) -> list[Facilitation]:
    """The clinic's referrals, newest first, for experts and admins; empty for others."""
    if not can_list_all_referrals(viewer):
        return []
    return list(db.session.scalars(
        _with_details(select(Facilitation))
        .join(Question, Question.id == Facilitation.question_id)
        .where(Facilitation.clinic_id == clinic.id, visible_questions_clause(viewer))
        .order_by(Facilitation.updated_at.desc(), Facilitation.id.desc())
    ))


# --- the review's figures --------------------------------------------------------------

def trials_facilitated(start: date, end: date) -> int:
    """Clinical trials facilitated in [start, end], both days included: the referrals
    that reached trial started with a start day (``trial_started_on``, the date given
    at that step) in the range, wherever they were referred. Declined, proposed,
    contacted and agreed referrals never count."""
    return db.session.scalar(
        select(func.count()).select_from(Facilitation).where(*counted_trials(start, end))
    )


def counted_trials(start: date, end: date) -> tuple:
    """The conditions on Facilitation that make a referral one of the trials facilitated
    in [start, end]: every figure of trials (the total, by month, by device class and
    by stage) counts through these, so they always agree."""
    return (
        Facilitation.status == FacilitationStatus.TRIAL_STARTED,
        Facilitation.trial_started_on >= start,
        Facilitation.trial_started_on <= end,
    )


def trials_facilitated_by(start: date, end: date, column) -> dict:
    """The trials ``trials_facilitated`` counts for [start, end], by a column of their
    question (``Question.device_class``, ``Question.stage``); values without a trial
    are left out."""
    return dict(db.session.execute(
        select(column, func.count())
        .select_from(Facilitation)
        .join(Question, Question.id == Facilitation.question_id)
        .where(*counted_trials(start, end))
        .group_by(column)
    ).all())


def trials_facilitated_by_month(start: date, end: date) -> dict[str, int]:
    """The trials ``trials_facilitated`` counts for [start, end], by the calendar month
    (YYYY-MM) of their start day; months without a trial are left out."""
    by_month: dict[str, int] = {}
    for started_on in db.session.scalars(
        select(Facilitation.trial_started_on).where(*counted_trials(start, end))
    ):
        month = f"{started_on.year:04d}-{started_on.month:02d}"
        by_month[month] = by_month.get(month, 0) + 1
    return by_month


def facilitations_by_status(start: date, end: date) -> dict[FacilitationStatus, int]:
    """Referrals made in [start, end], both days included, counted by the status they
    are in now: a referral counts once, in the range of its referral day (the date of
    its "proposed" step, which an expert may give in the past), whatever happened
    since. Every status is a key, in workflow order, zero when none.

    So a referral made in the range whose trial started after it counts as trial
    started here but not in ``trials_facilitated`` for that range.
    """
    referred = (
        select(FacilitationStep.facilitation_id)
        .where(FacilitationStep.status == FacilitationStatus.PROPOSED,
               FacilitationStep.occurred_on >= start,
               FacilitationStep.occurred_on <= end)
    )
    rows = db.session.execute(
        select(Facilitation.status, func.count())
        .where(Facilitation.id.in_(referred))
        .group_by(Facilitation.status)
    )
    counts = {status: 0 for status in FacilitationStatus}
    counts.update({FacilitationStatus(status): count for status, count in rows})
    return counts
