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
"""
from __future__ import annotations

from functools import wraps

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from forum.extensions import db


def _note_commit(_session) -> None:
    if has_request_context():
        g.database_commit_started = True


def _retried_once(step):
    @wraps(step)
    def run():
        try:
            return step()
        except DBAPIError as error:
            if not error.connection_invalidated or g.get("database_commit_started"):
                raise
            db.session.rollback()  # forget the dead connection; the next query takes a new one
            return step()

    return run


def _close_session(_error=None) -> None:
    try:
        db.session.remove()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        db.session().invalidate()  # close without the ROLLBACK the dead connection cannot take
        db.session.remove()


def register(app: Flask) -> None:
    if not event.contains(Session, "before_commit", _note_commit):
        event.listen(Session, "before_commit", _note_commit)
    # The before-request handlers (which may load the signed-in user) and the view:
    # what runs before anything is committed.
    app.preprocess_request = _retried_once(app.preprocess_request)
    app.dispatch_request = _retried_once(app.dispatch_request)
    # Registered after Flask-SQLAlchemy's, so it runs first: its own close then has
    # nothing left to do.
    app.teardown_appcontext(_close_session)
