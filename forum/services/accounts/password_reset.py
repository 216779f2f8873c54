"""Resetting a forgotten password through a link sent by e-mail.

The link carries a token signed with the app's secret (itsdangerous, with its
own salt so no other signed value can pass for one). It holds the account's id
and a fingerprint of the account's current password hash, and it expires after
PASSWORD_RESET_MAX_AGE seconds. Using it changes the password, hence the hash,
so the same link cannot be used twice, and any other link sent before stops
working too; so does a link for an account deleted since. Nothing about the
token is stored.

Asking for a link answers the same whether or not the address has an account,
so the form cannot be used to find out who is registered; and it does the same
work, so its timing does not tell either: every request queues one message and
commits. An address without an account is told it has none (the person may have
registered with another); a deactivated account's owner, to write to the centre.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from forum.extensions import db
from forum.models import AuditAction, User
from forum.services import audit
from forum.services.accounts import credentials
from forum.services.errors import ServiceError
from forum.services.mail import outbox
from forum.services.mail.letters import in_reader_language
from forum.services.mail.notifications import external_url
from forum.signing_keys import signing_keys

SALT = "forum.password-reset"
# The path of a reset link, up to its token: the admin outbox hides what follows.
LINK_PATH = "/password/reset/"


class TokenProblem(StrEnum):
    EXPIRED = "expired"
    INVALID = "invalid"  # tampered with, truncated, or not a reset token at all
    USED = "used"  # the password changed since: used already, or the account is gone


class ResetTokenError(ServiceError):
    """The reset link cannot be used; ``problem`` says why."""

    def __init__(self, problem: TokenProblem):
        super().__init__(problem.value)
        self.problem = problem


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt=SALT)


def _fingerprint(user: User) -> str:
    """Changes whenever the password does; reveals nothing of the hash it comes from."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "password": _fingerprint(user)})


def request_reset(email: str, locale: str | None = None) -> bool:
    """Queue a reset link for the active account with this e-mail; commits.

    Any other address gets a message without a link, in ``locale`` (the
    language the form was used in) when it has no account: see the module's
    docstring; except a deleted account's placeholder address, which reaches nobody. Returns whether a reset link was queued, for tests and the log
    only: the page must say the same either way. Raises nothing.
    """
    email = credentials.normalise_email(email)
    user = credentials.find_user_by_email(email)
    if user is not None and user.deleted_at is not None:
        return False  # its address is a placeholder that reaches nobody ("deleted-7@invalid")
    usable = user is not None and user.active
    if usable:
        subject, body = _reset_email(user, make_token(user))
    elif user is not None:
        subject, body = _deactivated_email(user)
    else:
        subject, body = _no_account_email(locale)
    outbox.enqueue(email, subject, body)
    db.session.commit()
    return usable


def user_for_token(token: str) -> User:
    """The account a reset token is for; raises ResetTokenError if it cannot be used."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise ResetTokenError(TokenProblem.EXPIRED) from None
    except BadSignature:
        raise ResetTokenError(TokenProblem.INVALID) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        raise ResetTokenError(TokenProblem.INVALID)
    user = db.session.get(User, payload["user"])
    if user is None or not user.active or user.deleted_at is not None:
        raise ResetTokenError(TokenProblem.USED)
    if payload.get("password") != _fingerprint(user):
        raise ResetTokenError(TokenProblem.USED)
    return user


def reset_password(token: str, new_password: str) -> credentials.PasswordChanged:
    """Set a new password through a reset link; commits.

    Signs out every session of the account, revokes its API tokens, records the
    reset in the audit log and tells the person by e-mail. Raises ResetTokenError for a link that cannot be used, RuleViolation
    (field ``password``) for a weak password.
    """
    user = user_for_token(token)
    credentials.check_password_strength(new_password, user.email)
    revoked = credentials.set_password(user, new_password)
    audit.record(user, AuditAction.PASSWORD_RESET, user)
    credentials.enqueue_password_notice(user, revoked, reset=True)
    db.session.commit()
    return credentials.PasswordChanged(user, revoked)


def _reset_email(user: User, token: str) -> tuple[str, str]:
    """Subject and body of the reset message, in the user's language."""
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with in_reader_language(user.locale):
        subject = _("[CTCC forum] Reset your password")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.display_name),
                _(
                    "Someone asked to reset the password of your account on the Clinical Trials "
                    "Competence Centre forum. To choose a new password, open this link:"
                ),
                external_url("account.reset_password", token=token),
                _("The link works once, within %(minutes)d minutes.", minutes=minutes),
                _("If you did not ask for it, ignore this message: your password stays as it is."),
            ]
        )
    return subject, body + "\n"


def _no_account_email(locale: str | None) -> tuple[str, str]:
    """The answer to a reset asked for an address without an account."""
    with in_reader_language(locale):
        subject = _("[CTCC forum] No account uses this address")
        body = "\n\n".join(
            [
                _("Hello,"),
                _(
                    "Someone asked to reset the password of an account on the Clinical Trials "
                    "Competence Centre forum for this e-mail address, but no account uses it. "
                    "Perhaps you registered with another address."
                ),
                _("To make an account, register at %(link)s.", link=external_url("auth.register")),
                _("If you did not ask for it, ignore this message."),
            ]
        )
    return subject, body + "\n"


def _deactivated_email(user: User) -> tuple[str, str]:
    """The answer to a reset asked for a deactivated account, in the owner's language."""
    with in_reader_language(user.locale):
        subject = _("[CTCC forum] Your account is deactivated")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.display_name),
                _(
                    "Someone asked to reset the password of your account on the Clinical Trials "
                    "Competence Centre forum, but the account is deactivated. If you think this "
                    "is a mistake, write to the centre."
                ),
                _("If you did not ask for it, ignore this message."),
            ]
        )
    return subject, body + "\n"


def hide_reset_tokens(text: str, link_path: str = LINK_PATH) -> str:
    """``text`` with the token of every reset link (or other one-time link whose path,
    up to its token, is ``link_path``) replaced, for the admins' outbox view."""
    head, separator, rest = text.partition(link_path)
    if not separator:
        return text
    token_end = 0
    while token_end < len(rest) and (rest[token_end].isalnum() or rest[token_end] in "-_."):
        token_end += 1
    return head + link_path + "[hidden]" + hide_reset_tokens(rest[token_end:], link_path)
