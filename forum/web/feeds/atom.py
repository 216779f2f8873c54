"""An Atom 1.0 document (RFC 4287) from plain values, built with the standard library's
ElementTree.

ElementTree escapes every text and attribute it writes, so a title holding ``<&>``
or a body's HTML (sent as ``type="html"``: escaped markup, as the RFC asks) cannot
break the document. It is enough for the handful of elements a feed has; a feed
library (feedgen) would bring lxml for the same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"

# Characters XML 1.0 cannot carry even escaped; ElementTree would write them as they
# are and the document would no longer parse. A pasted text may hold one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class AtomEntry:
    id: str  # a tag: URI, never changed once given
    title: str
    link: str  # absolute
    published: datetime
    updated: datetime
    content_html: str = ""  # already-safe HTML (render_markdown's), sent escaped
    summary_text: str = ""  # plain text, when there is no HTML content
    author: str | None = None  # None: the feed's author stands for it
    language: str | None = None  # the entry's own language, when it is not the feed's
    categories: list[tuple[str, str]] = field(default_factory=list)  # (term, label)


@dataclass(frozen=True)
class AtomFeed:
    id: str
    title: str
    subtitle: str
    self_link: str  # the feed's own address
    page_link: str  # the page it follows (rel="alternate")
    language: str
    author: str
    base_url: str  # what a relative link in an entry's HTML is read against
    updated: datetime  # when none of the entries says otherwise (an empty feed)
    entries: list[AtomEntry]


def timestamp(value: datetime) -> str:
    """An RFC 3339 date-time in UTC, to the second."""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def render(feed: AtomFeed) -> bytes:
    """The feed as a UTF-8 XML document."""
    root = ElementTree.Element(
        "feed", {"xmlns": ATOM_NAMESPACE, XML_LANG: feed.language, XML_BASE: feed.base_url}
    )
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.subtitle)
    newest = max((entry.updated for entry in feed.entries), default=feed.updated)
    _text(root, "updated", timestamp(newest))
    _link(root, feed.self_link, "self", "application/atom+xml")
    _link(root, feed.page_link, "alternate", "text/html")
    author = ElementTree.SubElement(root, "author")
    _text(author, "name", feed.author)
    for entry in feed.entries:
        _entry(root, entry)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _entry(root: ElementTree.Element, entry: AtomEntry) -> None:
    element = ElementTree.SubElement(root, "entry")
    if entry.language:
        element.set(XML_LANG, entry.language)
    _text(element, "id", entry.id)
    _text(element, "title", entry.title)
    _link(element, entry.link, "alternate", "text/html")
    _text(element, "published", timestamp(entry.published))
    _text(element, "updated", timestamp(entry.updated))
    if entry.author:
        author = ElementTree.SubElement(element, "author")
        _text(author, "name", entry.author)
    for term, label in entry.categories:
        ElementTree.SubElement(element, "category", {"term": term, "label": label})
    if entry.content_html:
        _text(element, "content", entry.content_html).set("type", "html")
    elif entry.summary_text:
        _text(element, "summary", entry.summary_text).set("type", "text")


def _text(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", text)
    return element


def _link(parent: ElementTree.Element, href: str, rel: str, media_type: str) -> None:
    ElementTree.SubElement(parent, "link", {"rel": rel, "type": media_type, "href": href})
