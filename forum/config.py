"""Configuration read from the environment.

FORUM_ENV picks the mode: ``production`` (the default, so a forgotten variable
fails safe), ``development`` (``make run``) or ``test``. Outside development and
tests a SECRET_KEY must be given, and a long random one: a guessable key would let
anyone forge sessions.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from forum import resources
from forum.app_logging import LOG_FORMATS, LOG_LEVELS
from forum.settings_readers import ConfigurationError, EnvironmentSettings

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
# Connections each worker keeps open, and may open beyond them under load (SQLAlchemy's
# own defaults). Servers x workers x (size + overflow) must stay under PostgreSQL's
# max_connections, or PgBouncer's pool: docs/operations.md.
DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 10
# Seconds a request waits for a connection from a full pool before failing.
DEFAULT_POOL_TIMEOUT = 30
DATABASE_SCHEMES = ("sqlite", "postgresql")


def normalise_database_url(url: str) -> str:
    """Accept the URL spellings operators paste, and pick the psycopg 3 driver.

    Hosting providers hand out ``postgres://`` and ``postgresql://`` URLs;
    SQLAlchemy would read those as psycopg2, which we do not install.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(database_url: str, *, prepared_statements: bool = True) -> dict:
    """The connection pool's settings; on PostgreSQL, prepared statements only if allowed.

    The app must work through PgBouncer in transaction mode (deploy/pgbouncer/), where each
    transaction may run on a different server connection, so nothing may ride on the
    connection itself:

    - no startup parameter: PgBouncer refuses ``options`` (it once carried ``-c jit=off``).
      JIT compilation is off for the app's role instead, set by a migration
      (migrations/versions/7c1e4b9a2f60_jit_off_for_the_role.py says why);
    - prepared statements only with ``DB_PREPARED_STATEMENTS`` on (the default): psycopg
      prepares a statement on the server after its fifth execution on a connection, and a
      later transaction, handed another server connection by PgBouncer, would not find it
      (PgBouncer tracks them from 1.21 with max_prepared_statements; Debian bookworm ships
      1.18). Straight to PostgreSQL they are worth keeping: a question page's three-table
      join ran in 0.16 ms prepared, 0.40 ms planned each time.
    """
    options: dict = {"pool_pre_ping": True}
    if database_url.startswith("postgresql") and not prepared_statements:
        options["connect_args"] = {"prepare_threshold": None}
    return options


def pool_options(settings: Mapping) -> dict:
    """The connection pool's sizes and timings (DB_POOL_*), for PostgreSQL.

    SQLite keeps SQLAlchemy's defaults: its in-memory pools take no sizes, and a
    file database is one writer at a time whatever the pool.
    """
    if not settings["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return {}
    options = {
        "pool_size": settings["DB_POOL_SIZE"],
        "max_overflow": settings["DB_MAX_OVERFLOW"],
        "pool_timeout": settings["DB_POOL_TIMEOUT"],
    }
    if settings["DB_POOL_RECYCLE"]:  # 0: a connection is kept however old
        options["pool_recycle"] = settings["DB_POOL_RECYCLE"]
    return options


def settings_from_environment(environ: Mapping[str, str], instance_path: str) -> dict:
    """Build the Flask settings dictionary from environment variables.

    Raises ConfigurationError, naming the variable, for any value out of its kind or range.
    """
    read = EnvironmentSettings(environ)
    mode = read.choice("FORUM_ENV", "production", ("production", "development", "test"))
    secret_key, fallback_keys = _secret_keys(read, mode)
    database_url = _database_url(read, instance_path)
    redis_url = read.url("REDIS_URL", None, ("redis://", "rediss://", "unix://"))

    return {
        "FORUM_ENV": mode,
        "TESTING": mode == "test",
        "SECRET_KEY": secret_key,
        # Retired keys: signatures made with them are still accepted, new ones use
        # SECRET_KEY (forum/signing_keys.py).
        "SECRET_KEY_FALLBACKS": fallback_keys,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Per worker process (pool_options above); PostgreSQL only.
        "DB_POOL_SIZE": read.whole_number("DB_POOL_SIZE", DEFAULT_POOL_SIZE, minimum=1),
        "DB_MAX_OVERFLOW": read.whole_number("DB_MAX_OVERFLOW", DEFAULT_MAX_OVERFLOW),
        # Seconds after which a connection is replaced (0: never), for a server or
        # PgBouncer that closes connections idle longer than that.
        "DB_POOL_RECYCLE": read.whole_number("DB_POOL_RECYCLE", 0),
        "DB_POOL_TIMEOUT": read.seconds("DB_POOL_TIMEOUT", DEFAULT_POOL_TIMEOUT, minimum=1),
        # Off when the app connects through PgBouncer in transaction mode (engine_options
        # says why).
        "DB_PREPARED_STATEMENTS": read.flag("DB_PREPARED_STATEMENTS", default=True),
        "MAX_CONTENT_LENGTH": read.whole_number("MAX_CONTENT_LENGTH", 256 * 1024, minimum=1024),
        "QUESTIONS_PER_PAGE": read.whole_number("QUESTIONS_PER_PAGE", 20, minimum=1),
        # Public questions per sitemap part (the sitemap protocol allows 50,000 at most).
        "SITEMAP_URLS_PER_FILE": read.whole_number(
            "SITEMAP_URLS_PER_FILE", 50_000, minimum=1, maximum=50_000
        ),
        # Attachments (forum/attachment_storage.py): a folder, or an S3-compatible bucket
        # when ATTACHMENTS_S3_BUCKET is set (credentials from boto3's own chain).
        "ATTACHMENTS_DIR": read.text("ATTACHMENTS_DIR", os.path.join(instance_path, "attachments")),
        "ATTACHMENTS_S3_BUCKET": read.raw("ATTACHMENTS_S3_BUCKET"),
        "ATTACHMENTS_S3_ENDPOINT_URL": read.url(
            "ATTACHMENTS_S3_ENDPOINT_URL", None, ("http://", "https://")
        ),
        "ATTACHMENTS_S3_REGION": read.raw("ATTACHMENTS_S3_REGION"),
        "ATTACHMENTS_S3_PREFIX": environ.get("ATTACHMENTS_S3_PREFIX", ""),
        "ATTACHMENTS_MAX_FILE_BYTES": read.whole_number(
            "ATTACHMENTS_MAX_FILE_BYTES", 10 * 1024 * 1024, minimum=1
        ),
        "ATTACHMENTS_PER_TEXT": read.whole_number("ATTACHMENTS_PER_TEXT", 5),
        # Rendered read pages kept per worker (forum/web/infra/page_cache.py); 0 seconds = off.
        "PAGE_CACHE_SECONDS": read.whole_number("PAGE_CACHE_SECONDS", 60),
        # 24 MB keeps a worker under 150 MB at 100,000 questions (make bench): at 32, a
        # worker that had cached many different searches reached 151 MB.
        "PAGE_CACHE_MEGABYTES": read.whole_number("PAGE_CACHE_MEGABYTES", 24, minimum=1),
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
        "GUIDE_PATH": read.text("GUIDE_PATH", str(resources.default_guide_path())),
        # A board answer is published once it has this many endorsements on its
        # current revision, from at least this many different expert areas.
        "BOARD_QUORUM_ENDORSEMENTS": read.whole_number("BOARD_QUORUM_ENDORSEMENTS", 3, minimum=1),
        "BOARD_QUORUM_AREAS": read.whole_number("BOARD_QUORUM_AREAS", 2, minimum=1),
        # The privacy notice's data controller, shown above its text. The demo (make run,
        # FORUM_ENV=development) has example values; a real centre sets its own.
        "PRIVACY_CONTROLLER_NAME": read.text(
            "PRIVACY_CONTROLLER_NAME", DEMO_CONTROLLER_NAME if mode == "development" else ""
        ),
        "PRIVACY_CONTROLLER_EMAIL": read.text(
            "PRIVACY_CONTROLLER_EMAIL", DEMO_CONTROLLER_EMAIL if mode == "development" else ""
        ),
        # Links in e-mails are absolute; this is where the forum is reached.
        "PUBLIC_BASE_URL": read.url(
            "PUBLIC_BASE_URL", "http://127.0.0.1:5000", ("http://", "https://")
        ).rstrip("/"),
        # Without MAIL_SERVER, e-mails wait in the outbox (admins see them).
        "MAIL_SERVER": read.raw("MAIL_SERVER"),
        "MAIL_PORT": read.port("MAIL_PORT", 25),
        "MAIL_USERNAME": read.raw("MAIL_USERNAME"),
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,  # white space may be meant
        # "starttls" (upgrade a plain connection), "ssl" (TLS from the start) or "none".
        "MAIL_SECURITY": read.choice("MAIL_SECURITY", "none", ("none", "starttls", "ssl")),
        "MAIL_TIMEOUT": read.seconds("MAIL_TIMEOUT", 30, minimum=1),
        "MAIL_DEFAULT_SENDER": read.text(
            "MAIL_DEFAULT_SENDER", "Clinical Trials Competence Centre <forum@localhost>"
        ),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": _time_zone(read, "FORUM_TIMEZONE", "Europe/Rome"),
        "BABEL_TRANSLATION_DIRECTORIES": str(resources.translations_dir()),
        # Page views counted in memory and written in batches (forum/services/visits.py);
        # off in tests unless a test turns it on.
        "VISIT_COUNTING": read.flag("VISIT_COUNTING", default=mode != "test"),
        "VISIT_FLUSH_SECONDS": read.seconds("VISIT_FLUSH_SECONDS", 30, minimum=1),
        # A password-reset link works this many seconds, and once
        # (services/accounts/password_reset.py).
        "PASSWORD_RESET_MAX_AGE": read.whole_number("PASSWORD_RESET_MAX_AGE", 3600, minimum=60),
        # A link to finish registering works this many seconds (services/accounts/registration.py).
        "REGISTRATION_LINK_MAX_AGE": read.whole_number(
            "REGISTRATION_LINK_MAX_AGE", 86400, minimum=60
        ),
        # Seconds the link confirming a new e-mail address works (services/accounts/profile.py).
        "EMAIL_CHANGE_LINK_MAX_AGE": read.whole_number(
            "EMAIL_CHANGE_LINK_MAX_AGE", 86400, minimum=60
        ),
        # Moderation (services/moderation.py, services/newcomers.py): flags from this
        # many different people hide a text until a moderator reviews it.
        "MODERATION_HIDE_AFTER_FLAGS": read.whole_number(
            "MODERATION_HIDE_AFTER_FLAGS", 2, minimum=1
        ),
        # A member's account younger than this many days posts at most
        # MODERATION_NEW_ACCOUNT_DAILY_POSTS questions and comments in 24 hours (0: no
        # limit; the default in tests, whose accounts are all minutes old, and the
        # tests of the budget set it).
        "MODERATION_NEW_ACCOUNT_DAYS": read.whole_number("MODERATION_NEW_ACCOUNT_DAYS", 7),
        "MODERATION_NEW_ACCOUNT_DAILY_POSTS": read.whole_number(
            "MODERATION_NEW_ACCOUNT_DAILY_POSTS", 0 if mode == "test" else 5
        ),
        # When on, a member's posts wait for a moderator's approval until
        # MODERATION_FIRST_POSTS of them are shown.
        "MODERATION_APPROVE_FIRST_POSTS": read.flag("MODERATION_APPROVE_FIRST_POSTS", False),
        "MODERATION_FIRST_POSTS": read.whole_number("MODERATION_FIRST_POSTS", 1, minimum=1),
        # How long a clinic's referral link opens its referral (days).
        "REFERRAL_LINK_DAYS": read.whole_number("REFERRAL_LINK_DAYS", 30, minimum=1),
        # Proxies in front of the app whose X-Forwarded-For/-Proto to believe; without
        # it, behind a proxy every visitor shares the proxy's address and rate limits.
        "TRUSTED_PROXIES": read.whole_number("TRUSTED_PROXIES", 0, maximum=10),
        # Rate limits (forum/web/infra/rate_limits.py), keyed by address (posting: by user).
        # Counters live in Redis when REDIS_URL is set, shared by every worker and
        # server; else in each worker's memory. Off in tests unless a test turns them on.
        "REDIS_URL": redis_url,
        "RATELIMIT_ENABLED": read.flag("RATELIMIT_ENABLED", default=mode != "test"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_LOGIN": read.rate_limit("RATELIMIT_LOGIN", "10 per minute"),
        "RATELIMIT_REGISTER": read.rate_limit("RATELIMIT_REGISTER", "10 per hour"),
        "RATELIMIT_PASSWORD_RESET": read.rate_limit("RATELIMIT_PASSWORD_RESET", "5 per 15 minutes"),
        # Per signed-in user: changing the password and deleting the account check it.
        "RATELIMIT_PASSWORD_CHECK": read.rate_limit("RATELIMIT_PASSWORD_CHECK", "5 per 15 minutes"),
        "RATELIMIT_POST": read.rate_limit("RATELIMIT_POST", "30 per minute"),
        "RATELIMIT_SEARCH": read.rate_limit("RATELIMIT_SEARCH", "60 per minute"),
        "RATELIMIT_PREVIEW": read.rate_limit("RATELIMIT_PREVIEW", "60 per minute"),
        # The ask form asks for suggestions at each pause in typing a title.
        "RATELIMIT_SUGGEST": read.rate_limit("RATELIMIT_SUGGEST", "120 per minute"),
        # If Redis cannot be reached, count in memory (and log it) rather than fail pages.
        # Flask-Limiter keeps these from the first app it is bound to: keep them fixed.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": False,  # Retry-After is set on 429s only (rate_limits.py)
        **observability_settings(read),
    }


def observability_settings(read: EnvironmentSettings) -> dict:
    """Logging (forum/app_logging.py) and the Prometheus metrics (forum/web/metrics/)."""
    allowed = read.word_list("METRICS_ALLOWED_IPS") or ["127.0.0.1", "::1"]
    try:
        networks = tuple(ipaddress.ip_network(entry, strict=False) for entry in allowed)
    except ValueError as error:
        raise ConfigurationError(f"METRICS_ALLOWED_IPS: {error}") from None
    return {
        # In any case: gunicorn reads LOG_LEVEL too (deploy/gunicorn.conf.py), in any case.
        "LOG_FORMAT": read.choice("LOG_FORMAT", "text", LOG_FORMATS, normalise=str.lower),
        "LOG_LEVEL": read.choice("LOG_LEVEL", "INFO", LOG_LEVELS, normalise=str.upper),
        # On by default: only the allowed addresses (this machine's, unless told) or the
        # holder of METRICS_TOKEN see it; anyone else gets a 404.
        "METRICS_ENABLED": read.flag("METRICS_ENABLED", default=True),
        "METRICS_ALLOWED_IPS": networks,
        "METRICS_TOKEN": read.raw("METRICS_TOKEN"),
    }


def _secret_keys(read: EnvironmentSettings, mode: str) -> tuple[str, list[str]]:
    """SECRET_KEY and the retired SECRET_KEY_FALLBACKS; in production each must be strong."""
    # As given, white space included: a stripped key would sign differently from before.
    secret_key = read.environ.get("SECRET_KEY")
    if not secret_key:
        if mode == "production":
            raise ConfigurationError("SECRET_KEY must be set in production (FORUM_ENV=production)")
        secret_key = DEVELOPMENT_SECRET_KEY
    fallback_keys = read.word_list("SECRET_KEY_FALLBACKS")
    if mode == "production":
        check_production_secret_key(secret_key)
        for fallback_key in fallback_keys:
            check_production_secret_key(fallback_key, name="SECRET_KEY_FALLBACKS")
    return secret_key, fallback_keys


def _database_url(read: EnvironmentSettings, instance_path: str) -> str:
    default_sqlite = "sqlite:///" + os.path.join(instance_path, "forum.sqlite3")
    given = read.raw("DATABASE_URL")
    url = normalise_database_url(given or default_sqlite)
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = None
    if backend not in DATABASE_SCHEMES:
        # The URL may hold a password: name its scheme only.
        scheme = (given or "").split(":", 1)[0]
        raise ConfigurationError(
            "DATABASE_URL must be a postgresql://user:password@host/name or sqlite:///path "
            f"URL, not one beginning {scheme!r}"
        )
    return url


def _time_zone(read: EnvironmentSettings, name: str, default: str) -> str:
    zone = read.text(name, default)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"{name} must be a time zone name such as Europe/Rome, not {zone!r}"
        ) from None
    return zone


def check_production_secret_key(secret_key: str, name: str = "SECRET_KEY") -> None:
    """Raise ConfigurationError, saying how to make a good one, for a guessable key."""
    if (
        len(secret_key) < MIN_SECRET_KEY_LENGTH
        or len(set(secret_key)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS
        or secret_key == DEVELOPMENT_SECRET_KEY
    ):
        raise ConfigurationError(
            f"{name} is too weak for production (FORUM_ENV=production): use at least "
            f"{MIN_SECRET_KEY_LENGTH} random characters, for example the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
