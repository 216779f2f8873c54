"""Who may see and change the Lombardy-Limburg network's directory, rounds and visits: pure
functions of (user, object), like ``forum/permissions.py`` (kept apart so each stays one
subject's rules). ``user`` may be Flask-Login's anonymous user.

"Members of the network" are the signed-in people whose organisation has a profile in the
directory, the board's experts (who suggest and make introductions) and the admins.
"""

from __future__ import annotations

from forum.models import NetworkProfile, Role


def _is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def _is_admin(user) -> bool:
    return _is_authenticated(user) and user.role == Role.ADMIN


def _belongs_to(user, profile: NetworkProfile) -> bool:
    return (
        _is_authenticated(user)
        and user.organisation_id is not None
        and user.organisation_id == profile.organisation_id
    )


def is_network_member(user) -> bool:
    """Signed in, and an admin, an expert, or one of a directory organisation's people."""
    if not _is_authenticated(user):
        return False
    if user.role in (Role.ADMIN, Role.EXPERT):
        return True
    organisation = user.organisation
    return organisation is not None and organisation.network_profile is not None


def can_manage_network(user) -> bool:
    """Curate the directory and its vocabularies, import the desk research's CSV, run
    matchmaking rounds, record introductions, visits and feasibility notes: the admins."""
    return _is_admin(user)


def can_see_profile(user, profile: NetworkProfile) -> bool:
    """A listed profile is public; an unlisted one is its own organisation's and the admins'."""
    return profile.listed or _is_admin(user) or _belongs_to(user, profile)


def can_edit_profile(user, profile: NetworkProfile) -> bool:
    """An organisation's people edit its profile; the admins edit every profile."""
    return _is_admin(user) or _belongs_to(user, profile)


def can_create_own_profile(user, organisation) -> bool:
    """One of an organisation's people puts it in the directory, once: an organisation
    with a profile edits that one instead (admins create profiles for any organisation)."""
    return (
        _is_authenticated(user)
        and organisation is not None
        and user.organisation_id == organisation.id
        and organisation.network_profile is None
    )


def can_see_network_contacts(user) -> bool:
    """A profile's contact person, e-mail and phone: signed-in members of the network."""
    return is_network_member(user)
