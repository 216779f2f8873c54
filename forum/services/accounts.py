"""Accounts: registration, creating users from the CLI, signing in."""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.models import ExpertArea, Organisation, OrganisationKind, Role, User
from forum.services.errors import RuleViolation

MIN_PASSWORD_LENGTH = 10
# Checked against when the e-mail is unknown, so a login takes as long whether
# or not the account exists (no user enumeration by timing).
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_strength(password: str) -> None:
    """Raise RuleViolation if the password is too weak to accept."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(
            _l("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if password.strip() == "" or len(set(password)) < 4:
        raise RuleViolation(_l("This password is too easy to guess."), field="password")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def get_or_create_organisation(name: str, kind: OrganisationKind) -> Organisation:
    """Find an organisation by name (case-insensitively) or add it; not committed."""
    name = " ".join(name.split())
    organisation = db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.lower())
    )
    if organisation is None:
        organisation = Organisation(name=name, kind=kind)
        db.session.add(organisation)
    return organisation


def create_user(
    *,
    email: str,
    display_name: str,
    password: str,
    role: Role = Role.MEMBER,
    area: ExpertArea | None = None,
    is_chair: bool = False,
    organisation: Organisation | None = None,
) -> User:
    """Create an account and commit it.

    Raises RuleViolation when the e-mail is taken, the password is weak, or
    the expert fields do not fit the role (experts need an area; only experts
    chair the board).
    """
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise RuleViolation(_l("An account with this e-mail already exists."), field="email")
    check_password_strength(password)
    if role == Role.EXPERT and area is None:
        raise RuleViolation(_l("An expert needs an area."), field="area")
    if role != Role.EXPERT and (area is not None or is_chair):
        raise RuleViolation(_l("Only experts have an area or chair the board."), field="area")
    user = User(
        email=email,
        display_name=" ".join(display_name.split()),
        password_hash=generate_password_hash(password),
        role=role,
        area=area,
        is_chair=is_chair,
        organisation=organisation,
    )
    db.session.add(user)
    db.session.commit()
    return user


def register_member(
    *,
    email: str,
    display_name: str,
    password: str,
    organisation_name: str,
    organisation_kind: OrganisationKind,
) -> User:
    """Self-registration: always a member, attached to their organisation."""
    try:
        organisation = get_or_create_organisation(organisation_name, organisation_kind)
        return create_user(
            email=email,
            display_name=display_name,
            password=password,
            role=Role.MEMBER,
            organisation=organisation,
        )
    except Exception:
        db.session.rollback()
        raise


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def load_user_for_session(session_id: str) -> User | None:
    """Flask-Login's loader: the cookie holds "<id>:<session token>"."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token:
        return None
    return user


def preload_bylines(user_ids: Iterable[int | None]) -> list[User]:
    """Load these users with their organisation and expert profile, in one query.

    A page that shows many authors calls this once; each ``author``-style
    relationship then finds its user in the session instead of querying. The
    session holds objects weakly: the caller keeps the returned list for as
    long as the page renders.
    """
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return []
    return list(db.session.scalars(
        select(User)
        .where(User.id.in_(wanted))
        .options(joinedload(User.organisation), joinedload(User.expert_profile))
    ).unique())
