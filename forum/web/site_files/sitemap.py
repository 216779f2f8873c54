"""The sitemap protocol's two documents (sitemaps.org 0.9), built with ElementTree so
every address is escaped: a ``<urlset>`` of pages, and the ``<sitemapindex>`` that
names each part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from forum.web.feeds.atom import timestamp

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
CONTENT_TYPE = "application/xml; charset=utf-8"
# The protocol's bound on the addresses of one file.
MAX_URLS_PER_FILE = 50_000


@dataclass(frozen=True)
class Place:
    url: str  # absolute
    lastmod: datetime | None = None


def urlset(places: list[Place]) -> bytes:
    """A sitemap of ``places`` (the caller keeps it within MAX_URLS_PER_FILE)."""
    return _document("urlset", "url", places)


def sitemap_index(parts: list[Place]) -> bytes:
    """The index naming each sitemap part."""
    return _document("sitemapindex", "sitemap", parts)


def _document(root_tag: str, item_tag: str, places: list[Place]) -> bytes:
    root = ElementTree.Element(root_tag, {"xmlns": SITEMAP_NAMESPACE})
    for place in places:
        item = ElementTree.SubElement(root, item_tag)
        ElementTree.SubElement(item, "loc").text = place.url
        if place.lastmod is not None:
            ElementTree.SubElement(item, "lastmod").text = timestamp(place.lastmod)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
