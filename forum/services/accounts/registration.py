"""Self-registration in two steps, so that the form cannot tell who is registered.

Step one, the form (name, e-mail, organisation), always answers "check your
e-mail", and always queues one message and commits, whatever the address:

- an address without an account gets a link to finish registering. The link is
  signed with the app's secret (itsdangerous, with its own salt), carries what
  the form said and works for REGISTRATION_LINK_MAX_AGE seconds;
- an address with an account gets a note to its owner that someone tried to
  register with it, with the links to log in and to reset the password.

Step two, the link: the person chooses their password, and the account is
created and signed in. Only someone who reads the inbox gets there, so the
address is proven as well. Nothing is stored before step two, and the link
holds no secret but its signature (no password, nor a hash of one); once the
account exists the link only says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from forum.extensions import db
from forum.models import OrganisationKind, User
from forum.services import organisations
from forum.services.accounts import creation, credentials
from forum.services.accounts.password_reset import ResetTokenError, TokenProblem, hide_reset_tokens
from forum.services.errors import RuleViolation
from forum.services.mail import outbox
from forum.services.mail.letters import in_reader_language
from forum.services.mail.notifications import external_url
from forum.services.organisations import OrganisationDraft
from forum.signing_keys import signing_keys

SALT = "forum.registration"
# The path of a registration link, up to its token: the admin outbox hides what follows.
LINK_PATH = "/register/finish/"


class RegistrationLinkError(ResetTokenError):
    """The registration link cannot be used; ``problem`` says why (USED: the account exists)."""


@dataclass(frozen=True)
class PendingRegistration:
    """What the registration form said, carried by the link until the password is chosen."""

    email: str
    display_name: str
    organisation_name: str
    organisation_kind: OrganisationKind
    locale: str | None
    # Picked from the list (its name and kind are above); else the details of a new one.
    organisation_id: int | None = None
    country: str = "IT"
    province: str | None = None
    region: str | None = None
    tax_code: str | None = None
    website: str | None = None

    def organisation_draft(self) -> OrganisationDraft:
        return OrganisationDraft(
            name=self.organisation_name,
            kind=self.organisation_kind,
            country=self.country,
            province=self.province,
            region=self.region,
            tax_code=self.tax_code,
            website=self.website,
        )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt=SALT)


def make_token(pending: PendingRegistration) -> str:
    return _serializer().dumps(
        {**asdict(pending), "organisation_kind": pending.organisation_kind.value}
    )


def request_registration(pending: PendingRegistration) -> bool:
    """Queue the message for step one (see the module's docstring); commits.

    Returns whether a registration link was sent (False: the address has an
    account, whose owner was told), for tests and the log only: the page must
    say the same either way. Raises RuleViolation, before anything is queued, when
    the organisation picked is gone (field ``organisation``) or a new one's details
    are wrong (its field: ``organisations.clean``); nothing else.
    """
    pending = replace(
        pending,
        email=credentials.normalise_email(pending.email),
        display_name=" ".join(pending.display_name.split()),
    )
    if pending.organisation_id is not None:
        picked = organisations.get(pending.organisation_id)
        if picked is None:
            raise RuleViolation(_l("Choose an organisation from the list."), field="organisation")
        pending = replace(
            pending,
            organisation_name=picked.name,
            organisation_kind=picked.kind,
            country=picked.country,
            province=None,
            region=None,
            tax_code=None,
            website=None,
        )
    elif organisations.find_by_name(pending.organisation_name) is None:
        cleaned = organisations.clean(pending.organisation_draft())
        pending = replace(
            pending,
            organisation_name=cleaned.name,
            country=cleaned.country,
            province=cleaned.province,
            region=cleaned.region,
            tax_code=cleaned.tax_code,
            website=cleaned.website,
        )
    else:  # named as it is listed: that one, as picked
        pending = replace(pending, organisation_name=" ".join(pending.organisation_name.split()))
    owner = credentials.find_user_by_email(pending.email)
    if owner is None:
        subject, body = _finish_email(pending, make_token(pending))
    else:
        subject, body = _already_registered_email(owner)
    outbox.enqueue(pending.email, subject, body)
    db.session.commit()
    return owner is None


def pending_for_token(token: str) -> PendingRegistration:
    """What a registration link carries; raises RegistrationLinkError if it cannot be used."""
    max_age = current_app.config["REGISTRATION_LINK_MAX_AGE"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise RegistrationLinkError(TokenProblem.EXPIRED) from None
    except BadSignature:
        raise RegistrationLinkError(TokenProblem.INVALID) from None
    try:
        pending = PendingRegistration(
            email=str(payload["email"]),
            display_name=str(payload["display_name"]),
            organisation_name=str(payload["organisation_name"]),
            organisation_kind=OrganisationKind(payload["organisation_kind"]),
            locale=payload.get("locale"),
            organisation_id=_optional(payload.get("organisation_id"), int),
            country=str(payload.get("country") or "IT"),
            province=_optional(payload.get("province"), str),
            region=_optional(payload.get("region"), str),
            tax_code=_optional(payload.get("tax_code"), str),
            website=_optional(payload.get("website"), str),
        )
    except (TypeError, KeyError, ValueError):
        raise RegistrationLinkError(TokenProblem.INVALID) from None
    if credentials.find_user_by_email(pending.email) is not None:
        raise RegistrationLinkError(TokenProblem.USED)
    return pending


def _optional(value, kind):
    if value is None:
        return None
    if not isinstance(value, kind):
        raise TypeError(value)
    return value


def finish(
    token: str, password: str, *, accepted_privacy: bool = False, privacy_version: int | None = None
) -> User:
    """Create the member's account from a registration link and the password they chose; commits.

    ``accepted_privacy`` and ``privacy_version``: the privacy notice's box and the
    version the form showed, recorded with the time (``creation.register_member``).
    Raises RegistrationLinkError for a link that cannot be used (USED when the
    account exists, made by this link or meanwhile), RuleViolation (field
    ``password``) for a weak password, (field ``accept_privacy``) for a notice not
    accepted or changed meanwhile.
    """
    pending = pending_for_token(token)
    try:
        return creation.register_member(
            email=pending.email,
            display_name=pending.display_name,
            password=password,
            organisation=pending.organisation_draft(),
            organisation_id=pending.organisation_id,
            locale=pending.locale,
            accepted_privacy=accepted_privacy,
            privacy_version=privacy_version,
        )
    except RuleViolation as error:
        if error.field == "email":  # registered through another tab a moment ago
            raise RegistrationLinkError(TokenProblem.USED) from None
        raise


def hide_registration_tokens(text: str) -> str:
    """``text`` with the token of every registration link hidden, for the admins' outbox view."""
    return hide_reset_tokens(text, LINK_PATH)


def _finish_email(pending: PendingRegistration, token: str) -> tuple[str, str]:
    """The link to finish registering, in the language the person registered in."""
    hours = current_app.config["REGISTRATION_LINK_MAX_AGE"] // 3600
    with in_reader_language(pending.locale):
        subject = _("[CTCC forum] Finish registering")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=pending.display_name),
                _(
                    "To finish registering on the Clinical Trials Competence Centre forum, open "
                    "this link and choose your password:"
                ),
                external_url("auth.finish_registration", token=token),
                _("The link works for %(hours)d hours.", hours=hours),
                _("If you did not register, ignore this message: no account is made."),
            ]
        )
    return subject, body + "\n"


def _already_registered_email(owner: User) -> tuple[str, str]:
    """The note to an account's owner that someone tried to register with their address."""
    with in_reader_language(owner.locale):
        subject = _("[CTCC forum] Someone tried to register with your address")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=owner.display_name),
                _(
                    "Someone, perhaps you, tried to register on the Clinical Trials Competence "
                    "Centre forum with this e-mail address, which already has an account. No new "
                    "account was made."
                ),
                _(
                    "If it was you, log in at %(login)s, or choose a new password at %(reset)s "
                    "if you forgot yours.",
                    login=external_url("auth.login"),
                    reset=external_url("account.forgot_password"),
                ),
                _("If it was not you, ignore this message: nothing changed."),
            ]
        )
    return subject, body + "\n"
