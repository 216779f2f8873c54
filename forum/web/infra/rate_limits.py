"""Which routes are rate limited, and by how much (the amounts are settings).

Each kind of limit is one decorator shared by its routes, so one budget covers
them all: ten failed logins are ten, whichever form they came from. Logins,
registrations and password resets count per address (the visitor has no
account yet); signed-in forms that check the password, and posting, count per
signed-in user, so colleagues behind one
office address do not use up each other's budget; search and the ask form's
suggestions count per address, each with its own budget.
Only POSTs count for the forms, so reading a form is never refused.

Too many requests get 429 from the error pages (forum/web/errors.py), and
``register`` adds a Retry-After header to every 429, whichever handler
rendered it (the HTML page or the API's problem+json).

Counters in each worker's memory multiply every budget by the number of workers
(and servers), so ``register`` warns at start-up when production runs without
REDIS_URL, and the admin index says so (``counted_per_worker``). When Redis fails,
Flask-Limiter falls back to memory and says so on its ``flask-limiter`` logger,
which has only a NullHandler: ``register`` passes those lines on to the forum's log
(whose one handler, format and request ids are forum/app_logging.py's).
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.extensions import limiter

log = logging.getLogger(__name__)


def _setting(name: str):
    """The limit as configured, read at request time (tests and operators change it)."""
    return lambda: current_app.config[name]


def _user_or_address() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"


login = limiter.shared_limit(_setting("RATELIMIT_LOGIN"), scope="login", methods=["POST"])
register_account = limiter.shared_limit(
    _setting("RATELIMIT_REGISTER"), scope="register", methods=["POST"]
)
password_reset = limiter.shared_limit(
    _setting("RATELIMIT_PASSWORD_RESET"), scope="password-reset", methods=["POST"]
)
# Forms that check a signed-in person's password (changing it, deleting the account):
# per user, so a stolen session cannot guess the password at scrypt's speed.
password_check = limiter.shared_limit(
    _setting("RATELIMIT_PASSWORD_CHECK"),
    scope="password-check",
    methods=["POST"],
    key_func=_user_or_address,
)
# Asking, answering, commenting, editing, accepting an answer (and withdrawing it),
# helpful marks and the board's actions share one budget.
posting = limiter.shared_limit(
    _setting("RATELIMIT_POST"), scope="posting", methods=["POST"], key_func=_user_or_address
)
search = limiter.shared_limit(_setting("RATELIMIT_SEARCH"), scope="search")
# The preview script's requests (POST /preview), per user: its own budget, so previewing
# a long answer several times never uses up the posting budget it is about to need.
preview = limiter.shared_limit(
    _setting("RATELIMIT_PREVIEW"), scope="preview", methods=["POST"], key_func=_user_or_address
)
# Its own budget: a person typing a title sends a request at each pause, which
# must neither use up their searches nor be refused as quickly as them.
suggest = limiter.shared_limit(_setting("RATELIMIT_SUGGEST"), scope="suggest")


def seconds_until_retry() -> int | None:
    """How long the client of a refused request should wait, in whole seconds."""
    breached = limiter.current_limit
    if breached is None:
        return None
    return max(1, math.ceil(breached.reset_at - time.time()))


def _retry_after(response):
    if response.status_code == 429 and "Retry-After" not in response.headers:
        wait = seconds_until_retry()
        if wait is not None:
            response.headers["Retry-After"] = str(wait)
    return response


def counted_per_worker(app: Flask | None = None) -> bool:
    """True when limits are on and each worker keeps its own counters (no REDIS_URL)."""
    config = (app or current_app).config
    in_memory = config["RATELIMIT_STORAGE_URI"].startswith("memory:")
    return bool(config["RATELIMIT_ENABLED"]) and in_memory


class _LimiterLogToForumLog(logging.Handler):
    """Re-logs Flask-Limiter's lines (storage unreachable, falling back to memory,
    recovered, errors swallowed) on this module's logger, where they are seen."""

    def emit(self, record: logging.LogRecord) -> None:
        # Its "storage recovered" is INFO; it closes the incident the warning opened,
        # so it is shown at the warning's level.
        log.log(
            max(record.levelno, logging.WARNING),
            "Rate limits: %s",
            record.getMessage(),
            exc_info=record.exc_info,
        )


def _pass_on_the_limiters_log() -> None:
    limiter_log = logging.getLogger("flask-limiter")
    if not any(isinstance(handler, _LimiterLogToForumLog) for handler in limiter_log.handlers):
        limiter_log.addHandler(_LimiterLogToForumLog())
    # Its lines now reach the root logger through ours; not twice where root has handlers.
    limiter_log.propagate = False
    if limiter_log.level == logging.NOTSET:
        limiter_log.setLevel(logging.INFO)  # let "storage recovered" through


def register(app: Flask) -> None:
    app.after_request(_retry_after)
    # Where the lines go, and how they look, is forum/app_logging.py's (create_app).
    _pass_on_the_limiters_log()
    if app.config["FORUM_ENV"] == "production" and counted_per_worker(app):
        log.warning(
            "REDIS_URL is not set: rate limits are counted in each worker's memory, so "
            "every worker (and every server) allows the whole budget. Set REDIS_URL to "
            "share the counters (docs/operations.md)."
        )
