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


def can_see_partners(user, profile: NetworkProfile) -> bool:
    """An organisation's suggested partners: for a listed profile, the members of the
    network and the organisation's own people; for an unlisted one, only its own people
    and the admins (as the profile itself)."""
    if _belongs_to(user, profile) or _is_admin(user):
        return True
    return profile.listed and is_network_member(user)


def sees_unlisted_candidates(user) -> bool:
    """Unlisted organisations among suggested partners: the admins only, who curate the
    directory and know who has not agreed to be shown. Everyone else is never told that
    an unlisted organisation would match."""
    return _is_admin(user)


def can_see_visit_notes(user) -> bool:
    """A visit's notes and follow-ups: the network's members (admins included). They name
    who met whom and what each side promised to do next, which the organisations told the
    network, not the public; everyone else reads the title, dates, place, programme and
    the participating organisations they may see (``can_see_profile``)."""
    return is_network_member(user)


def can_register_interest(user) -> bool:
    """Any signed-in person may ask to join a visit: people not yet in the directory are
    whom a study visit is meant to bring in."""
    return _is_authenticated(user)


def can_see_visit_interests(user) -> bool:
    """Who registered interest in a visit (names, organisations, notes): the admins, who
    organise the visits."""
    return _is_admin(user)


def can_read_feasibility_notes(user) -> bool:
    """The feasibility study's decisions per theme: the network's members. They are the
    partners' working decisions (which parts of the two ecosystems to link first), taken
    before the action plan announces anything, so they are not public."""
    return is_network_member(user)
