"""Static files under names that carry a hash of their content, cached for a year.

``url_for('static', filename='css/forum.css')`` gives ``/static/css/forum.<h>.css``,
where ``<h>`` is the first 12 hexadecimal digits of the SHA-256 of the file's bytes
(a file without an extension: ``/static/<name>.<h>``). A changed file has a new
name, so browsers and nginx may keep each name for a year without asking again
(``Cache-Control: public, max-age=31536000, immutable``) and still never show an
old stylesheet after a deploy. nginx in front serves these names itself (its
location strips ``.<h>`` as ``HASHED_NAME`` reads it); the app serves them too, for
``make run``, the tests and a server without nginx:

- ``/static/<name>.<h>.<ext>`` whose hash matches the file: the file, for a year;
- the same with another hash (a page rendered before a deploy, still open): the
  current file, ``no-cache``; never a 404 for a page a reader still has open;
- the plain ``/static/<name>.<ext>``: the file, ``no-cache`` (revalidated each time).

A hash is computed once per version of a file (its path, size and modification
time; a ``stat`` per URL built) and kept for the process's life. Relative
``url(...)`` references inside a stylesheet resolve to plain names, revalidated
each time: fine for the few there are (none today).
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache

from flask import Flask, current_app, send_from_directory
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

DIGEST_LENGTH = 12
# What a hashed name looks like: the stem, a dot and 12 hexadecimal digits, then the
# extension if the file has one. The deploy's nginx location matches the same names.
HASHED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<extension>\.[^./]+)?$")
A_YEAR = 365 * 24 * 3600


class HashedStaticFiles(Flask):
    """A Flask app whose static URLs carry their file's hash, served for a year."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url_defaults(_hash_static_filename)

    def send_static_file(self, filename: str) -> Response:
        plain_name, requested_digest = split_hashed_name(filename)
        if requested_digest is not None:
            current_digest = file_digest(self.static_folder, plain_name)
            if current_digest is not None:
                response = send_from_directory(self.static_folder, plain_name, max_age=None)
                if requested_digest == current_digest:
                    response.cache_control.no_cache = None
                    response.cache_control.public = True
                    response.cache_control.max_age = A_YEAR
                    response.cache_control.immutable = True
                return response  # a stale hash: today's file, revalidated each time
        # max_age=None: Cache-Control: no-cache, with ETag and Last-Modified for a 304.
        return send_from_directory(self.static_folder, filename, max_age=None)


def hashed_name(static_folder: str, filename: str) -> str:
    """``filename`` with its content's hash before the extension; unchanged if no such file."""
    digest = file_digest(static_folder, filename)
    if digest is None:
        return filename
    stem, extension = os.path.splitext(filename)
    return f"{stem}.{digest}{extension}"


def split_hashed_name(filename: str) -> tuple[str, str | None]:
    """The plain name and the hash a requested name carries (None: it carries none)."""
    match = HASHED_NAME.match(filename)
    if match is None:
        return filename, None
    return match["stem"] + (match["extension"] or ""), match["digest"]


def file_digest(static_folder: str, filename: str) -> str | None:
    """The hash of a file in the static folder; None for no such file, or a name that
    would leave the folder."""
    path = safe_join(static_folder, filename)
    if path is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    if not os.path.isfile(path):
        return None
    return _digest_of(path, status.st_size, status.st_mtime_ns)


@lru_cache(maxsize=1024)
def _digest_of(path: str, _size: int, _modified_ns: int) -> str:
    # Size and modification time are part of the key: a file changed in place (in
    # development) gets a new hash without a restart.
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:DIGEST_LENGTH]


def _hash_static_filename(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = hashed_name(current_app.static_folder, values["filename"])
