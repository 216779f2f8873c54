"""``/attachments/<id>/<name>``: a file, to those who may see the text it is attached to.

Anyone else gets the same 404 as for an id that does not exist (a confidential
question's files do not reveal that it exists), as does a URL whose name is not the
file's. Images are shown in the browser; everything else, PDF included, is a
download (``Content-Disposition: attachment``, the name in RFC 6266's ``filename*``
when it is not plain ASCII). Every answer carries ``nosniff`` and a CSP ``sandbox``
that lets nothing run, whatever a browser makes of the file; the file of a text
that is not public is never kept by a cache.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, send_file
from flask_login import current_user

from forum import file_types
from forum.services import attachments
from forum.web.attachments import display

log = logging.getLogger(__name__)

bp = Blueprint("attachments", __name__, url_prefix="/attachments")

# The file is the whole document: nothing may load or run in it, and no page may frame it.
FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'none'"


@bp.app_template_global()
def attachment_type(content_type: str) -> str:
    return display.type_label(content_type)


@bp.app_template_global()
def attachment_size(size: int) -> str:
    return display.size_label(size)


@bp.get("/<int:attachment_id>/<name>")
def download(attachment_id: int, name: str):
    attachment = attachments.readable(current_user, attachment_id)
    if attachment is None or attachment.name != name:
        abort(404)
    try:
        stream = attachments.open_bytes(attachment)
    except FileNotFoundError:
        log.error("attachment %s: its file %s is missing", attachment.id, attachment.storage_key)
        abort(404)
    file_type = file_types.BY_CONTENT_TYPE.get(attachment.content_type)
    inline = file_type is not None and file_type.inline
    response = send_file(
        stream,
        mimetype=attachment.content_type,
        as_attachment=not inline,
        download_name=attachment.name,
        conditional=False,
        etag=False,
        max_age=None,
    )
    response.content_length = attachment.size
    response.headers["Content-Security-Policy"] = FILE_CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = (
        "private, no-store" if attachments.is_private(attachment) else "private, max-age=300"
    )
    return response
