"""The guide page's document, rendered once per text and kept in each worker's memory.

The document (contents, sections, their Markdown with the citations marked, and the
notes under each heading: review date, history link, law and translation notices) is
most of the guide page's rendering and the same for every reader who is not a curator.
It is kept under a fingerprint of everything the fragment reads, not under a timer: any
edit, translation, review, law change or language gives a new key, and the old entry
ages out of a small LRU. The page around it (header, status line, curators' links) is
rendered per request as before.

What makes sharing safe: the fragment is rendered from ``templates/guide/_reading.html``
with only the names passed here (no context processors, so no ``current_user`` or
session), and a curator's document, whose forms carry the reader's CSRF token, is
rendered for that request and never kept.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import current_app, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from forum.services.guide.translated import ShownGuide
from forum.services.guide.tree import CurrentGuide

TEMPLATE = "guide/_reading.html"
# Entries: a few texts (the one read now, the one before an edit) times the interface
# languages, the English original under the Italian interface, and proposers' variant.
# An entry is the size of the guide's HTML (~150 KB), so the memo stays under ~5 MB.
MAX_KEPT = 32

_lock = threading.Lock()


def rendered_document(
    guide: CurrentGuide,
    document: ShownGuide,
    *,
    proposer: bool,
    curator: bool,
    translation_language: str | None,
) -> Markup:
    """The guide's document as the page shows it to this reader, from memory when kept."""
    if curator:
        # Curators' forms carry their CSRF token: rendered for this request only.
        return _render(guide, document, proposer, curator, translation_language)
    key = _fingerprint(guide, document, proposer)
    kept = _kept()
    with _lock:
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
            return found
    html = _render(guide, document, proposer, False, None)
    with _lock:
        kept[key] = html
        while len(kept) > MAX_KEPT:
            kept.popitem(last=False)
    return html


def _kept() -> OrderedDict[str, Markup]:
    """This app's memo (one per app, so that apps built side by side share nothing)."""
    with _lock:
        return current_app.extensions.setdefault("guide_reading", OrderedDict())


def _render(guide, document, proposer, curator, translation_language) -> Markup:
    template = current_app.jinja_env.get_template(TEMPLATE)
    html = template.render(
        guide=guide,
        document=document,
        proposer=proposer,
        curator=curator,
        translation_language=translation_language,
    )
    # Without the template's imports' blank lines: the page indents the fragment itself.
    return Markup(html.lstrip())  # nosec B704  # a template's output, escaped by autoescape


def _fingerprint(guide: CurrentGuide, document: ShownGuide, proposer: bool) -> str:
    """A digest of everything ``_reading.html`` reads for a reader who is not a curator."""
    digest = hashlib.blake2b(digest_size=20)

    def add(value) -> None:
        # Each part with its length, so that no two sequences of parts read alike.
        data = value.encode() if isinstance(value, str) else repr(value).encode()
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)

    add((str(get_locale()), str(get_timezone()), request.script_root, document.language, proposer))
    for node in document.walk():
        shown, section = node.shown, node.section
        changes = guide.law_notices.get(section.id, ())
        add(
            (
                node.level,
                node.anchor,
                section.id,
                section.last_reviewed_on,
                shown.lang,
                shown.state,
                shown.source_changed_at,
                tuple((change.id, change.changed_on, change.description) for change in changes),
            )
        )
        add(shown.title)
        add(shown.body)
    return digest.hexdigest()
