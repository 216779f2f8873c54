"""Admins managing other people's accounts: the list, roles, expert areas, the chair,
deactivation and reactivation.

Kept apart from the modules where a person acts on their own account (``registration``,
``credentials``, ``profile``): these are one admin's decisions about someone else, with
rules of their own (an admin never demotes or deactivates themselves, and the centre
always keeps an active admin).

Every change is one transaction holding the change, its audit entry and the
e-mail telling the person, in their language. Role changes take effect on the
person's next request: pages, the API and the page cache all read the account
as it is now (a change to an account moves the content generation).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.labels import EXPERT_AREA_LABELS, ROLE_LABELS
from forum.models import ApiToken, AuditAction, AuditEntry, ExpertArea, Role, User
from forum.models.accounts import new_session_token
from forum.models.columns import utcnow
from forum.permissions import can_manage_users
from forum.services import audit, moderation
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.mail import outbox
from forum.services.mail.letters import in_reader_language
from forum.services.mail.notifications import external_url

PER_PAGE = 50
MAX_QUERY_LENGTH = 200
MAX_REASON_LENGTH = 500
HISTORY_LENGTH = 20  # the latest audit entries about an account, on its page


@dataclass(frozen=True)
class UserFilters:
    """The list's search: words found in the name or the e-mail (all of them), a role,
    and active (True), inactive (False) or either (None)."""

    query: str = ""
    role: Role | None = None
    active: bool | None = None


def _require_admin(actor: User) -> None:
    if not can_manage_users(actor):
        raise PermissionDenied(_l("Only the centre's admins manage accounts."))


def list_users(
    actor: User, filters: UserFilters, page: int = 1, per_page: int = PER_PAGE
) -> Pagination:
    """One page of the accounts matching the filters, by name, with their organisations.

    Two queries (the count and the page) whatever the number of accounts.
    Raises PermissionDenied for anyone but an admin.
    """
    _require_admin(actor)
    statement = select(User).options(joinedload(User.organisation))
    for word in filters.query.lower().split():
        statement = statement.where(
            or_(
                func.lower(User.display_name).contains(word, autoescape=True),
                func.lower(User.email).contains(word, autoescape=True),
            )
        )
    if filters.role is not None:
        statement = statement.where(User.role == filters.role)
    if filters.active is not None:
        statement = statement.where(User.active.is_(filters.active))
    statement = statement.order_by(func.lower(User.display_name), User.id)
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def get_user(actor: User, user_id: int) -> User | None:
    """The account with its organisation, or None if there is none with this id.

    Raises PermissionDenied for anyone but an admin.
    """
    _require_admin(actor)
    return db.session.scalar(
        select(User).where(User.id == user_id).options(joinedload(User.organisation))
    )


def account_history(actor: User, user: User) -> list[AuditEntry]:
    """The latest audit entries about the account (its role, status, password ...),
    newest first, in two queries. Raises PermissionDenied for anyone but an admin."""
    _require_admin(actor)
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject_type == User.__name__, AuditEntry.subject_id == user.id)
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(HISTORY_LENGTH)
        )
    )


def change_role(
    actor: User, user: User, role: Role, area: ExpertArea | None, is_chair: bool
) -> User:
    """Give the account a role, and an expert's area and chair flag; commits if anything
    changed, with an audit entry and an e-mail to the person.

    Other roles than expert have no area and do not chair: both are cleared for them
    (the form comes filled with the expert's values, so demoting would otherwise mean
    emptying two fields first). Raises PermissionDenied for anyone but an admin;
    RuleViolation on ``area`` for an expert without an area, on ``role`` for a deleted
    account, for the actor's own admin role, and for the centre's last active admin.
    """
    _require_admin(actor)
    if user.deleted_at is not None:
        raise RuleViolation(
            _l("This account was deleted by its owner: it cannot be changed."), field="role"
        )
    if role == Role.EXPERT and area is None:
        raise RuleViolation(_l("An expert needs an area."), field="area")
    if role != Role.EXPERT:
        area, is_chair = None, False
    if user.role == Role.ADMIN and role != Role.ADMIN:
        if user.id == actor.id:
            raise RuleViolation(
                _l("You cannot remove your own admin role: another admin must do it."), field="role"
            )
        _keep_an_active_admin(user, field="role")
    before = (user.role, user.area, user.is_chair)
    if before == (role, area, is_chair):
        return user
    user.role, user.area, user.is_chair = role, area, is_chair
    audit.record(
        actor,
        AuditAction.USER_ROLE_CHANGED,
        user,
        detail=f"{_describe(*before)} -> {_describe(role, area, is_chair)}",
    )
    outbox.enqueue(user.email, *_role_changed_email(user))
    db.session.commit()
    return user


def deactivate(actor: User, user: User, reason: str, *, hide_posts: bool = False) -> User:
    """Deactivate the account: the person can no longer log in, every session of theirs
    ends at once and their API tokens are revoked; commits, with an audit entry (the
    reason) and an e-mail to the person. Deactivating an inactive account does nothing.
    With ``hide_posts`` every text the person posted is hidden too, with the same
    reason, in the same transaction (services/moderation.py).

    Raises PermissionDenied for anyone but an admin; RuleViolation on ``reason`` when it
    is empty or too long, for the actor's own account and for the last active admin.
    """
    _require_admin(actor)
    reason = _checked_reason(reason)
    if not user.active:
        return user
    if user.id == actor.id:
        raise RuleViolation(
            _l("You cannot deactivate your own account: another admin must do it."), field="reason"
        )
    if user.role == Role.ADMIN:
        _keep_an_active_admin(user, field="reason")
    user.active = False
    # The session token is in every login cookie: a new one ends each session now,
    # and keeps them ended if the account is reactivated later.
    user.session_token = new_session_token()
    # Revoked rather than only refused while inactive, so a reactivation does not
    # bring back keys that may have been handed on meanwhile.
    revoked = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    audit.record(
        actor,
        AuditAction.USER_DEACTIVATED,
        user,
        detail=f"{reason} (API tokens revoked: {revoked})",
    )
    if hide_posts:
        moderation.hide_everything_by(actor, user, reason)
    outbox.enqueue(user.email, *_status_email(user, reason))
    db.session.commit()
    return user


def reactivate(actor: User, user: User, reason: str) -> User:
    """Let the person log in again (their old sessions and API tokens stay ended); commits,
    with an audit entry (the reason) and an e-mail to the person. Reactivating an active
    account does nothing.

    Raises PermissionDenied for anyone but an admin; RuleViolation on ``reason`` when it
    is empty or too long, or when the owner deleted the account.
    """
    _require_admin(actor)
    reason = _checked_reason(reason)
    if user.deleted_at is not None:
        raise RuleViolation(
            _l("This account was deleted by its owner: it cannot be reactivated."), field="reason"
        )
    if user.active:
        return user
    user.active = True
    audit.record(actor, AuditAction.USER_REACTIVATED, user, detail=reason)
    outbox.enqueue(user.email, *_status_email(user, reason))
    db.session.commit()
    return user


def _checked_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise RuleViolation(
            _l("Give the reason: it goes into the audit log and the e-mail to the person."),
            field="reason",
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise RuleViolation(
            _l("The reason can be at most %(max)d characters long.", max=MAX_REASON_LENGTH),
            field="reason",
        )
    return reason


def _keep_an_active_admin(leaving: User, *, field: str) -> None:
    """Refuse to take away the admin role or the access of ``leaving`` if no other active
    admin would remain.

    The active admins' rows are locked (PostgreSQL; in id order, so two admins demoting
    each other at once queue rather than deadlock): the second of them then sees the
    first's change and is refused. SQLite runs one writer at a time, and a writer that
    read before another's commit fails rather than writes.
    """
    admins = db.session.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.deleted_at.is_(None))
        .order_by(User.id)
        .with_for_update()
    ).all()
    if not any(admin_id != leaving.id for admin_id in admins):
        raise RuleViolation(
            _l("This is the centre's last active admin: make another account an admin first."),
            field=field,
        )


def _describe(role: Role, area: ExpertArea | None, is_chair: bool) -> str:
    """A role for the audit log, in English like the log's other details."""
    if role != Role.EXPERT:
        return role.value
    return f"expert ({area.value if area else 'no area'}{', chair' if is_chair else ''})"


def _role_changed_email(user: User) -> tuple[str, str]:
    """The notice of a new role, in the person's language."""
    with in_reader_language(user.locale):
        if user.role == Role.EXPERT:
            role = _(
                "%(role)s, area: %(area)s",
                role=ROLE_LABELS[user.role],
                area=EXPERT_AREA_LABELS[user.area],
            )
            if user.is_chair:
                role = _("%(role)s, chair of the board", role=role)
        else:
            role = str(ROLE_LABELS[user.role])
        subject = _("[CTCC forum] Your role has changed")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.display_name),
                _(
                    "An admin of the Clinical Trials Competence Centre changed your role on the "
                    "forum. It is now: %(role)s.",
                    role=role,
                ),
                _(
                    "If you have questions about this, write to the centre. The forum is at "
                    "%(link)s.",
                    link=external_url("main.home"),
                ),
            ]
        )
    return subject, body + "\n"


def _status_email(user: User, reason: str) -> tuple[str, str]:
    """The notice of a deactivation or reactivation, with its reason, in the person's
    language."""
    with in_reader_language(user.locale):
        if user.active:
            subject = _("[CTCC forum] Your account is active again")
            news = _(
                "An admin of the Clinical Trials Competence Centre reactivated your "
                "account on the forum: you can log in again at %(link)s. API tokens "
                "revoked earlier stay revoked; create new ones if you need them.",
                link=external_url("auth.login"),
            )
        else:
            subject = _("[CTCC forum] Your account was deactivated")
            news = _(
                "An admin of the Clinical Trials Competence Centre deactivated your "
                "account on the forum: you can no longer log in, every session was "
                "signed out and your API tokens were revoked."
            )
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.display_name),
                news,
                _("The reason given: %(reason)s", reason=reason),
                _("If you think this is a mistake, write to the centre."),
            ]
        )
    return subject, body + "\n"
