"""The language an e-mail is written in: its reader's.

E-mails are written outside the reader's request (a service writes to someone other
than the person acting, and the outbox sends later), so the page's language means
nothing to them: an e-mail follows the reader's account language, or the forum's
default for an address without an account.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from flask import current_app
from flask_babel import force_locale


def in_reader_language(locale: str | None) -> AbstractContextManager:
    """Translate in ``locale`` (an account's language), or in the forum's default."""
    return force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"])
