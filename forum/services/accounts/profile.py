"""A person's own details on the account page: name, organisation, language, and a new
e-mail address, which replaces the old one only once the link sent to it is opened.

The link is signed with the app's secret (itsdangerous, its own salt) and carries the
account, the new address and a fingerprint of the current one. It works once: it must
name the address the account is waiting for (``User.pending_email``, replaced by a newer
request and cleared when used), and the current address must still be the one it was
made for. It works for EMAIL_CHANGE_LINK_MAX_AGE seconds, and only for the account it was
made for: opened while another account is signed in, it changes nothing.

A taken address is treated as registration treats it: the page says the same (a message
went to that address), and the message tells the address's owner that someone tried to
use it; nothing changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from forum.extensions import db
from forum.models import AuditAction, Organisation, OrganisationKind, User
from forum.services import audit, organisations
from forum.services.accounts import credentials
from forum.services.accounts.password_reset import ResetTokenError, TokenProblem, hide_reset_tokens
from forum.services.errors import RuleViolation, ServiceError
from forum.services.mail import outbox
from forum.services.mail.letters import in_reader_language
from forum.services.mail.notifications import external_url
from forum.services.organisations import OrganisationDraft
from forum.signing_keys import signing_keys

SALT = "forum.email-change"
# The path of a confirmation link, up to its token: the admin outbox hides what follows.
LINK_PATH = "/account/email/confirm/"


class EmailLinkError(ResetTokenError):
    """The confirmation link cannot be used; ``problem`` says why (USED: used already,
    replaced by a newer request, or the address changed since)."""


class LinkForAnotherAccount(ServiceError):
    """The link was made for another account than the one signed in."""


# --- name, organisation, language ---------------------------------------------------------


@dataclass(frozen=True)
class ProfileDraft:
    """What the profile form says. ``organisation_id``: an organisation picked from the
        list; else ``new_organisation`` names one (found whatever its case, or added); neither:
        no organisation. ``organisation_kind``: the kind of the person's current organisation,
    if they keep it (another one picked is taken as it is)."""

    display_name: str
    locale: str
    organisation_id: int | None = None
    organisation_kind: OrganisationKind | None = None
    new_organisation: OrganisationDraft | None = None


def _chosen_organisation(user: User, draft: ProfileDraft) -> Organisation | None:
    if draft.organisation_id is not None:
        organisation = organisations.get(draft.organisation_id)
        if organisation is None:
            raise RuleViolation(_l("Choose an organisation from the list."), field="organisation")
        # The kind shown beside the list is the current organisation's: picking another
        # one takes that one as it is.
        if (
            organisation is user.organisation
            and draft.organisation_kind is not None
            and draft.organisation_kind != organisation.kind
        ):
            others = db.session.scalar(
                select(func.count(User.id)).where(
                    User.organisation_id == organisation.id, User.id != user.id
                )
            )
            # The kind is the organisation's, not the person's: with colleagues on the
            # forum, one of them cannot reclassify it for all (the review counts it).
            if others:
                raise RuleViolation(
                    _l(
                        "Other people on the forum belong to %(name)s: ask "
                        "the centre to change its kind.",
                        name=organisation.name,
                    ),
                    field="organisation_kind",
                )
            organisation.kind = draft.organisation_kind
        return organisation
    if draft.new_organisation is not None:
        return organisations.find_or_create(draft.new_organisation)
    return None


def _changes(
    user: User, name: str, organisation: Organisation | None, kind_before, locale: str
) -> str:
    changes = []
    if user.display_name != name:
        changes.append(f"name: {user.display_name} -> {name}")
    before = user.organisation
    if before is not organisation:
        changes.append(
            f"organisation: {before.name if before else '-'} -> "
            f"{organisation.name if organisation else '-'}"
        )
    if organisation is not None and kind_before is not None and organisation.kind != kind_before:
        changes.append(f"kind of {organisation.name}: {kind_before} -> {organisation.kind}")
    if (user.locale or "") != locale:
        changes.append(f"language: {user.locale or '-'} -> {locale}")
    return "; ".join(changes)


def update_profile(user: User, draft: ProfileDraft) -> User:
    """Save the person's name, organisation (picked, or named and added) and language;
    audited with what changed; commits.

    Raises RuleViolation on ``display_name`` (2 to 120 characters), ``organisation`` (not
    in the list), ``organisation_kind`` (the organisation has other members: its kind is
    the centre's to change), ``locale``, or a new organisation's field (``name``,
    ``province``, ``tax_code`` ...: ``organisations.clean``). Nothing is saved then.
    """
    name = " ".join(draft.display_name.split())
    if not 2 <= len(name) <= 120:
        raise RuleViolation(_l("Give your name (2 to 120 characters)."), field="display_name")
    if draft.locale not in current_app.config["LANGUAGES"]:
        raise RuleViolation(_l("Choose one of the languages offered."), field="locale")
    try:
        kind_before = None
        if draft.organisation_id is not None:
            picked = organisations.get(draft.organisation_id)
            kind_before = picked.kind if picked is not None else None
        organisation = _chosen_organisation(user, draft)
        changes = _changes(user, name, organisation, kind_before, draft.locale)
        user.display_name, user.organisation, user.locale = name, organisation, draft.locale
        if changes:
            db.session.flush()
            audit.record(user, AuditAction.PROFILE_UPDATED, user, detail=changes[:2000])
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return user


def set_locale(user: User, locale: str) -> User:
    """Keep ``locale`` as the user's language for pages and e-mails, in every session; commits.

    Raises RuleViolation (field ``locale``) for a language pages are not offered in.
    """
    if locale not in current_app.config["LANGUAGES"]:
        raise RuleViolation(_l("Choose one of the languages offered."), field="locale")
    user.locale = locale
    db.session.commit()
    return user


# --- the e-mail address ------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt=SALT)


def _fingerprint(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def make_token(user: User, new_email: str) -> str:
    return _serializer().dumps(
        {"user": user.id, "email": new_email, "current": _fingerprint(user.email)}
    )


def request_email_change(user: User, new_email: str, password: str) -> bool:
    """Ask to move the account to ``new_email``; queues one message to that address and
    commits (see the module's docstring). Returns whether a confirmation link was sent
    (False: the address has an account, whose owner was told), for tests only: the page
    says the same either way.

    Raises RuleViolation on ``password`` when it is not the account's, on ``email`` when
    the address is already the account's.
    """
    if not check_password_hash(user.password_hash, password):
        raise RuleViolation(_l("This is not your current password."), field="password")
    new_email = credentials.normalise_email(new_email)
    if new_email == user.email:
        raise RuleViolation(_l("This is already your address."), field="email")
    owner = credentials.find_user_by_email(new_email)
    if owner is None:
        user.pending_email = new_email
        subject, body = _confirm_email(user, new_email, make_token(user, new_email))
    else:
        user.pending_email = None  # as any newer request, it ends the earlier link
        subject, body = _address_taken_email(owner)
    audit.record(user, AuditAction.EMAIL_CHANGE_REQUESTED, user)
    outbox.enqueue(new_email, subject, body)
    db.session.commit()
    return owner is None


@dataclass(frozen=True)
class EmailChange:
    user: User
    new_email: str


def change_for_token(token: str, viewer: User) -> EmailChange:
    """What a confirmation link would change, for the signed-in ``viewer``.

    Raises EmailLinkError when the link cannot be used (EXPIRED, INVALID, USED), and
    LinkForAnotherAccount when it was made for someone else than the viewer.
    """
    try:
        payload = _serializer().loads(
            token, max_age=current_app.config["EMAIL_CHANGE_LINK_MAX_AGE"]
        )
    except SignatureExpired:
        raise EmailLinkError(TokenProblem.EXPIRED) from None
    except BadSignature:
        raise EmailLinkError(TokenProblem.INVALID) from None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("user"), int)
        or not isinstance(payload.get("email"), str)
    ):
        raise EmailLinkError(TokenProblem.INVALID)
    if payload["user"] != viewer.id:
        raise LinkForAnotherAccount("another account")
    user = db.session.get(User, payload["user"])
    if (
        user is None
        or user.deleted_at is not None
        or user.pending_email != payload["email"]
        or payload.get("current") != _fingerprint(user.email)
    ):
        raise EmailLinkError(TokenProblem.USED)
    return EmailChange(user, payload["email"])


def confirm_email_change(token: str, viewer: User) -> EmailChange:
    """Replace the account's address with the one the link proves; the old address is
    told, the change audited; commits.

    Raises what ``change_for_token`` raises, and RuleViolation (field ``email``) when the
    address was taken by another account since the link was sent.
    """
    change = change_for_token(token, viewer)
    user, old_email = change.user, change.user.email
    taken = RuleViolation(
        _l(
            "Another account uses this address now, so yours stays as it "
            "was. Ask for a link to another address."
        ),
        field="email",
    )
    if credentials.find_user_by_email(change.new_email) is not None:
        user.pending_email = None
        db.session.commit()
        raise taken
    user.email, user.pending_email = change.new_email, None
    audit.record(user, AuditAction.EMAIL_CHANGED, user, detail=f"{old_email} -> {change.new_email}")
    outbox.enqueue(old_email, *_old_address_email(user, change.new_email))
    try:
        db.session.commit()
    except IntegrityError:  # taken in the same instant by a registration
        db.session.rollback()
        raise taken from None
    return change


def hide_email_change_tokens(text: str) -> str:
    """``text`` with the token of every confirmation link hidden (the admins' outbox view)."""
    return hide_reset_tokens(text, LINK_PATH)


def _confirm_email(user: User, new_email: str, token: str) -> tuple[str, str]:
    hours = current_app.config["EMAIL_CHANGE_LINK_MAX_AGE"] // 3600
    with in_reader_language(user.locale):
        subject = _("[CTCC forum] Confirm your new e-mail address")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.display_name),
                _(
                    "You asked to use %(email)s for your account on the Clinical Trials Competence "
                    "Centre forum. To confirm it, log in and open this link:",
                    email=new_email,
                ),
                external_url("account.confirm_email", token=token),
                _(
                    "The link works once, within %(hours)d hours. Until then your account keeps "
                    "its current address.",
                    hours=hours,
                ),
                _("If you did not ask for it, ignore this message: nothing changes."),
            ]
        )
    return subject, body + "\n"


def _address_taken_email(owner: User) -> tuple[str, str]:
    with in_reader_language(owner.locale):
        subject = _("[CTCC forum] Someone tried to use your address")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=owner.display_name),
                _(
                    "Someone, perhaps you, asked to move another account on the Clinical Trials "
                    "Competence Centre forum to this e-mail address, which already has an account. "
                    "Nothing changed."
                ),
                _(
                    "If it was you, log in to this account at %(login)s, or choose a new password "
                    "at %(reset)s if you forgot it.",
                    login=external_url("auth.login"),
                    reset=external_url("account.forgot_password"),
                ),
            ]
        )
    return subject, body + "\n"


def _old_address_email(user: User, new_email: str) -> tuple[str, str]:
    with in_reader_language(user.locale):
        subject = _("[CTCC forum] Your e-mail address was changed")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.display_name),
                _(
                    "The e-mail address of your account on the Clinical Trials Competence Centre "
                    "forum is now %(email)s. Messages from the forum go there from now on.",
                    email=new_email,
                ),
                _(
                    "If this was not you, write to the centre at once: someone may be using your "
                    "account."
                ),
            ]
        )
    return subject, body + "\n"
