"""Funded projects: the programme's projects the board counsels, and what links to them.

Admins register a project (title, programme and axis, call, beneficiary organisations,
dates, clinical aims). A question links to a project when its author's organisation is
one of the project's beneficiaries; a referral links to one of the projects of the
question's author's organisation. The board's experts (and admins) record counselling
sessions: the day, the experts present, private notes and the actions agreed.

Who reads what (``forum/permissions.py``): a project exists, for its page and list,
only for the people of its beneficiary organisations, experts and admins (others get
404). On its page each reader sees only the linked questions they may see anyway
(``visible_questions_clause``), and the referrals of those questions; a session's
notes are the board's and the admins' only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditAction,
    CounsellingSession,
    Facilitation,
    FundedProject,
    Organisation,
    Question,
    Role,
    User,
    project_beneficiary,
)
from forum.models.columns import utcnow
from forum.permissions import (
    can_manage_projects,
    can_record_counselling,
    can_see_project,
    sees_all_confidential,
    visible_questions_clause,
)
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.typed_text import checked_text

MAX_TITLE_LENGTH = 200
MAX_SHORT_TEXT = 200  # programme, axis, call
MAX_LONG_TEXT = 5_000  # clinical aims, a session's notes and actions


@dataclass(frozen=True)
class ProjectDraft:
    """What an admin types for a project, already parsed."""

    title: str
    programme: str
    axis: str
    call: str
    starts_on: date
    ends_on: date | None
    clinical_aims: str
    beneficiary_ids: Sequence[int] = field(default_factory=tuple)


@dataclass(frozen=True)
class SessionDraft:
    held_on: date
    expert_ids: Sequence[int]
    notes: str
    actions: str


# --- registering and editing (admins) ---------------------------------------------------------


def _require_manager(actor: User) -> None:
    if not can_manage_projects(actor):
        raise PermissionDenied(_l("Only the centre's admins register funded projects."))


def _apply(project: FundedProject, draft: ProjectDraft) -> None:
    project.title = checked_text(
        draft.title, MAX_TITLE_LENGTH, "title", _l("Give the project's title.")
    )
    project.programme = checked_text(
        draft.programme,
        MAX_SHORT_TEXT,
        "programme",
        _l("Name the programme that funds the project."),
    )
    project.axis = checked_text(draft.axis, MAX_SHORT_TEXT, "axis")
    project.call = checked_text(draft.call, MAX_SHORT_TEXT, "call")
    project.clinical_aims = checked_text(
        draft.clinical_aims, MAX_LONG_TEXT, "clinical_aims", one_line=False
    )
    if draft.ends_on is not None and draft.ends_on < draft.starts_on:
        raise RuleViolation(_l("The project cannot end before it starts."), field="ends_on")
    project.starts_on, project.ends_on = draft.starts_on, draft.ends_on
    wanted = set(draft.beneficiary_ids)
    if not wanted:
        raise RuleViolation(
            _l("Choose at least one beneficiary organisation."), field="beneficiaries"
        )
    organisations = list(
        db.session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))
    )
    if len(organisations) != len(wanted):
        raise RuleViolation(_l("Choose the beneficiaries from the list."), field="beneficiaries")
    project.beneficiaries = sorted(organisations, key=lambda organisation: organisation.name)
    same_title = select(FundedProject.id).where(
        func.lower(FundedProject.title) == project.title.lower()
    )
    if project.id is not None:
        same_title = same_title.where(FundedProject.id != project.id)
    if db.session.scalar(same_title) is not None:
        raise RuleViolation(_l("Another project already has this title."), field="title")
    project.updated_at = utcnow()


def _flush_unique_title() -> None:
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation(_l("Another project already has this title."), field="title") from None


def register(admin: User, draft: ProjectDraft) -> FundedProject:
    """Register a funded project with its beneficiaries; audited.

    Raises PermissionDenied for non-admins; RuleViolation (with the field) for a missing
    title or programme, an end before the start, no or unknown beneficiaries, a title
    another project has, or a text over its length.
    """
    _require_manager(admin)
    with db.session.no_autoflush:  # a half-filled project must not be flushed by a check
        project = FundedProject()
        _apply(project, draft)
    db.session.add(project)
    _flush_unique_title()
    audit.record(admin, AuditAction.PROJECT_REGISTERED, project, detail=project.title)
    db.session.commit()
    return project


def update(project: FundedProject, admin: User, draft: ProjectDraft) -> FundedProject:
    """Change a project's details and beneficiaries; audited. Raises as ``register``.

    Questions and referrals already linked stay linked when an organisation stops being
    a beneficiary: they were asked for the project.
    """
    _require_manager(admin)
    with db.session.no_autoflush:
        _apply(project, draft)
    _flush_unique_title()
    audit.record(admin, AuditAction.PROJECT_UPDATED, project, detail="edited")
    db.session.commit()
    return project


def organisation_choices() -> list[Organisation]:
    """Every organisation, by name: the beneficiaries an admin may choose from."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


# --- counselling sessions (the board) ---------------------------------------------------------


def expert_choices() -> list[User]:
    """The active experts, by name: who may be recorded as present at a session."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.EXPERT, User.active.is_(True))
            .order_by(User.display_name)
        )
    )


def record_session(project: FundedProject, actor: User, draft: SessionDraft) -> CounsellingSession:
    """Record a counselling session with the project; audited.

    Raises PermissionDenied unless the actor is an expert or admin; RuleViolation
    (field "held_on", "experts", "notes" or "actions") for a day in the future or before
    the project started, no expert or one who is not an active expert, no actions and no
    notes, or a text over its length.
    """
    if not can_record_counselling(actor):
        raise PermissionDenied(
            _l("Only the board's experts and the admins record counselling sessions.")
        )
    if draft.held_on > calendar.today():
        raise RuleViolation(_l("The date cannot be in the future."), field="held_on")
    if draft.held_on < project.starts_on:
        raise RuleViolation(
            _l("The session cannot be before the project started."), field="held_on"
        )
    wanted = set(draft.expert_ids)
    if not wanted:
        raise RuleViolation(_l("Choose the experts who were present."), field="experts")
    experts = list(
        db.session.scalars(
            select(User).where(User.id.in_(wanted), User.role == Role.EXPERT, User.active.is_(True))
        )
    )
    if len(experts) != len(wanted):
        raise RuleViolation(_l("Choose the experts from the list."), field="experts")
    notes = checked_text(draft.notes, MAX_LONG_TEXT, "notes", one_line=False)
    actions = checked_text(draft.actions, MAX_LONG_TEXT, "actions", one_line=False)
    if not notes and not actions:
        raise RuleViolation(_l("Write what was discussed or the actions agreed."), field="actions")
    session = CounsellingSession(
        project=project,
        held_on=draft.held_on,
        notes=notes,
        actions=actions,
        recorded_by_id=actor.id,
        experts=experts,
    )
    db.session.add(session)
    db.session.flush()
    audit.record(actor, AuditAction.COUNSELLING_RECORDED, session, detail=project.title)
    db.session.commit()
    return session


# --- reading ---------------------------------------------------------------------------------


def _readable_projects(viewer):
    """The projects the viewer may open, as a statement (every one for the board and admins,
    their organisation's for a member, none for a visitor)."""
    statement = select(FundedProject)
    if sees_all_confidential(viewer):
        return statement
    organisation_id = getattr(viewer, "organisation_id", None) if viewer.is_authenticated else None
    if organisation_id is None:
        return statement.where(false())
    return statement.where(
        FundedProject.id.in_(
            select(project_beneficiary.c.project_id).where(
                project_beneficiary.c.organisation_id == organisation_id
            )
        )
    )


@dataclass(frozen=True)
class ProjectListing:
    project: FundedProject
    questions: int  # linked questions the viewer may see
    sessions: int


def list_projects(viewer) -> list[ProjectListing]:
    """The projects the viewer may open, the latest started first, with their counts of
    linked questions (only those the viewer may see) and of sessions: three queries."""
    projects = list(
        db.session.scalars(
            _readable_projects(viewer)
            .options(selectinload(FundedProject.beneficiaries))
            .order_by(FundedProject.starts_on.desc(), FundedProject.id.desc())
        )
    )
    ids = [project.id for project in projects]
    questions = dict(
        db.session.execute(
            select(Question.project_id, func.count())
            .where(Question.project_id.in_(ids), visible_questions_clause(viewer))
            .group_by(Question.project_id)
        ).all()
    )
    sessions = dict(
        db.session.execute(
            select(CounsellingSession.project_id, func.count())
            .where(CounsellingSession.project_id.in_(ids))
            .group_by(CounsellingSession.project_id)
        ).all()
    )
    return [
        ProjectListing(project, questions.get(project.id, 0), sessions.get(project.id, 0))
        for project in projects
    ]


@dataclass(frozen=True)
class ProjectPage:
    project: FundedProject
    questions: list[Question]
    referrals: list[Facilitation]
    sessions: list[CounsellingSession]


def find_project(viewer, project_id: int) -> FundedProject | None:
    """The project with its beneficiaries, if the viewer may open it; else None (a 404)."""
    project = db.session.scalar(
        select(FundedProject)
        .where(FundedProject.id == project_id)
        .options(selectinload(FundedProject.beneficiaries))
    )
    if project is None or not can_see_project(viewer, project):
        return None
    return project


def load_project_page(viewer, project_id: int) -> ProjectPage | None:
    """What the project's page shows the viewer, in a fixed number of queries; None when
    the project does not exist for them. Confidential questions, and their referrals,
    appear only for whoever may see them."""
    project = find_project(viewer, project_id)
    if project is None:
        return None
    visible = visible_questions_clause(viewer)
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.project_id == project.id, visible)
            .options(joinedload(Question.author), selectinload(Question.topics))
            .order_by(Question.created_at.desc(), Question.id.desc())
        )
    )
    referrals = list(
        db.session.scalars(
            select(Facilitation)
            .join(Question, Question.id == Facilitation.question_id)
            .where(
                or_(Facilitation.project_id == project.id, Question.project_id == project.id),
                visible,
            )
            .options(joinedload(Facilitation.clinic), joinedload(Facilitation.question))
            .order_by(Facilitation.created_at.desc(), Facilitation.id.desc())
        )
    )
    sessions = list(
        db.session.scalars(
            select(CounsellingSession)
            .where(CounsellingSession.project_id == project.id)
            .options(selectinload(CounsellingSession.experts))
            .order_by(CounsellingSession.held_on.desc(), CounsellingSession.id.desc())
        )
    )
    return ProjectPage(project, questions, referrals, sessions)


# --- linking questions and referrals -----------------------------------------------------------


def projects_of_organisation(organisation_id: int | None) -> list[FundedProject]:
    """The projects an organisation is a beneficiary of, the latest started first."""
    if organisation_id is None:
        return []
    return list(
        db.session.scalars(
            select(FundedProject)
            .join(project_beneficiary, project_beneficiary.c.project_id == FundedProject.id)
            .where(project_beneficiary.c.organisation_id == organisation_id)
            .order_by(FundedProject.starts_on.desc(), FundedProject.id.desc())
        )
    )


def check_link(organisation_id: int | None, project_id: int | None) -> int | None:
    """``project_id`` if the organisation is one of the project's beneficiaries (None stays
    None). Raises RuleViolation (field "project") otherwise: a question or referral links
    only to a project of the asker's organisation."""
    if project_id is None:
        return None
    allowed = {project.id for project in projects_of_organisation(organisation_id)}
    if project_id not in allowed:
        raise RuleViolation(
            _l("Choose one of your organisation's funded projects, or none."), field="project"
        )
    return project_id


def choices_for_question(question: Question) -> list[FundedProject]:
    """The projects a question (or a referral of it) may link to: its author's
    organisation's, and the one it links to already (kept even if the organisation
    has since left the project)."""
    choices = projects_of_organisation(question.author.organisation_id)
    if question.project_id is not None and all(p.id != question.project_id for p in choices):
        current = db.session.get(FundedProject, question.project_id)
        if current is not None:
            choices.append(current)
    return choices
