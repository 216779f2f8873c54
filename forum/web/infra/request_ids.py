"""The request id: one token per request, in every log line written for it and in the
``X-Request-ID`` header of its response (errors included).

nginx sets the header (``proxy_set_header X-Request-ID $request_id``), so its access log
and the forum's lines name the same request; the id is taken from the incoming header
when it is a plain token, else made here. A header that is not one (too long, spaces,
quotes, line breaks) is replaced, never echoed: it would reach log lines and the
response as the client wrote it.

A new id names a request, it guards nothing (a client may send its own): 128 bits
of the process's pseudo-random generator, which Python reseeds in each forked
worker, rather than ``uuid4``'s read of the system's random source on every request.
"""

from __future__ import annotations

import random
import re

from flask import Flask, request

from forum.app_logging import REQUEST_ID_KEY

HEADER = "X-Request-ID"
_HEADER_IN_ENVIRON = "HTTP_X_REQUEST_ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def register(app: Flask) -> None:
    """First of the before-request hooks (``register_web`` installs it first), so every
    later hook's lines carry the id; its after-request hook, registered first, runs last."""
    app.before_request(_take_request_id)
    app.after_request(_echo_request_id)


def current_request_id() -> str:
    """This request's id, chosen once (also for a response made before the hooks ran).

    Kept in the WSGI environ, which is the request's own: ``g`` belongs to the app
    context, which a test (or a CLI command) may keep across many requests.
    """
    environ = request.environ
    chosen = environ.get(REQUEST_ID_KEY)
    if chosen is None:
        incoming = environ.get(_HEADER_IN_ENVIRON, "")
        chosen = incoming if SANE_REQUEST_ID.fullmatch(incoming) else _new_request_id()
        environ[REQUEST_ID_KEY] = chosen
    return chosen


def _new_request_id() -> str:
    """32 hexadecimal digits, as ``uuid4().hex`` wrote them."""
    return f"{random.getrandbits(128):032x}"


def _take_request_id() -> None:
    current_request_id()


def _echo_request_id(response):
    response.headers[HEADER] = current_request_id()
    return response
