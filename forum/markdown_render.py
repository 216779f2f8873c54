"""The one place user Markdown becomes HTML: rendered, then cleaned on an allow-list.

Templates never mark user text safe themselves; they call the ``markdown``
filter, which returns Markup only after nh3 has removed everything not listed
here (scripts, event handlers, ``javascript:`` and ``data:`` links, styles).

A text over the renderer's limits (``forum/markdown_limits.py``: nesting and
the characters Python-Markdown's scans would read) is never handed to it, and
a text it fails on (RecursionError or any other error) is not a 500: either is
shown as it was written, escaped, in a ``pre``. Writers refuse such texts on
save; this covers what was stored before the limits, or by any other way.
"""
from __future__ import annotations

import logging
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

from forum import markdown_limits

logger = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6",
    "strong", "em", "b", "i", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]


def _unrendered(text: str) -> str:
    return f'<pre class="unrendered">{escape(text)}</pre>'


@lru_cache(maxsize=4096)
def _clean_html(text: str) -> str:
    # Raw HTML in the source is escaped by Markdown's own rules only in part,
    # so nh3 is the guarantee; the cache makes rereading a page cheap.
    if markdown_limits.problem(text) is not None:
        return _unrendered(text)
    try:
        html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    except Exception:  # RecursionError, or any input the library trips on: never a 500
        logger.exception("Markdown could not be rendered; shown escaped (%d characters)",
                         len(text))
        return _unrendered(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown to HTML that is safe to put in a page."""
    if not text:
        return Markup("")
    return Markup(_clean_html(text))  # nosec B704  # nh3 has cleaned it on an allow-list
