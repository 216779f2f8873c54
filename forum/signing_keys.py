"""The keys signatures are made and checked with: SECRET_KEY, and the retired ones.

Rotating SECRET_KEY would otherwise sign everyone out and break every link in
e-mails already sent. An operator sets the new SECRET_KEY and moves the old one to
SECRET_KEY_FALLBACKS: what was signed with an old key is still accepted, everything
new is signed with SECRET_KEY. Once the longest-lived signature made with the old
key has expired (a remember-me cookie: REMEMBER_COOKIE_DURATION, a year by default,
but renewed under the new key at the member's first visit; a link in an e-mail: its
*_MAX_AGE), the fallback can go.

Who checks which signature:
- the session cookie: Flask itself (3.1.1 and later sign with SECRET_KEY and accept
  SECRET_KEY_FALLBACKS);
- the links in e-mails (registration, password reset, e-mail change) and the CSRF
  tokens (WTF_CSRF_SECRET_KEY, set by ``init_app``): itsdangerous serializers given
  ``signing_keys``;
- the remember-me cookie: ``RotatingKeyLoginManager`` (forum/login_manager.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask


def signing_keys(config: Mapping) -> list[str]:
    """Every accepted key, SECRET_KEY last: itsdangerous signs with the last key of its
    list and accepts a signature made with any (Flask's session does the same)."""
    return [*retired_keys(config), config["SECRET_KEY"]]


def retired_keys(config: Mapping) -> list[str]:
    """SECRET_KEY_FALLBACKS: keys whose signatures are accepted but no longer made."""
    return list(config.get("SECRET_KEY_FALLBACKS") or [])


def init_app(app: Flask) -> None:
    """Flask-WTF signs its CSRF tokens with WTF_CSRF_SECRET_KEY when set, through an
    itsdangerous serializer: given the list of keys, a form rendered before a rotation
    can still be sent after it (else: the "form expired" page, forum/web/errors.py)."""
    if retired_keys(app.config):
        app.config.setdefault("WTF_CSRF_SECRET_KEY", signing_keys(app.config))
