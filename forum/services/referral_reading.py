"""Reading referrals (facilitations): one referral for its page, and the lists.

A referral's page loads it with its question (and its author), clinic, expert,
steps and thread in a fixed number of queries, for a viewer who may see it
(``permissions.can_see_referrals`` on its question) or for the clinic through its
link. The lists are a question's referrals, a member's own, a clinic's, and every
referral for the board's experts and the admins; a referral of a question the
moderators hid is not listed. Its steps are services/facilitations.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import (
    Clinic,
    Facilitation,
    FacilitationStatus,
    FacilitationStep,
    Question,
    ReferralLink,
    ReferralMessage,
    User,
)
from forum.permissions import can_list_all_referrals, can_see_referrals, visible_questions_clause
from forum.services.errors import PermissionDenied


def _with_details(statement):
    return statement.options(
        joinedload(Facilitation.clinic),
        selectinload(Facilitation.question),
        selectinload(Facilitation.expert),
        selectinload(Facilitation.steps),
    )


def _page_options():
    return (
        joinedload(Facilitation.clinic),
        joinedload(Facilitation.question).joinedload(Question.author).joinedload(User.organisation),
        joinedload(Facilitation.expert),
        selectinload(Facilitation.steps).selectinload(FacilitationStep.recorded_by),
        selectinload(Facilitation.messages).selectinload(ReferralMessage.author),
    )


def load_facilitation(viewer, facilitation_id: int) -> Facilitation | None:
    """The referral with its question (and its author), clinic, expert, steps (and who
    recorded each) and thread, if the viewer may see it; else None (a 404, hiding a
    confidential question's)."""
    facilitation = db.session.scalar(
        select(Facilitation).where(Facilitation.id == facilitation_id).options(*_page_options())
    )
    if facilitation is None or not can_see_referrals(viewer, facilitation.question):
        return None
    return facilitation


def load_for_clinic(link: ReferralLink) -> Facilitation:
    """The referral a resolved link opens, loaded as ``load_facilitation`` loads it; what
    the clinic's page shows of it is the template's business (the question's text for a
    public question only, the member's contact only once released)."""
    return db.session.scalar(
        select(Facilitation)
        .where(Facilitation.id == link.facilitation_id)
        .options(*_page_options())
    )


def links_of(viewer, facilitation: Facilitation) -> list[ReferralLink]:
    """The links e-mailed to the clinic for this referral, newest first (when, to whom,
    until when, replaced or not): for experts and admins; empty for others."""
    if not can_list_all_referrals(viewer):
        return []
    return list(
        db.session.scalars(
            select(ReferralLink)
            .where(ReferralLink.facilitation_id == facilitation.id)
            .order_by(ReferralLink.id.desc())
        )
    )


def referrals_for_question(viewer, question: Question) -> list[Facilitation]:
    """The question's referrals, oldest first, with their clinic and steps (two queries
    whatever their number); empty for a viewer who may not see them."""
    if not can_see_referrals(viewer, question):
        return []
    return list(
        db.session.scalars(
            select(Facilitation)
            .where(Facilitation.question_id == question.id)
            .options(joinedload(Facilitation.clinic), selectinload(Facilitation.steps))
            .order_by(Facilitation.id)
        )
    )


def referrals_for_member(member: User) -> list[Facilitation]:
    """The referrals of the member's own questions, newest first (their "my referrals")."""
    if member is None or not member.is_authenticated:
        return []
    return list(
        db.session.scalars(
            _with_details(select(Facilitation))
            .join(Question, Question.id == Facilitation.question_id)
            .where(Question.author_id == member.id)
            .order_by(Facilitation.updated_at.desc(), Facilitation.id.desc())
        )
    )


def all_referrals(
    viewer, status: FacilitationStatus | None = None, page: int = 1, per_page: int = 50
) -> Pagination:
    """One page of every referral, the latest moved first, optionally of one status.

    Raises PermissionDenied unless the viewer is an expert or admin.
    """
    if not can_list_all_referrals(viewer):
        raise PermissionDenied(_l("Only the board's experts and the admins see every referral."))
    # A referral of a question the moderators hid is not listed (its title would show).
    statement = (
        _with_details(select(Facilitation))
        .join(Question, Question.id == Facilitation.question_id)
        .where(visible_questions_clause(viewer))
    )
    if status is not None:
        statement = statement.where(Facilitation.status == status)
    statement = statement.order_by(Facilitation.updated_at.desc(), Facilitation.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def referrals_for_clinic(viewer, clinic: Clinic) -> list[Facilitation]:
    """The clinic's referrals, newest first, for experts and admins; empty for others."""
    if not can_list_all_referrals(viewer):
        return []
    return list(
        db.session.scalars(
            _with_details(select(Facilitation))
            .join(Question, Question.id == Facilitation.question_id)
            .where(Facilitation.clinic_id == clinic.id, visible_questions_clause(viewer))
            .order_by(Facilitation.updated_at.desc(), Facilitation.id.desc())
        )
    )
