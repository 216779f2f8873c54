"""Flask-Login's manager, accepting a remember-me cookie signed with a retired key.

Flask-Login (0.6) signs the remember-me cookie with an HMAC of SECRET_KEY alone:
after a rotation every "keep me signed in" would end at once. This manager checks
a cookie that the current key does not verify against each of SECRET_KEY_FALLBACKS
(forum/signing_keys.py), and when one verifies it, signs the user in as the cookie
says and has Flask-Login send the cookie again under the current key, so that
members who come back while the old key is still listed never notice its removal.

It overrides Flask-Login's ``_load_user_from_remember_cookie``, the one step that
reads the cookie: the library offers no hook there (its ``request_loader`` is not
asked when a remember cookie is present). tests/web/test_key_rotation.py fails if a
later Flask-Login stops calling it.
"""

from __future__ import annotations

from flask import current_app, session
from flask_login import LoginManager
from flask_login.utils import decode_cookie, encode_cookie

from forum.signing_keys import retired_keys


class RotatingKeyLoginManager(LoginManager):
    """Flask-Login's LoginManager, reading remember-me cookies signed with a retired key too."""

    def _load_user_from_remember_cookie(self, cookie):
        if decode_cookie(cookie) is None:
            user_id = _user_id_under_a_retired_key(cookie)
            if user_id is not None:
                cookie = encode_cookie(user_id)  # as Flask-Login would sign it today
                session["_remember"] = "set"  # sent back under the current key
        return super()._load_user_from_remember_cookie(cookie)


def _user_id_under_a_retired_key(cookie: str) -> str | None:
    for key in retired_keys(current_app.config):
        user_id = decode_cookie(cookie, key=key)
        if user_id is not None:
            return user_id
    return None
