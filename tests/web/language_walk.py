"""Finding English on pages meant to be read in Italian: a walker for any list of pages.

The heuristic: parse the page, and for every text node (and every attribute a reader
meets: aria-label, title, placeholder, alt, the value of a button) whose language is
Italian (the nearest ``lang`` attribute, the ``<html lang="it">`` of the page by
default), look for words from ``COMMON_ENGLISH_WORDS``. Text inside an element marked
with another language (``lang="en"``: a user's text written in English, a label not
yet translated) is skipped, since the page says what it is. Scripts, styles and
``<code>`` are skipped too, and ``<title>`` (which cannot mark a part of itself: a
question's title in English is there as written, and checked in the ``<h1>``).

Addresses (``https://...``) and acronyms in capitals are not words of either language
and are passed over. The word list holds common English words that are not also Italian
words ("date" is Italian too), nor the
English words Italian uses as its own ("account", "software", "privacy", "log", "web",
"first-in-human"), nor English words that are parts of Italian ones ("all'indirizzo"):
"the", "and", "with", "question", "search"... so a page whose interface or curated
content leaked English almost always has one of them, and a correctly Italian page
has none. It is a heuristic: a one-word English label outside the list would pass,
which the word list's breadth makes unlikely; proper names are not words of the list.

``english_on_pages(client, paths)`` returns, per path, the offending texts, so a test
asserts it is empty and its message shows what leaked. Other pages (the guide's,
the FAQ's) are checked by adding their paths to a test's list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

COMMON_ENGLISH_WORDS = frozenset(
    """
the and of with your you this that these those is are was were be been being has have
had not or by from on at to an which what when where who whom how why will would can
could should must may might about after before more most here there their they them we
our us its into than then also only each every any some such both other others yet
my me him his her she he it's don't isn't
answer answers answered question questions ask asked asking search sign page pages
next previous clinic clinics survey surveys open closed new help terms contact people
see read edit save send sent name city specialty specialties population populations
hosts device devices study studies adults patients children expert experts board
topic topics comment comments accepted helpful status answering language languages
already nothing none yes last latest dates changed version versions
settings notifications dashboard referral referrals profile declared interests
""".split()
)

# A page's <title> cannot mark part of itself: a question's title in another language
# stands there as written; the page's <h1> (marked) carries the same text.
SKIPPED_ELEMENTS = {"script", "style", "code", "svg", "title"}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
READER_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
# An address is no language: "https://www.edpb.europa.eu/our-documents/..." is not English.
URL = re.compile(r"(?:https?://|www\.)\S+")


class _Walker(HTMLParser):
    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        # Open elements: (tag, the language in force inside it, skipped or not).
        self.stack: list[tuple[str, str, bool]] = []
        self.found: list[str] = []
        self.page_language: str | None = None

    def _current(self) -> tuple[str, bool]:
        if not self.stack:
            return self.language, False
        _tag, language, skipped = self.stack[-1]
        return language, skipped

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        language, skipped = self._current()
        if attributes.get("lang") is not None:
            language = attributes["lang"] or language
        skipped = skipped or tag in SKIPPED_ELEMENTS
        if not skipped and language.startswith(self.language):
            for name in READER_ATTRIBUTES:
                self._check(attributes.get(name), f"<{tag} {name}>")
            if tag in {"input", "button"} and attributes.get("type") in {"submit", "button"}:
                self._check(attributes.get("value"), f"<{tag} value>")
        if tag == "html":
            self.page_language = attributes.get("lang")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, language, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        language, skipped = self._current()
        if not skipped and language.startswith(self.language):
            self._check(data, self.stack[-1][0] if self.stack else "document")

    def _check(self, text: str | None, where: str) -> None:
        if not text:
            return
        # An acronym in capitals is no word of either language: SEE is the Spazio
        # economico europeo, not "see".
        words = {
            word.lower()
            for word in WORD.findall(URL.sub(" ", text))
            if not (word.isupper() and len(word) > 1) and word.lower() in COMMON_ENGLISH_WORDS
        }
        if words:
            self.found.append(
                f"{where}: {' '.join(text.split())[:120]!r} (English: {', '.join(sorted(words))})"
            )


def english_in(html: str, language: str = "it") -> list[str]:
    """The texts of ``html`` read as ``language`` that hold common English words."""
    walker = _Walker(language)
    walker.feed(html)
    walker.close()
    if walker.page_language != language:
        return [
            f'<html lang="{walker.page_language}">: the page is not in {language}',
            *walker.found,
        ]
    return walker.found


def english_on_pages(client, paths: Iterable[str], **request_options) -> dict[str, list[str]]:
    """Each path's English texts (only paths with some), fetched with ``client.get``;
    a page that does not answer 200 is reported too."""
    report: dict[str, list[str]] = {}
    for path in paths:
        response = client.get(path, **request_options)
        if response.status_code != 200:
            report[path] = [f"answered {response.status_code}"]
            continue
        found = english_in(response.get_data(as_text=True))
        if found:
            report[path] = found
    return report
