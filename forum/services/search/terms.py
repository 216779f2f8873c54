"""How text becomes search terms, for the index and for queries, and which words a snippet marks.

Both engines index the terms written here rather than analysing text themselves,
so a query finds the same documents on SQLite and PostgreSQL, and Italian words
are stemmed on SQLite too (FTS5 offers only an English stemmer). A word becomes:

- folded: lower case, accents removed ("Perché" -> "perche"), so accents never matter;
- dropped if it is an English or Italian stop word ("the", "di", "what", "come");
- its English and its Italian Snowball stem ("committees" -> "committe",
  "comitati" -> "comit"), both kept, since one text may mix the languages.

A query word also brings the terms of its translations (glossary.py), so
"comitato etico" finds "ethics committee". Every term is letters and digits only:
nothing a user types reaches an engine's query syntax.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import snowballstemmer

from forum.services.search import glossary as search_glossary

# Letters and digits of any script; everything else (punctuation, operators,
# quotes, control characters, emoji) separates words.
WORD = re.compile(r"[^\W_]+")
MAX_WORD_LENGTH = 40  # longer "words" are noise (hashes, URLs run together)
MAX_QUERY_CHARACTERS = 500
MAX_QUERY_WORDS = 12
MIN_PREFIX_LENGTH = 3  # a shorter unfinished word would match too much to help

_ENGLISH = snowballstemmer.stemmer("english")
_ITALIAN = snowballstemmer.stemmer("italian")

# Folded. Short function words of both languages; not "ai" (artificial intelligence)
# or "ce" (CE marking), which mean something in this field.
STOP_WORDS = frozenset(
    """
a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers him his how i if in into is its itself just me more most
my no nor not now of off on once only or other our ours out over own same she should so some
such than that the their theirs them then there these they this those through to too under
it us
until up very was we were what when where which while who whom why will with would you your
yours yourselves ourselves themselves
must need needs shall may might want get got go goes much many

ad al alla alle allo agli anche avere c che chi ci col come con cosa cui da dal dalla dalle
dallo dagli dei del della delle dello degli di dove e ed era essere fa gli ha hai hanno ho i il
in io la le lei li lo loro lui ma mi mia mie miei mio ne negli nei nel nella nelle nello no noi
non o per perche piu po poi quale quali quando quanto quella quelle quelli quello questa queste
questi questo se si sia sono su sua sue sui sul sulla sulle suo suoi ti tra tu tua tue tuo tuoi
un una uno vi voi
serve servono deve devono dobbiamo possiamo puo bisogna
""".split()
)

# British spellings take the American form before stemming, so "randomised" and
# "randomized" meet; words that merely end in -ise are left alone.
_BRITISH = re.compile(r"(?<=[a-z]{3})is(ation|ations|e|ed|es|ing)$")
_NOT_BRITISH = frozenset(
    """
advise advised advises advising compromise compromised comprise comprised comprises
concise devise devised enterprise enterprises exercise exercised exercises exercising
expertise franchise likewise noise otherwise precise premise premises promise promised
promises raise raised raises raising revise revised revises revising supervise supervised
supervising surprise surprised televise wise
""".split()
)


def fold(text: str) -> str:
    """Lower case without accents: "Qualità" -> "qualita"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=100_000)
def word_terms(word: str, language: str | None = None) -> tuple[str, ...]:
    """The index terms of one word (as ``WORD`` finds it, lower case): () for a stop word.

    A word of unknown language (a query's, an English text's) gets its English and its
    Italian stem; a word of a text known to be Italian gets its Italian stem only. Two
    terms for one Italian word, each rare in a mostly English forum, scored it twice
    (per term, as FTS5's BM25 did) and put Italian threads above the English answers
    to English queries; a query's word still brings both stems, so it finds the text
    either way."""
    folded = fold(word)
    if folded in STOP_WORDS or len(folded) > MAX_WORD_LENGTH or not WORD.fullmatch(folded):
        return ()
    english = folded
    if folded not in _NOT_BRITISH:
        english = _BRITISH.sub(r"iz\1", folded)
    italian = fold(_ITALIAN.stemWord(word))
    terms = (italian,) if language == "it" else (_ENGLISH.stemWord(english), italian)
    # A stemmer can leave something other than letters and digits in odd input.
    return tuple(term for term in dict.fromkeys(terms) if WORD.fullmatch(term))


def words(text: str) -> list[str]:
    """The words of a text, lower case, in order."""
    return WORD.findall(text.lower())


def index_terms(text: str, language: str | None = None) -> str:
    """A text as the engines index it: its words' terms, space-separated, in order
    (``language``: the text's, when known; see ``word_terms``)."""
    return " ".join(term for word in words(text) for term in word_terms(word, language))


# --- Markdown to plain text -------------------------------------------------------

# A link or image as its text. Linear whatever the input (issue 20): the text
# stops at any bracket and the address at any parenthesis but one balanced pair,
# each possessively, so no "[" or "(" is read again by a later attempt;
# ``"[" * 20000`` took 3 s with the earlier pattern, inside the write transaction.
_LINK = re.compile(r"!?\[([^\[\]]*+)\]\((?:[^()]|\([^()]*+\))*+\)")
_MARKS = re.compile(r"[*_#>`|~]+|-{3,}|={3,}|<[^>]{0,200}>")


def plain_text(markdown: str) -> str:
    """What a reader reads of some Markdown, on one line: for titles, snippets and terms."""
    text = _LINK.sub(r"\1", markdown or "")
    text = _MARKS.sub(" ", text)
    return " ".join(text.split())


# --- translations ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _translation_table() -> dict[str, tuple[str, ...]]:
    """Each term of a glossary word, with the terms of the words that translate it."""
    table: dict[str, list[str]] = {}
    for italian, english in search_glossary.PAIRS:
        italian_terms = [term for word in italian.split() for term in word_terms(word)]
        english_terms = [term for word in english.split() for term in word_terms(word)]
        for term in italian_terms:
            table.setdefault(term, []).extend(english_terms)
        for term in english_terms:
            table.setdefault(term, []).extend(italian_terms)
    return {term: tuple(dict.fromkeys(others)) for term, others in table.items()}


def translations(term: str) -> tuple[str, ...]:
    """The terms of the words that translate the word ``term`` came from (often none)."""
    return _translation_table().get(term, ())


# --- queries -----------------------------------------------------------------------


@dataclass(frozen=True)
class QueryTerms:
    """A query as term groups: one group per meaningful word, any of its terms matching it.

    ``prefix`` is the folded last word when it may still be being typed (suggestions):
    it then also matches any term that starts with it.
    """

    groups: tuple[tuple[str, ...], ...]
    prefix: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @cached_property
    def all_terms(self) -> frozenset[str]:
        return frozenset(term for group in self.groups for term in group)

    @cached_property
    def _seen_words(self) -> dict[str, bool]:
        # A memo for ``matches``, which highlighting calls for every word of every
        # snippet; it lives as long as the query (one request), not in the frozen fields.
        return {}

    def matches(self, word: str) -> bool:
        """Whether a word of a text (as ``WORD`` finds it) is one of the query's."""
        seen = self._seen_words.get(word)
        if seen is None:
            lower = word.lower()
            seen = (
                self.prefix is not None and fold(lower).startswith(self.prefix)
            ) or not self.all_terms.isdisjoint(word_terms(lower))
            self._seen_words[word] = seen
        return seen


def parse_query(text: str, *, prefix_last: bool = False) -> QueryTerms:
    """Any string, however odd, as term groups (possibly none); never raises.

    With ``prefix_last`` the last word may be unfinished (a title being typed): its
    group also holds the word itself as a prefix, and the title's end is kept when
    it is long, since that is where the typing is.
    """
    raw_words = words(
        (text or "")[-MAX_QUERY_CHARACTERS:] if prefix_last else (text or "")[:MAX_QUERY_CHARACTERS]
    )
    raw_words = raw_words[-2 * MAX_QUERY_WORDS :] if prefix_last else raw_words
    groups: list[tuple[str, ...]] = []
    prefix = None
    for position, word in enumerate(raw_words):
        terms = list(word_terms(word))
        for term in list(terms):
            terms.extend(translations(term))
        folded = fold(word)
        if (
            prefix_last
            and position == len(raw_words) - 1
            and MIN_PREFIX_LENGTH <= len(folded) <= MAX_WORD_LENGTH
            and WORD.fullmatch(folded)
        ):
            prefix = folded
            terms.append(folded)
        group = tuple(dict.fromkeys(terms))
        if group and group not in groups:
            groups.append(group)
    if prefix_last:
        groups = groups[-MAX_QUERY_WORDS:]
    else:
        groups = groups[:MAX_QUERY_WORDS]
    return QueryTerms(tuple(groups), prefix)


# --- snippets ----------------------------------------------------------------------

SNIPPET_CHARACTERS = 240
_SCAN_CHARACTERS = 20_000  # where to look for a match in a long text


@dataclass(frozen=True)
class Passage:
    """A passage of plain text to show: its pieces in order, each marked as one of the
    query's words or not, and whether the text goes on before and after it.

    Data only: how a page or the API shows the matches (escaped text, ``<mark>``)
    is the web layer's (forum/web/search/hits.py).
    """

    pieces: tuple[tuple[str, bool], ...] = ()  # (text, is a matching word)
    cut_before: bool = False
    cut_after: bool = False

    @property
    def text(self) -> str:
        return "".join(piece for piece, _matches in self.pieces)


def passage(text: str, query: QueryTerms, *, limit: int | None = SNIPPET_CHARACTERS) -> Passage:
    """A passage of plain text around its first matching words, the matches marked.

    Starts at the text's beginning when nothing matches or the match is near it.
    Only the passage's words are looked at after the first match, so a long text
    costs no more than a short one. With ``limit=None`` the whole text (a title).
    """
    text = text or ""
    start, end = 0, len(text)
    if limit is not None and len(text) > limit:
        first = next(
            (
                match.start()
                for match in WORD.finditer(text, 0, _SCAN_CHARACTERS)
                if query.matches(match.group())
            ),
            0,
        )
        start = 0 if first < limit // 3 else _word_start(text, first - limit // 4)
        end = _word_end(text, start + limit)
    # Plain tuples: a results page builds forty of these, and objects per piece
    # cost more than the search.
    pieces: list[tuple[str, bool]] = []
    cursor = start
    for match in WORD.finditer(text, start, end):
        if query.matches(match.group()):
            if cursor < match.start():
                pieces.append((text[cursor : match.start()], False))
            pieces.append((match.group(), True))
            cursor = match.end()
    if cursor < end:
        pieces.append((text[cursor:end], False))
    return Passage(tuple(pieces), cut_before=start > 0, cut_after=end < len(text))


def _word_start(text: str, index: int) -> int:
    space = text.rfind(" ", 0, max(index, 0))
    return space + 1 if space >= 0 else 0


def _word_end(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    space = text.find(" ", index)
    return space if space >= 0 else len(text)
