"""The one place user Markdown becomes HTML: rendered, then cleaned on an allow-list.

Templates never mark user text safe themselves; they call the ``markdown``
filter, which returns Markup only after nh3 has removed everything not listed
here (scripts, event handlers, ``javascript:`` and ``data:`` links, styles).
"""
from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

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


@lru_cache(maxsize=4096)
def _clean_html(text: str) -> str:
    # Raw HTML in the source is escaped by Markdown's own rules only in part,
    # so nh3 is the guarantee; the cache makes rereading a page cheap.
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
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
