"""The request size limit for bodies sent without a length (chunked transfer encoding).

Werkzeug refuses a body over MAX_CONTENT_LENGTH by its Content-Length header. A
chunked body has none: Werkzeug then reads at most MAX_CONTENT_LENGTH bytes and
silently drops the rest, so an oversized form or API call would be handled
truncated instead of refused. This middleware reads such a body first (at most
one byte past the limit) and gives it its length, so the same 413 page answers
it as any other oversized request.

The forms that carry attachments (their views marked ``@accepts_uploads``) may send
more: ``MAX_CONTENT_LENGTH`` plus ``ATTACHMENTS_PER_TEXT`` files of
``ATTACHMENTS_MAX_FILE_BYTES``. Only a multipart POST to such a view gets that limit
(``upload_limit``), found by matching its URL here, before Flask reads the body; every
other request keeps the small one, so a large body cannot reach a view that does not
expect it.
"""

from __future__ import annotations

import io

from flask import Flask, Request
from werkzeug.exceptions import HTTPException

UPLOADS = "accepts_uploads"
# Where the middleware leaves an upload route's larger limit for the request object.
_ENVIRON_LIMIT = "forum.upload_limit"
# A multipart part's headers and boundary, generously.
_PART_OVERHEAD = 4096


def accepts_uploads(view):
    """Mark a view whose form may carry attachments (right under its route decorator, so the
    function the route registers carries the mark)."""
    setattr(view, UPLOADS, True)
    return view


def upload_limit(config) -> int:
    files = config["ATTACHMENTS_PER_TEXT"] * (config["ATTACHMENTS_MAX_FILE_BYTES"] + _PART_OVERHEAD)
    return config["MAX_CONTENT_LENGTH"] + files


class UploadLimitRequest(Request):
    """Flask's request, whose body limit is the upload routes' one where the middleware
    found such a route."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and _ENVIRON_LIMIT in self.environ:
            return self.environ[_ENVIRON_LIMIT]
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


class ChunkedBodyLimit:
    """WSGI middleware: a chunked request body becomes a sized one, at most limit + 1 bytes."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and self._posts_uploads(environ):
            limit = environ[_ENVIRON_LIMIT] = upload_limit(self.app.config)
        # With chunked encoding a Content-Length, if any, is to be ignored (RFC 9112 6.3).
        if chunked and limit is not None:
            body = _read_at_most(environ["wsgi.input"], limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["HTTP_TRANSFER_ENCODING"]  # the body is now plain bytes of that length
        return self.wsgi_app(environ, start_response)

    def _posts_uploads(self, environ) -> bool:
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get(
            "CONTENT_TYPE", ""
        ).startswith("multipart/form-data"):
            return False
        try:
            endpoint, _arguments = self.app.url_map.bind_to_environ(environ).match()
        except HTTPException:  # no such page: Flask answers it with the small limit
            return False
        return getattr(self.app.view_functions.get(endpoint), UPLOADS, False)


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
    app.request_class = UploadLimitRequest
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app)
