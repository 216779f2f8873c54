"""The one place user Markdown becomes HTML: rendered, then cleaned on an allow-list.

Templates never mark user text safe themselves; they call the ``markdown``
filter, which returns Markup only after nh3 has removed everything not listed
here (scripts, event handlers, ``javascript:`` and ``data:`` links, styles).
Members' texts on the busy pages are rendered once, when written, and stored
beside them with ``RENDERER_VERSION`` (forum/models/rendered_markdown.py); a page
reads that copy through the model's ``rendered(name)``, which falls back to
``render_markdown`` when the copy is stale.

A text over the renderer's limits (``forum/markdown_limits.py``: nesting and
the characters Python-Markdown's scans would read) is never handed to it, and
a text it fails on (RecursionError or any other error) is not a 500: either is
shown as it was written, escaped, in a ``pre``. Writers refuse such texts on
save; this covers what was stored before the limits, or by any other way.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

from forum import markdown_limits
from forum.markdown_lists import separate_lists

logger = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "del",
    "code",
    "pre",
    "blockquote",
    "span",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    # Words in another language than the text's ("<span lang="en">clinical benefit</span>"
    # in the Italian guide), so screen readers switch voice; nothing else on a span.
    "span": {"lang"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# As GitHub comments and Discourse render what members write: a single newline is a line
# break (nl2br), an ordered list keeps its first number and a bullet after numbers starts a
# new list (sane_lists), and a list may start right under a line of text (separate_lists).
MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]
# The version of what this module outputs, stored beside each text's rendered copy
# (forum/models/rendered_markdown.py). Bump it whenever the output of a text may change
# (extensions, the allow-list, nh3's options, separate_lists, the limits' fallback), then
# run ``forum markdown rerender``: until then a stale copy is not used, pages render.
RENDERER_VERSION = 1


def _unrendered(text: str) -> str:
    return f'<pre class="unrendered">{escape(text)}</pre>'


@lru_cache(maxsize=4096)
def _clean_html(text: str) -> str:
    # Raw HTML in the source is escaped by Markdown's own rules only in part,
    # so nh3 is the guarantee; the cache makes rereading a page cheap.
    if markdown_limits.problem(text) is not None:
        return _unrendered(text)
    try:
        html = markdown.markdown(
            separate_lists(text), extensions=MARKDOWN_EXTENSIONS, output_format="html"
        )
    except Exception:  # RecursionError, or any input the library trips on: never a 500
        logger.exception("Markdown could not be rendered; shown escaped (%d characters)", len(text))
        return _unrendered(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


# HTML split into its tags and the text between them: citations are looked for in the text.
_TAG = re.compile(r"(<[^>]*>)")
# A citation of the guide: [MDR Art. 70], [Decrees of 12 April 2023], [L1] (not a link).
_CITATION = re.compile(r"\[[^\[\]\n]{1,160}\]")


def mark_english_citations(html: Markup, page_language: str) -> Markup:
    """The guide's citations marked ``lang="en"`` on a page in another language.

    A citation keeps its English label in every language of the guide (it names the
    clause and the source behind it, guide.markdown's contract), so an Italian page says
    which words are English, for screen readers' voices and for translation tools.
    ``html`` is already safe (render_markdown's output); the wrapping adds only a span.
    """
    if page_language == "en" or not html:
        return html
    parts = _TAG.split(str(html))
    for index in range(0, len(parts), 2):  # even indexes are text, odd ones tags
        parts[index] = _CITATION.sub(r'<span lang="en">\g<0></span>', parts[index])
    return Markup("".join(parts))  # nosec B704  # only spans added around escaped text


def render_for_storage(text: str | None) -> str:
    """The cleaned HTML of ``text``, as stored beside it (a plain string: the caller keeps it,
    and ``RenderedMarkdown.rendered`` marks it safe when it reads it back)."""
    if not text:
        return ""
    return _clean_html(text)


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown to HTML that is safe to put in a page."""
    if not text:
        return Markup("")
    return Markup(_clean_html(text))  # nosec B704  # nh3 has cleaned it on an allow-list
