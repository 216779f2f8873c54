"""How a search hit is shown: its link, and its passages as escaped text with the
matching words in ``<mark>``; for the search page, the ask form's suggestions and
the API alike, so they link and mark the same way.

The search service (forum/services/search/finder.py) returns data only: a hit's
kind and ids, its anchor, and passages as (text, is a match) pieces.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from forum.services.search.finder import SearchHit
from forum.services.search.terms import Passage
from forum.slugs import slugify


def marked(passage: Passage) -> Markup:
    """The passage escaped, its matching words in ``<mark>``, "…" where the text was cut."""
    # Plain strings joined once: a results page builds forty of these, and a Markup
    # per piece cost more than the search.
    pieces = ["… " if passage.cut_before else ""]
    for text, matches in passage.pieces:
        pieces.append(f"<mark>{escape(text)}</mark>" if matches else str(escape(text)))
    if passage.cut_after:
        pieces.append(" …")
    return Markup("".join(pieces))  # nosec B704  # every piece is escaped, marks added around


def part_label(hit: SearchHit) -> str | None:
    """Which part of its thread a question-bound hit shows (the search lists a thread
    once, under its best-matching part); None for the FAQ and the guide."""
    if hit.kind == "answer":
        return _("In an answer by %(name)s:", name=hit.author_name or _("Former member"))
    if hit.kind == "board-answer":
        return _("In the board's answer:")
    if hit.kind == "question":
        return _("In the question:")
    return None


def hit_url(hit: SearchHit) -> str:
    """The path of the page the hit is on, with its anchor: /questions/12/slug#answer-3."""
    if hit.question_id is not None:
        # A question-bound hit is titled by its question, as the question's page is.
        path = url_for("questions.show", question_id=hit.question_id, slug=slugify(hit.title or ""))
    elif hit.kind == "faq":
        # ?entry= opens the collapsed entry without script.
        path = url_for("faq.index", entry=hit.object_id)
    else:
        path = url_for("guide.index")
    # Joined as stored: the anchor was made for the page's ids (url_for's _anchor would
    # quote it anew).
    return f"{path}#{hit.anchor}" if hit.anchor else path
