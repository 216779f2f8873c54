"""Starting and ending a signed-in browser session.

Signing in starts a new session: whatever the browser carried before is dropped
(a session, and the CSRF token kept in it, that someone else may have planted:
session fixation), keeping only the visitor's choice of language. Signing out
ends the session on the server as well: the account's session token is
replaced, and every login cookie carries it (``User.get_id``), so a copy of the
old session cookie and every remember-me cookie stop working, in every browser.
"""

from __future__ import annotations

from flask import g, session
from flask_login import login_user, logout_user

from forum.models import User
from forum.services.accounts import credentials

# What a visitor's session holds that is worth keeping across signing in.
KEPT_ACROSS_SIGN_IN = ("locale",)


def sign_in(user: User, *, remember: bool = False) -> None:
    """Sign ``user`` in, in a fresh session with a new CSRF token."""
    kept = {key: session[key] for key in KEPT_ACROSS_SIGN_IN if key in session}
    session.clear()
    session.update(kept)
    # Flask-WTF keeps the signed token of this request in g; the next form gets a new one.
    g.pop("csrf_token", None)
    login_user(user, remember=remember)


def sign_out_everywhere(user: User) -> None:
    """End every session of ``user``, this browser's too (commits)."""
    credentials.end_sessions(user)
    logout_user()
