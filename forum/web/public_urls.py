"""Permanent ids for the feeds' entries (``tag:`` URIs on ``PUBLIC_BASE_URL``'s host).

Their links are built by ``services/mail/notifications.external_url``, on
``PUBLIC_BASE_URL`` as e-mails' links are, never on the request's Host header: a feed
or sitemap is kept and served to everyone, so an address a client forged into one
request must not end up in what others read.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

# The year in the feeds' tag: URIs (RFC 4151): when the centre held its address. Fixed,
# so an entry's id never changes.
TAG_YEAR = "2026"


def tag_uri(specific: str) -> str:
    """A permanent id such as ``tag:forum.example.org,2026:faq-entry:12``."""
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    return f"tag:{host},{TAG_YEAR}:{specific}"
