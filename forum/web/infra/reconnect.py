"""One more try for a request whose database connection broke before it committed anything.

A database restart or failover (or an operator's ``pg_terminate_backend``) kills
the connections each worker holds. ``pool_pre_ping`` replaces a dead connection
when a request takes one from the pool, but a request that is using one at that
moment fails midway. Its transaction died with the connection, so nothing of it
was stored: running the request's handlers again, on a fresh connection, is safe
and the reader gets the page instead of a 500. Not so once a COMMIT was sent:
the server may have stored the transaction before the connection broke, and a
second run would write it twice; such a request still fails (500), as does one
that loses its connection twice.

The connection can also die after the view, while the session is closed at the
end of the request: the ROLLBACK that closing sends then fails, and the answer
already made would become a 500. Closing therefore gives up a dead connection
quietly (there is nothing left to roll back on it).

The notes taken on the way also tell the 500 page what it may truthfully say
(``commit_outcome``): nothing was committed, a COMMIT was sent and never
confirmed (the change may or may not be stored), or a commit went through
before the failure.

Where the retry hooks in: ``ForumApp``, the app class ``create_app`` builds, a
subclass of Flask overriding ``preprocess_request`` (the before-request handlers,
which may load the signed-in user) and ``dispatch_request`` (the view): the
steps that run before anything is committed. Flask's documentation ("Subclassing
Flask") recommends a subclass for changing its internal behaviour, and unlike
methods replaced on the app object at registration (a monkeypatch), the class
says in ``type(app)`` what the app does differently. Not a WSGI
middleware: outside Flask it could not see the notes above (they live in the
request's ``g``), it would find a 500 page already made of the exception instead
of the exception, and to replay a request it would have to keep every body
(uploads included) and run the whole request again: the session, the rate-limit
counts, the after-request hooks. ``register`` adds what is not a step of the
request: the commit listeners and the closing of the session.
"""

from __future__ import annotations

from enum import Enum

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.web.infra.static_files import HashedStaticFiles
from forum.web.infra.sync_functions import SyncFunctionsKnown
from forum.web.infra.template_globals import SharedTemplateGlobals


class CommitOutcome(Enum):
    """What became of the request's writes, as far as the request can know."""

    NOTHING_COMMITTED = "nothing committed"
    UNKNOWN = "a COMMIT was sent and not confirmed"
    COMMITTED = "committed"


def _note_commit(_session) -> None:
    if has_request_context():
        g.database_commit_started = True


def _note_commit_sent(_connection) -> None:
    # Fires just before the driver's COMMIT: a failure from here on may come after
    # the server stored the transaction (a flush failing inside commit() comes earlier).
    if has_request_context():
        g.database_commit_unconfirmed = True


def _note_commit_done(_session) -> None:
    if has_request_context():
        g.database_commit_unconfirmed = False
        g.database_committed = True


def commit_outcome() -> CommitOutcome:
    """What the request's commits came to, for an error page that must not guess."""
    if g.get("database_commit_unconfirmed"):
        return CommitOutcome.UNKNOWN
    if g.get("database_committed"):
        return CommitOutcome.COMMITTED
    return CommitOutcome.NOTHING_COMMITTED


class ForumApp(SyncFunctionsKnown, HashedStaticFiles, SharedTemplateGlobals):
    """The forum's Flask app: Flask's, but a request whose database connection died
    before anything was committed runs its before-request handlers, or its view,
    once more (see the module's docstring); static files are served under hashed
    names (HashedStaticFiles, forum/web/infra/static_files.py); and each hook is
    checked for a coroutine once, not on every request (SyncFunctionsKnown,
    forum/web/infra/sync_functions.py); and templates read the Jinja globals in
    place rather than copying them at each render (SharedTemplateGlobals,
    forum/web/infra/template_globals.py)."""

    def preprocess_request(self):
        return _retried_once(super().preprocess_request)

    def dispatch_request(self):
        return _retried_once(super().dispatch_request)


def _retried_once(step):
    try:
        return step()
    except DBAPIError as error:
        if not error.connection_invalidated or g.get("database_commit_started"):
            raise
        db.session.rollback()  # forget the dead connection; the next query takes a new one
        return step()


def _close_session(_error=None) -> None:
    try:
        db.session.remove()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        db.session().invalidate()  # close without the ROLLBACK the dead connection cannot take
        db.session.remove()


def register(app: Flask) -> None:
    """The commit notes and the closing of the session; the retry itself is ``ForumApp``'s."""
    if not isinstance(app, ForumApp):
        # Without the class the notes would be taken and nothing run again.
        raise TypeError("the forum's web layer needs the ForumApp class (forum.create_app)")
    for target, name, listener in (
        (Session, "before_commit", _note_commit),
        (Engine, "commit", _note_commit_sent),
        (Session, "after_commit", _note_commit_done),
    ):
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
    # Registered after Flask-SQLAlchemy's, so it runs first: its own close then has
    # nothing left to do.
    app.teardown_appcontext(_close_session)
