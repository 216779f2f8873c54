"""The clinic's links to a referral, and the e-mails that carry them.

The clinic's contact has no account. Each e-mail to them carries a link of its
own: 24 random bytes, of which only the SHA-256 is stored, opening one referral
(its id is in the URL and must match the link's) for ``REFERRAL_LINK_DAYS``.
A link is single-purpose: it lets its holder read that referral as the clinic
may see it, answer the introduction once, write in its thread, and record or
confirm the trial's start and later steps; nothing else in the forum. An expert
or admin who sends a new link revokes the earlier ones (a contact changed, a
link forwarded by mistake).

The e-mails are in Italian and English, one after the other: a clinic has no
language setting, and the centre's clinics are in Lombardy.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from forum.extensions import db
from forum.models import AuditAction, Facilitation, ReferralLink, User
from forum.models.columns import utcnow
from forum.permissions import can_send_referral_link
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.mail import outbox
from forum.services.mail.notifications import external_url

MAX_TOKEN_LENGTH = 100
# A link's last use is written at most this often (a page view is not an action).
LAST_USED_GRANULARITY = timedelta(minutes=1)


class LinkProblem(StrEnum):
    """Why a link does not open its referral; each gets its own page."""

    UNKNOWN = "unknown"  # never issued, mistyped or tampered with, or another referral's
    EXPIRED = "expired"
    REVOKED = "revoked"  # replaced by a newer link


class LinkRefused(Exception):
    def __init__(self, problem: LinkProblem):
        super().__init__(problem.value)
        self.problem = problem


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    link: ReferralLink
    token: str  # shown in the e-mail only, never stored


def _issue(facilitation: Facilitation, created_by: User | None) -> IssuedLink:
    token = secrets.token_urlsafe(24)
    days = current_app.config["REFERRAL_LINK_DAYS"]
    link = ReferralLink(
        facilitation_id=facilitation.id,
        token_hash=token_hash(token),
        sent_to=facilitation.clinic.contact_email,
        created_by_id=created_by.id if created_by is not None else None,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()
    return IssuedLink(link, token)


def link_url(facilitation: Facilitation, token: str) -> str:
    return external_url("clinics.clinic_referral", facilitation_id=facilitation.id, token=token)


def resolve(facilitation_id: int, token: str) -> ReferralLink:
    """The link for ``token`` if it opens referral ``facilitation_id`` now; its use is noted.

    Raises LinkRefused: UNKNOWN for a token never issued or issued for another referral
    (the same answer, so a link reveals nothing of other referrals), EXPIRED, REVOKED.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkRefused(LinkProblem.UNKNOWN)
    link = db.session.scalar(
        select(ReferralLink).where(ReferralLink.token_hash == token_hash(token))
    )
    if link is None or link.facilitation_id != facilitation_id:
        raise LinkRefused(LinkProblem.UNKNOWN)
    if link.revoked_at is not None:
        raise LinkRefused(LinkProblem.REVOKED)
    now = utcnow()
    if link.expires_at <= now:
        raise LinkRefused(LinkProblem.EXPIRED)
    if link.last_used_at is None or now - link.last_used_at > LAST_USED_GRANULARITY:
        link.last_used_at = now
        db.session.commit()
    return link


_LINK_TOKEN = re.compile(r"(/facilitations/\d+/clinic/)[A-Za-z0-9_-]+")


def hide_link_tokens(text: str) -> str:
    """``text`` with every referral link's token replaced, for the admins' outbox view:
    an admin reading the outbox must not be able to answer for a clinic."""
    return _LINK_TOKEN.sub(r"\1[hidden]", text)


def has_contact_email(facilitation: Facilitation) -> bool:
    return bool(facilitation.clinic.contact_email)


# --- the e-mails to the clinic -------------------------------------------------------


def _in_both_languages(compose) -> str:
    """The text ``compose()`` makes, in Italian then in English."""
    parts = []
    for locale in ("it", "en"):
        with force_locale(locale):
            parts.append(compose())
    return "\n\n---\n\n".join(parts)


def mail_clinic(facilitation: Facilitation, sentence, created_by: User | None) -> bool:
    """E-mail the clinic's contact ``sentence`` (a lazy string) with a new link to the
    referral; not committed. False, and nothing queued, when the clinic has no e-mail."""
    if not has_contact_email(facilitation):
        return False
    issued = _issue(facilitation, created_by)
    url = link_url(facilitation, issued.token)
    clinic = facilitation.clinic
    expires = issued.link.expires_at

    def compose() -> str:
        return "\n\n".join(
            [
                _("Hello %(name)s,", name=clinic.contact_name or clinic.name),
                str(sentence),
                _("Open the referral (no account needed): %(link)s", link=url),
                _(
                    "The link opens this referral only, and works until %(day)s. Do not forward "
                    "it: whoever holds it can answer for %(clinic)s.",
                    day=expires.date().isoformat(),
                    clinic=clinic.name,
                ),
                _("Clinical Trials Competence Centre"),
            ]
        )

    with force_locale("it"):
        subject_it = _(
            "[CTCC] Referral %(number)d: %(clinic)s", number=facilitation.id, clinic=clinic.name
        )
    outbox.enqueue(clinic.contact_email, subject_it, _in_both_languages(compose) + "\n")
    return True


INVITATION = _l(
    "The board of the Clinical Trials Competence Centre proposes to introduce "
    "your clinic to a company planning a clinical investigation of a medical "
    "device. Read the proposal, then accept, decline or ask a question. Neither "
    "side receives the other's contact until both have agreed."
)


def send_new_link(facilitation: Facilitation, actor: User) -> None:
    """Revoke the referral's earlier links and e-mail the clinic a new one; audited.

    Raises PermissionDenied unless the actor is an expert or admin and the referral is
    not over; RuleViolation when the clinic has no contact e-mail.
    """
    if not can_send_referral_link(actor, facilitation):
        raise PermissionDenied(
            _l(
                "Only the board's experts and the admins send the clinic "
                "a link, while the referral is under way."
            )
        )
    if not has_contact_email(facilitation):
        raise RuleViolation(
            _l("This clinic has no contact e-mail: an admin adds one in the directory first.")
        )
    db.session.execute(
        update(ReferralLink)
        .where(ReferralLink.facilitation_id == facilitation.id, ReferralLink.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    mail_clinic(facilitation, INVITATION, actor)
    audit.record(
        actor,
        AuditAction.REFERRAL_LINK_SENT,
        facilitation,
        question_id=facilitation.question_id,
        detail=facilitation.clinic.contact_email,
    )
    db.session.commit()
