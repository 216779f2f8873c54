"""The process's logging, configured in one place: one handler on the root logger.

Every line goes to stderr (systemd's journal, or whatever runs the process, keeps
it), as text or as one JSON object a line (LOG_FORMAT), from LOG_LEVEL up, and
carries the request id of the request it was written in ("-" outside requests;
forum/web/infra/request_ids.py chooses it). Everything reaches that one handler:
the forum's loggers, Flask-Limiter's (passed on by forum/web/infra/rate_limits.py),
SQLAlchemy's, Python's warnings (``logging.captureWarnings``) and, under gunicorn,
gunicorn's own error log (``gunicorn_logconfig``, used by deploy/gunicorn.conf.py).

A support module: the web layer chooses the request id, and this module only reads
it, so services and the command line log without knowing of requests.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime

from flask import has_request_context, request

LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
NO_REQUEST = "-"
# Where forum/web/infra/request_ids.py keeps the id: the request's WSGI environ.
REQUEST_ID_KEY = "forum.request_id"
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


class RequestIdFilter(logging.Filter):
    """Gives each record the id of the request it was written in (or "-"), unless the
    record came with it (the access line, forum/web/infra/finished_requests.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "request_id" in record.__dict__:
            return True
        request_id = NO_REQUEST
        if has_request_context():
            request_id = request.environ.get(REQUEST_ID_KEY, NO_REQUEST)
        record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, and the
    exception's text when there is one (a traceback stays inside its line).

    Every request writes a line (its access line), so the work per line is kept small:
    one encoder for every line (``json.dumps`` with an option builds a new one per
    call), and the time's text made once a second, its milliseconds added per line.
    """

    _encode = json.JSONEncoder(ensure_ascii=False).encode

    def __init__(self) -> None:
        super().__init__()
        self._second: int | None = None
        self._second_text = ""

    def _time(self, created: float) -> str:
        """``created`` in UTC as ISO 8601 to the millisecond, as ``isoformat`` writes it."""
        # As datetime.fromtimestamp rounds: to the nearest microsecond, half to even.
        microseconds = round((created - int(created)) * 1e6)
        second = int(created) + microseconds // 1_000_000
        microseconds %= 1_000_000
        if second != self._second:
            # Two assignments a thread may interleave: a line then reads the text of
            # the other second, never a torn one, and only in the second's first lines.
            text = datetime.fromtimestamp(second, UTC).isoformat(timespec="seconds")
            self._second, self._second_text = second, text.removesuffix("+00:00")
        return f"{self._second_text}.{microseconds // 1000:03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return self._encode(line)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of each line, not the one it was
    created with: pytest and gunicorn replace the stream after the handler is made."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass  # always the current sys.stderr


def formatter_for(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    return logging.Formatter(TEXT_FORMAT)


def forum_handler(log_format: str = "text") -> logging.Handler:
    """The one handler: stderr, the chosen format, the request id on every record.
    Marked, so configuring again replaces it instead of adding a second."""
    handler = StderrHandler()
    handler.setFormatter(formatter_for(log_format))
    handler.addFilter(RequestIdFilter())
    handler.forum_handler = True
    return handler


def libraries_level(log_level: str) -> str:
    """The level of the libraries' loggers: never below WARNING, whose INFO lines (each
    PDF's CSS steps, Alembic's plugins) would bury the forum's; LOG_LEVEL rules the
    forum's own loggers and gunicorn's."""
    return log_level if logging.getLevelName(log_level) > logging.WARNING else "WARNING"


def configure_logging(log_format: str = "text", log_level: str = "INFO") -> None:
    """Put the forum's handler on the root logger (replacing an earlier one), set the
    forum's loggers to ``log_level`` and the libraries' to ``libraries_level``, and
    send Python's warnings (SQLAlchemy's among them) through it.

    Idempotent: each app the process builds (tests build many) configures the same way.
    Other handlers on the root logger (pytest's, an operator's) are left in place.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "forum_handler", False):
            root.removeHandler(handler)
    root.addHandler(forum_handler(log_format))
    root.setLevel(libraries_level(log_level))
    logging.getLogger("forum").setLevel(log_level)
    logging.captureWarnings(True)


def gunicorn_logconfig(environ: Mapping[str, str]) -> dict:
    """gunicorn's ``logconfig_dict``: its error log through the forum's handler, so the
    master's and the workers' lines (booting, timeouts, signals) look like the app's.

    Its access log is left off (deploy/gunicorn.conf.py says why): the app writes
    one record per request, with the request id, on ``forum.access``.
    """
    log_level = environ.get("LOG_LEVEL", "INFO").strip().upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": libraries_level(log_level), "handlers": ["forum"]},
        "loggers": {
            # No handler of its own: it propagates to the root's (gunicorn's defaults
            # would give it its own as well, and so every line twice).
            "gunicorn.error": {"level": log_level, "handlers": [], "propagate": True},
            # gunicorn writes access lines whenever a logging configuration is given;
            # its access lines are all INFO, so this level silences them.
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
        "handlers": {
            "forum": {
                # The function itself, not its dotted name: importing ``forum`` in
                # gunicorn's master would import the whole app (deploy/gunicorn.conf.py).
                "()": forum_handler,
                "log_format": environ.get("LOG_FORMAT", "text").lower(),
            }
        },
        "formatters": {},
    }
