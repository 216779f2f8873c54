"""``POST /preview``: a Markdown text rendered as a page would show it, for the preview
script (static/js/markdown-preview.js). Without script the forms preview themselves
(``forum/web/markdown_preview.py``); both render through ``markdown_render``.

Signed-in people only (a visitor has no form to preview), with the CSRF token of the
page (CSRFProtect reads the X-CSRFToken header), counted in its own rate limit: a
writer previews often, and previews must not use up the posting budget. A text over
the renderer's limits gets the same message the form would give, with 422.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from forum import markdown_limits
from forum.markdown_render import render_markdown
from forum.permissions import can_preview
from forum.web.access import requires
from forum.web.forms import MAX_BODY_LENGTH
from forum.web.infra import rate_limits

bp = Blueprint("preview", __name__)


@bp.post("/preview")
@requires(can_preview)
@rate_limits.preview
def render():
    text = request.form.get("text", "")
    if len(text) > MAX_BODY_LENGTH:
        message = _("The text is longer than %(max)d characters.", max=MAX_BODY_LENGTH)
        return jsonify(error=message), 422
    problem = markdown_limits.problem(text)
    if problem is not None:
        return jsonify(error=str(problem)), 422
    if not text.strip():
        return jsonify(html="", empty=_("Nothing to preview yet."))
    return jsonify(html=str(render_markdown(text)))
