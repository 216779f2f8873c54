"""Making accounts: ``create_user`` (the command line, the demo, tests, and the last step
of self-registration), ``register_member`` (self-registration's account: a member, their
organisation, the privacy notice accepted) and the organisation found or added by name.

The e-mail's form and the password's rules are ``credentials``'; the two-step
registration by e-mailed link is ``registration``'s, which ends here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forum.extensions import db
from forum.models import ExpertArea, Organisation, OrganisationKind, Role, User
from forum.models.columns import utcnow
from forum.services import centre_pages, organisations
from forum.services.accounts.credentials import (
    check_password_strength,
    find_user_by_email,
    hash_password,
    normalise_email,
)
from forum.services.errors import RuleViolation
from forum.services.organisations import OrganisationDraft


def get_or_create_organisation(name: str, kind: OrganisationKind) -> Organisation:
    """Find an organisation by name (case-insensitively) or add it, in Italy with no
    province yet (the CLI, the demo, tests); not committed."""
    name = " ".join(name.split())
    organisation = organisations.find_by_name(name)
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
    locale: str | None = None,
    privacy_version_accepted: int | None = None,
) -> User:
    """Create an account and commit it; ``locale`` is its language (None: the browser's).

    ``privacy_version_accepted``: the privacy notice's version the person accepted
    now (registration), recorded with the time; None when they accepted none.

    Raises RuleViolation when the e-mail is taken, the password is weak, or
    the expert fields do not fit the role (experts need an area; only experts
    chair the board).
    """
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise RuleViolation(_l("An account with this e-mail already exists."), field="email")
    check_password_strength(password, email)
    if role == Role.EXPERT and area is None:
        raise RuleViolation(_l("An expert needs an area."), field="area")
    if role != Role.EXPERT and (area is not None or is_chair):
        raise RuleViolation(_l("Only experts have an area or chair the board."), field="area")
    user = User(
        email=email,
        display_name=" ".join(display_name.split()),
        password_hash=hash_password(password),
        role=role,
        area=area,
        is_chair=is_chair,
        organisation=organisation,
        locale=locale,
        privacy_version_accepted=privacy_version_accepted,
        privacy_accepted_at=utcnow() if privacy_version_accepted is not None else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def register_member(
    *,
    email: str,
    display_name: str,
    password: str,
    organisation: OrganisationDraft,
    organisation_id: int | None = None,
    locale: str | None = None,
    accepted_privacy: bool = False,
    privacy_version: int | None = None,
) -> User:
    """Self-registration: always a member, attached to their organisation: the one with
    ``organisation_id`` if it still exists (picked from the list), else the one named in
    ``organisation`` (matched whatever the case), else a new one from that draft.

    ``locale`` is the language the person registered in: e-mails, written
    outside any request, go out in it until they choose another.
    ``privacy_version`` is the privacy notice's version the form showed; once a
    notice exists the person must accept it (``accepted_privacy``), and the
    version and time are recorded. Raises RuleViolation (field ``accept_privacy``)
    when they did not, or when the notice has a newer version since.
    """
    current_version = centre_pages.current_privacy_version()
    if current_version is not None:
        if not accepted_privacy:
            raise RuleViolation(
                _l("Please read the privacy notice and tick the box to accept it."),
                field="accept_privacy",
            )
        if privacy_version != current_version:
            raise RuleViolation(
                _l(
                    "The privacy notice changed while you were reading it: "
                    "please read this version."
                ),
                field="accept_privacy",
            )
    try:
        picked = organisations.get(organisation_id) if organisation_id is not None else None
        if picked is None:
            try:
                picked = organisations.find_or_create(organisation)
            except RuleViolation:
                # Step one checked the details; a link sent before provinces were asked
                # carries none: the organisation is added by name, for admins to complete.
                picked = get_or_create_organisation(organisation.name, organisation.kind)
        return create_user(
            email=email,
            display_name=display_name,
            password=password,
            role=Role.MEMBER,
            organisation=picked,
            locale=locale,
            privacy_version_accepted=current_version,
        )
    except Exception:
        db.session.rollback()
        raise
