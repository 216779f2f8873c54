"""The e-mail and password a person signs in with, and the sessions they open: the
password rules and hashing, finding an account by its address, login, the session
loader, a new password (changed, or reset through ``password_reset``) with its e-mailed
notice, and signing out everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.models import ApiToken, AuditAction, User
from forum.models.accounts import new_session_token
from forum.services import audit
from forum.services.accounts import api_tokens
from forum.services.errors import RuleViolation
from forum.services.mail import outbox
from forum.services.mail.letters import in_reader_language
from forum.services.mail.notifications import external_url

# OWASP ASVS level 2 (V2.1.1): at least 12 characters.
MIN_PASSWORD_LENGTH = 12
# An e-mail's part before the @ shorter than this (letters and digits) is not
# looked for in the password: "al" or "bob" would refuse passwords by chance.
MIN_LOCAL_PART_CHECKED = 4
# Among the most used passwords in public breach lists, those of 12 characters or
# more (shorter ones are refused by their length already), compared ignoring
# case. Deliberately short and bundled: no network, nothing to update; a full
# breached-password check is not done (docs/security.md).
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456789123",
        "111111111111",
        "123123123123",
        "123412341234",
        "121212121212",
        "000000000000",
        "987654321098",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "1qazxsw23edc",
        "zaq12wsxcde3",
        "1234qwerasdf",
        "qwerty123456",
        "qwertyuiop12",
        "qwertyuiop123",
        "qwertyuiopasdf",
        "asdfghjkl123",
        "qazwsxedcrfv",
        "abc123456789",
        "a1b2c3d4e5f6",
        "abcdefghijkl",
        "abcd12345678",
        "password1234",
        "password12345",
        "password123456",
        "password1password",
        "passwordpassword",
        "passw0rd1234",
        "p@ssw0rd1234",
        "mypassword123",
        "newpassword1",
        "iloveyou1234",
        "iloveyouforever",
        "administrator",
        "changeme1234",
        "welcome12345",
        "letmein12345",
        "trustno1trustno1",
        "football1234",
        "baseball1234",
        "superman1234",
        "starwars1234",
        "sunshine1234",
        "princess1234",
        "ciao12345678",
        "passwordciao",
        "juventus1234",
        "forzajuventus",
        "forzainter12",
        "forzamilan12",
        "qwertyqwerty",
    }
)


def hash_password(password: str) -> str:
    # The method is a setting: scrypt everywhere, a cheap one under FORUM_ENV=test only
    # (forum/config.py), because scrypt made every test user cost 0.1-0.4 s.
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


# Checked against when the e-mail is unknown, so a login takes as long whether or not the
# account exists (no user enumeration by timing); one per method, made on first use.
_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not-a-real-password", method=method)
    return _DUMMY_HASHES[method]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _letters_and_digits(text: str) -> str:
    return "".join(character for character in text.casefold() if character.isalnum())


def check_password_strength(password: str, email: str) -> None:
    """Raise RuleViolation (field ``password``) if the password is too weak to accept.

    Too weak: shorter than MIN_PASSWORD_LENGTH, trivially repetitive, one of
    COMMON_PASSWORDS, or containing the part of ``email`` (the account's
    address) before the @, whatever the case and punctuation.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(
            _l("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if password.strip() == "" or len(set(password)) < 4:
        raise RuleViolation(_l("This password is too easy to guess."), field="password")
    if password.casefold() in COMMON_PASSWORDS:
        raise RuleViolation(
            _l("This is one of the most used passwords: choose another."), field="password"
        )
    local_part = _letters_and_digits(normalise_email(email).rpartition("@")[0])
    if len(local_part) >= MIN_LOCAL_PART_CHECKED and local_part in _letters_and_digits(password):
        raise RuleViolation(
            _l("Do not use your e-mail address, or its part before the @, in your password."),
            field="password",
        )


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    Raises RuleViolation (field ``email``) when the credentials are right but an
    admin deactivated the account: only someone who knows the password learns it.
    """
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    if not user.active:
        raise RuleViolation(
            _l("This account is deactivated. If you think this is a mistake, write to the centre."),
            field="email",
        )
    return user


@dataclass(frozen=True)
class PasswordChanged:
    """A password just changed or reset, and the API tokens that stopped working with it."""

    user: User
    revoked_tokens: list[ApiToken]


def set_password(user: User, password: str) -> list[ApiToken]:
    """Give the user a new password, sign out every session they have and revoke
    their API tokens (not committed); returns the tokens revoked.

    The session token is part of each login cookie, so replacing it ends the
    other sessions; the caller logs the current one in again if it should stay.
    Whoever knew the old password may have minted tokens with it: they go too.
    """
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    return api_tokens.revoke_all(user)


def end_sessions(user: User) -> None:
    """Sign the user out in every browser (commits): used when they log out, or choose
    "sign out everywhere". Their session and remember-me cookies all carry the
    token replaced here, so none of them opens a page any more; and the commit
    moves the content generation, so no cached page is served to them either
    (forum/web/infra/page_cache.py keys a signed-in reader's pages on the token)."""
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> PasswordChanged:
    """The signed-in user changes their password; commits.

    Signs out the user's other sessions, revokes their API tokens, records it in
    the audit log and tells the person by e-mail (someone else may have done it). Raises RuleViolation
    on ``current_password`` when it is wrong, on ``password`` when the new one
    is weak or the same as before.
    """
    if not check_password_hash(user.password_hash, current_password):
        raise RuleViolation(_l("This is not your current password."), field="current_password")
    check_password_strength(new_password, user.email)
    if new_password == current_password:
        raise RuleViolation(
            _l("Choose a password different from the current one."), field="password"
        )
    revoked = set_password(user, new_password)
    audit.record(user, AuditAction.PASSWORD_CHANGED, user)
    enqueue_password_notice(user, revoked, reset=False)
    db.session.commit()
    return PasswordChanged(user, revoked)


def enqueue_password_notice(user: User, revoked_tokens: list[ApiToken], *, reset: bool) -> None:
    """Queue the notice of a password change (``reset``: through an e-mailed link) to the
    person, in their language, naming the API tokens it revoked; not committed."""
    with in_reader_language(user.locale):
        if reset:
            subject = _("[CTCC forum] Your password was reset")
            what = _(
                "The password of your account on the Clinical Trials Competence Centre "
                "forum was just reset through a link sent to this address, and every "
                "session was signed out."
            )
        else:
            subject = _("[CTCC forum] Your password was changed")
            what = _(
                "The password of your account on the Clinical Trials Competence Centre "
                "forum was just changed, and every other session was signed out."
            )
        paragraphs = [_("Hello %(name)s,", name=user.display_name), what]
        if revoked_tokens:
            paragraphs.append(revoked_tokens_sentence(revoked_tokens))
        paragraphs.append(
            _(
                "If this was not you, reset your password at %(link)s and tell the centre.",
                link=external_url("account.forgot_password"),
            )
        )
    outbox.enqueue(user.email, subject, "\n\n".join(paragraphs) + "\n")


def revoked_tokens_sentence(revoked_tokens: list[ApiToken]) -> str:
    """What the person is told about the API tokens a new password revoked (current language)."""
    return ngettext(
        "Your API token %(names)s was revoked with the old password: create a new one if "
        "a script still needs it.",
        "Your %(num)d API tokens (%(names)s) were revoked with the old password: create "
        "new ones if scripts still need them.",
        len(revoked_tokens),
        names=", ".join(f"“{token.name}”" for token in revoked_tokens),
    )


def load_user_for_session(session_id: str) -> User | None:
    """Flask-Login's loader: the cookie holds "<id>:<session token>"."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    # Deactivation also replaces the token; checking ``active`` as well keeps a
    # deactivated account out even if its row was changed some other way.
    if user is None or user.session_token != token or not user.active:
        return None
    return user
