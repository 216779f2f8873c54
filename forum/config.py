"""Configuration read from the environment.

FORUM_ENV picks the mode: ``production`` (the default, so a forgotten variable
fails safe), ``development`` (``make run``) or ``test``. Outside development and
tests a SECRET_KEY must be given, and a long random one: a guessable key would let
anyone forge sessions.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from forum import resources

# Re-exported for the tests and tools that read the checkout's files (forum/resources.py
# says where the files the app itself reads are, installed or not).
PROJECT_ROOT = resources.PROJECT_ROOT
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-not-for-production"
# Pages are offered only in languages whose catalogue is translated (and, for
# Italian, compiled: forum/locales.py), so the page's lang attribute never
# claims a language the text is not in.
SUPPORTED_LOCALES = ("en", "it")
# The demo centre's data controller (an example, like its accounts' .example addresses).
DEMO_CONTROLLER_NAME = "Demo Competence Centre on Clinical Trials of Lombardy (example)"
DEMO_CONTROLLER_EMAIL = "privacy@ctcc.example"
# A production SECRET_KEY shorter than this, or made of few different characters,
# is refused: it could be guessed, and with it every session and CSRF token forged.
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 10


class ConfigurationError(RuntimeError):
    """The environment does not describe a usable configuration."""


def normalise_database_url(url: str) -> str:
    """Accept the URL spellings operators paste, and pick the psycopg 3 driver.

    Hosting providers hand out ``postgres://`` and ``postgresql://`` URLs;
    SQLAlchemy would read those as psycopg2, which we do not install.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(database_url: str) -> dict:
    """The connection pool's settings; on PostgreSQL, no JIT compilation.

    PostgreSQL compiles a statement it estimates as costly (over 100,000) to machine
    code first, some 10 to 20 ms: more than a page's whole budget. Its estimates for
    searches of uncommon words are that high, and a forum's statements are short.
    """
    options: dict = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        options["connect_args"] = {"options": "-c jit=off"}
    return options


def settings_from_environment(environ: Mapping[str, str], instance_path: str) -> dict:
    """Build the Flask settings dictionary from environment variables."""
    mode = environ.get("FORUM_ENV", "production")
    if mode not in ("production", "development", "test"):
        raise ConfigurationError(f"FORUM_ENV must be production, development or test, not {mode!r}")
    secret_key = environ.get("SECRET_KEY")
    if not secret_key:
        if mode == "production":
            raise ConfigurationError("SECRET_KEY must be set in production (FORUM_ENV=production)")
        secret_key = DEVELOPMENT_SECRET_KEY
    elif mode == "production":
        check_production_secret_key(secret_key)

    mail_security = environ.get("MAIL_SECURITY", "none")
    if mail_security not in ("none", "starttls", "ssl"):
        raise ConfigurationError(
            f"MAIL_SECURITY must be none, starttls or ssl, not {mail_security!r}"
        )

    default_sqlite = "sqlite:///" + os.path.join(instance_path, "forum.sqlite3")
    database_url = normalise_database_url(environ.get("DATABASE_URL") or default_sqlite)

    return {
        "FORUM_ENV": mode,
        "TESTING": mode == "test",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAX_CONTENT_LENGTH": int(environ.get("MAX_CONTENT_LENGTH", 256 * 1024)),
        "QUESTIONS_PER_PAGE": int(environ.get("QUESTIONS_PER_PAGE", 20)),
        # Public questions per sitemap part (the sitemap protocol allows 50,000 at most).
        "SITEMAP_URLS_PER_FILE": int(environ.get("SITEMAP_URLS_PER_FILE", 50_000)),
        # Attachments (forum/attachment_storage.py): a folder, or an S3-compatible bucket
        # when ATTACHMENTS_S3_BUCKET is set (credentials from boto3's own chain).
        "ATTACHMENTS_DIR": environ.get(
            "ATTACHMENTS_DIR", os.path.join(instance_path, "attachments")
        ),
        "ATTACHMENTS_S3_BUCKET": environ.get("ATTACHMENTS_S3_BUCKET") or None,
        "ATTACHMENTS_S3_ENDPOINT_URL": environ.get("ATTACHMENTS_S3_ENDPOINT_URL") or None,
        "ATTACHMENTS_S3_REGION": environ.get("ATTACHMENTS_S3_REGION") or None,
        "ATTACHMENTS_S3_PREFIX": environ.get("ATTACHMENTS_S3_PREFIX", ""),
        "ATTACHMENTS_MAX_FILE_BYTES": int(
            environ.get("ATTACHMENTS_MAX_FILE_BYTES", 10 * 1024 * 1024)
        ),
        "ATTACHMENTS_PER_TEXT": int(environ.get("ATTACHMENTS_PER_TEXT", 5)),
        # Rendered read pages kept per worker (forum/web/infra/page_cache.py); 0 seconds = off.
        "PAGE_CACHE_SECONDS": int(environ.get("PAGE_CACHE_SECONDS", 60)),
        # 24 MB keeps a worker under 150 MB at 100,000 questions (make bench): at 32, a
        # worker that had cached many different searches reached 151 MB.
        "PAGE_CACHE_MEGABYTES": int(environ.get("PAGE_CACHE_MEGABYTES", 24)),
        # scrypt (memory-hard), named so a later werkzeug's default cannot weaken new
        # hashes. Under FORUM_ENV=test only, one PBKDF2 round: the suite creates thousands
        # of users and scrypt cost each 0.1-0.4 s (tests/web/test_account.py proves the other
        # modes keep scrypt).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1" if mode == "test" else "scrypt",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": mode == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": mode == "production",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "GUIDE_PATH": environ.get("GUIDE_PATH", str(resources.default_guide_path())),
        # A board answer is published once it has this many endorsements on its
        # current revision, from at least this many different expert areas.
        "BOARD_QUORUM_ENDORSEMENTS": int(environ.get("BOARD_QUORUM_ENDORSEMENTS", 3)),
        "BOARD_QUORUM_AREAS": int(environ.get("BOARD_QUORUM_AREAS", 2)),
        # Links in e-mails are absolute; this is where the forum is reached.
        # The privacy notice's data controller, shown above its text. The demo (make run,
        # FORUM_ENV=development) has example values; a real centre sets its own.
        "PRIVACY_CONTROLLER_NAME": environ.get(
            "PRIVACY_CONTROLLER_NAME", DEMO_CONTROLLER_NAME if mode == "development" else ""
        ).strip(),
        "PRIVACY_CONTROLLER_EMAIL": environ.get(
            "PRIVACY_CONTROLLER_EMAIL", DEMO_CONTROLLER_EMAIL if mode == "development" else ""
        ).strip(),
        "PUBLIC_BASE_URL": environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Without MAIL_SERVER, e-mails wait in the outbox (admins see them).
        "MAIL_SERVER": environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(environ.get("MAIL_PORT", 25)),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        # "starttls" (upgrade a plain connection), "ssl" (TLS from the start) or "none".
        "MAIL_SECURITY": mail_security,
        "MAIL_TIMEOUT": float(environ.get("MAIL_TIMEOUT", 30)),
        "MAIL_DEFAULT_SENDER": environ.get(
            "MAIL_DEFAULT_SENDER", "Clinical Trials Competence Centre <forum@localhost>"
        ),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": environ.get("FORUM_TIMEZONE", "Europe/Rome"),
        "BABEL_TRANSLATION_DIRECTORIES": str(resources.translations_dir()),
        # Page views counted in memory and written in batches (forum/services/visits.py);
        # off in tests unless a test turns it on.
        "VISIT_COUNTING": _flag(environ.get("VISIT_COUNTING"), default=mode != "test"),
        "VISIT_FLUSH_SECONDS": float(environ.get("VISIT_FLUSH_SECONDS", 30)),
        # A password-reset link works this many seconds, and once
        # (services/accounts/password_reset.py).
        "PASSWORD_RESET_MAX_AGE": int(environ.get("PASSWORD_RESET_MAX_AGE", 3600)),
        # A link to finish registering works this many seconds (services/accounts/registration.py).
        "REGISTRATION_LINK_MAX_AGE": int(environ.get("REGISTRATION_LINK_MAX_AGE", 86400)),
        # Seconds the link confirming a new e-mail address works (services/accounts/profile.py).
        "EMAIL_CHANGE_LINK_MAX_AGE": int(environ.get("EMAIL_CHANGE_LINK_MAX_AGE", 86400)),
        # Moderation (services/moderation.py, services/newcomers.py): flags from this
        # many different people hide a text until a moderator reviews it.
        "MODERATION_HIDE_AFTER_FLAGS": int(environ.get("MODERATION_HIDE_AFTER_FLAGS", 2)),
        # A member's account younger than this many days posts at most
        # MODERATION_NEW_ACCOUNT_DAILY_POSTS questions and comments in 24 hours (0: no
        # limit; the default in tests, whose accounts are all minutes old, and the
        # tests of the budget set it).
        "MODERATION_NEW_ACCOUNT_DAYS": int(environ.get("MODERATION_NEW_ACCOUNT_DAYS", 7)),
        "MODERATION_NEW_ACCOUNT_DAILY_POSTS": int(
            environ.get("MODERATION_NEW_ACCOUNT_DAILY_POSTS", 0 if mode == "test" else 5)
        ),
        # When on, a member's posts wait for a moderator's approval until
        # MODERATION_FIRST_POSTS of them are shown.
        "MODERATION_APPROVE_FIRST_POSTS": _flag(
            environ.get("MODERATION_APPROVE_FIRST_POSTS"), default=False
        ),
        "MODERATION_FIRST_POSTS": int(environ.get("MODERATION_FIRST_POSTS", 1)),
        # How long a clinic's referral link opens its referral (days).
        "REFERRAL_LINK_DAYS": int(environ.get("REFERRAL_LINK_DAYS", 30)),
        # Proxies in front of the app whose X-Forwarded-For/-Proto to believe; without
        # it, behind a proxy every visitor shares the proxy's address and rate limits.
        "TRUSTED_PROXIES": int(environ.get("TRUSTED_PROXIES", 0)),
        # Rate limits (forum/web/infra/rate_limits.py), keyed by address (posting: by user).
        # Counters live in Redis when REDIS_URL is set, shared by every worker and
        # server; else in each worker's memory. Off in tests unless a test turns them on.
        "REDIS_URL": environ.get("REDIS_URL") or None,
        "RATELIMIT_ENABLED": _flag(environ.get("RATELIMIT_ENABLED"), default=mode != "test"),
        "RATELIMIT_STORAGE_URI": environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_LOGIN": environ.get("RATELIMIT_LOGIN", "10 per minute"),
        "RATELIMIT_REGISTER": environ.get("RATELIMIT_REGISTER", "10 per hour"),
        "RATELIMIT_PASSWORD_RESET": environ.get("RATELIMIT_PASSWORD_RESET", "5 per 15 minutes"),
        # Per signed-in user: changing the password and deleting the account check it.
        "RATELIMIT_PASSWORD_CHECK": environ.get("RATELIMIT_PASSWORD_CHECK", "5 per 15 minutes"),
        "RATELIMIT_POST": environ.get("RATELIMIT_POST", "30 per minute"),
        "RATELIMIT_SEARCH": environ.get("RATELIMIT_SEARCH", "60 per minute"),
        "RATELIMIT_PREVIEW": environ.get("RATELIMIT_PREVIEW", "60 per minute"),
        # The ask form asks for suggestions at each pause in typing a title.
        "RATELIMIT_SUGGEST": environ.get("RATELIMIT_SUGGEST", "120 per minute"),
        # If Redis cannot be reached, count in memory (and log it) rather than fail pages.
        # Flask-Limiter keeps these from the first app it is bound to: keep them fixed.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": False,  # Retry-After is set on 429s only (rate_limits.py)
    }


def check_production_secret_key(secret_key: str) -> None:
    """Raise ConfigurationError, saying how to make a good one, for a guessable SECRET_KEY."""
    if (
        len(secret_key) < MIN_SECRET_KEY_LENGTH
        or len(set(secret_key)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS
        or secret_key == DEVELOPMENT_SECRET_KEY
    ):
        raise ConfigurationError(
            f"SECRET_KEY is too weak for production (FORUM_ENV=production): use at least "
            f"{MIN_SECRET_KEY_LENGTH} random characters, for example the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )


def _flag(value: str | None, default: bool) -> bool:
    """An on/off setting: 1, true, yes, on (any case) mean on; unset means ``default``."""
    if value is None or not value.strip():
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")
