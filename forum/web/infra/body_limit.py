"""The request size limit for bodies sent without a length (chunked transfer encoding).

Werkzeug refuses a body over MAX_CONTENT_LENGTH by its Content-Length header. A
chunked body has none: Werkzeug then reads at most MAX_CONTENT_LENGTH bytes and
silently drops the rest, so an oversized form or API call would be handled
truncated instead of refused. This middleware reads such a body first (at most
one byte past the limit) and gives it its length, so the same 413 page answers
it as any other oversized request.
"""

from __future__ import annotations

import io

from flask import Flask


class ChunkedBodyLimit:
    """WSGI middleware: a chunked request body becomes a sized one, at most limit + 1 bytes."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        # With chunked encoding a Content-Length, if any, is to be ignored (RFC 9112 6.3).
        if chunked and limit is not None:
            body = _read_at_most(environ["wsgi.input"], limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["HTTP_TRANSFER_ENCODING"]  # the body is now plain bytes of that length
        return self.wsgi_app(environ, start_response)


def _read_at_most(stream, size: int) -> bytes:
    parts, remaining = [], size
    while remaining > 0:
        part = stream.read(min(remaining, 64 * 1024))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def register(app: Flask) -> None:
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app)
