"""How much work a Markdown text may ask of the renderer: one linear scan, and the limits.

Python-Markdown (3.x) is quadratic, or recursive without bound, on some inputs
(issue 20, findings 1 and 2, measured on the test machine at 20,000 characters):

- every ``[`` is read by its link, image and reference processors up to its
  matching ``]``, or to the end of its paragraph when there is none, and a
  link's ``(`` up to its matching ``)`` (to the paragraph's end once a quote
  opens a title): ``"[" * 10000 + "x" + "]" * 9000`` ran over 30 s,
  ``"[a](" * 5000`` 12 s;
- the HTML block parser (the standard library's ``html.parser``) reads every
  ``<`` that may open a tag, comment or declaration up to its end, or to the
  end of the text when it is never finished: ``"<http://" * 5000`` ran 10 s;
- a heading, rule, setext underline or reference definition inside a paragraph
  splits it and the rest is searched again, as is the whole text after each
  code fence: ``"---\n" * 5000`` ran 7 s;
- each inline element (emphasis, code, link, tag, line break, table cell) is
  placed among its siblings by a linear search: ``"*a* " * 5000`` ran 5 s;
- a list marker or quote right after another nests one level deeper, by
  recursion: ``"1. " * 6666`` raised RecursionError.

``measure`` computes, in one pass, the deepest nesting of any line and upper
bounds of what each of those scans reads: brackets, parentheses and tags
matched with stacks and sorted positions (where something the scan does not
follow, a code span, raw HTML or a quote, lies in between, the whole rest of
the paragraph or text is counted, and distances are taken in the renderer's
text, where escapes and raw HTML have grown into placeholders), the rest of
the paragraph after each splitting line, and the square of each paragraph's
inline marks. ``problem`` says which limit a text breaks: writers refuse such
a text on save with that message, and the renderer shows it escaped without
handing it to Python-Markdown (``forum/markdown_render.py``), so rendering
costs at most what the limits allow, whatever was stored before them.
``tests/web/test_markdown_limits.py`` holds the corpus of every family found (a
fuzz run over Markdown's special characters found the later ones), the worst
texts within the limits, and the legitimate texts that must render as before.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from forum.markdown_lists import separate_lists

# The limits, measured with Python-Markdown 3.11 on the shared 2-core test machine
# (times are for the worst 20,000-character text just within each limit; the demo,
# the guide, the XSS corpus and the docs reach nesting 6, link work 9,552, tag work
# 297, block work 152,507 and inline work 2,137,628).
#
# Deepest nesting of lists and quotes on one line (markers one after another, or
# four columns of indentation a level): 0.25 s at 16.
MAX_NESTING = 16
# Characters the link, image and reference processors may read, about a
# microsecond each (they read each "[" three times, in Python): 0.3 s.
MAX_LINK_WORK = 250_000
# Characters html.parser may read looking for the ends of tags, about an eighth
# of a microsecond each (regular expressions): 0.15 s.
MAX_TAG_WORK = 1_000_000
# Characters the block processors reread: each heading, rule or setext underline
# inside a paragraph splits it and the rest is searched again, and each code fence
# has the whole text searched again; about a seventh of a microsecond each: 0.3 s.
MAX_BLOCK_WORK = 2_000_000
# Pairs of inline marks in one paragraph: each mark may make an element (emphasis,
# code, link, tag, entity, line break, table cell), and Python-Markdown finds each
# new element's place among its siblings by a linear search (``list.index``), so a
# paragraph of k elements costs k squared; 30 to 100 ns a pair: 0.2 to 0.4 s.
MAX_INLINE_WORK = 4_000_000

# Python-Markdown's ESCAPED_CHARS: an escaped bracket or parenthesis opens or
# closes nothing, and every escape becomes a placeholder before links are looked for.
_ESCAPE = r"\\[\\`*_{}\[\]()>#+\-.!]"
# What the link scan follows, and what it does not: a backtick may start a code
# span and a "<" raw HTML, either of which can hide brackets from the renderer,
# and a quote opens a link title, in which parentheses stop counting.
_LINK_TOKENS = re.compile(_ESCAPE + r"""|[\[\]()`<'"]|\n(?=[ \t]*(?:\n|$))""")
_HIDING = frozenset("`<")
_QUOTES = frozenset("'\"")
# How many characters longer the renderer's text grows, at most, for an escape
# (two characters become STX, the code point, ETX), a "<" (raw HTML stashed as
# STX "wzxhzdk:" number ETX) and a backtick (half a code span's placeholder).
_PLACEHOLDER_GROWTH = {0: 5, "<": 16, "`": 9}

# html.parser's constructs and what ends each (it tries them at every "<").
_TAG_OPEN = re.compile(r"<(?:!--|!\[|[a-zA-Z/!?])")
_QUOTE = re.compile(r"['\"]")

# One line's nesting: quote markers and list markers, one after the other.
_CONTAINER = re.compile(r"([ \t]*)(?:>|[*+-](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_LINE_BREAK = re.compile(r"\r\n?")  # as the renderer ends lines (not at U+2028 and such)
_TAB_WIDTH = 4

# Lines that split the paragraph they are in (a heading, a rule, a setext
# underline or a reference definition), and code fences; generously: any line of
# only "-", "=", "*", "_" and spaces, any line starting with "#" or "[...]:".
_SPLITTING_LINE = re.compile(r"^ {0,3}(?:#|[-=*_][-=*_ ]*$|\[[^\[\]\n]*\]:)", re.MULTILINE)
_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")
# What may make an inline element: emphasis, code, autolinks, tags and entities,
# escapes, a hard line break; and, counted twice as they cost about twice as much,
# links and images and table cells. Every other newline inside a paragraph is a line
# break too (nl2br), cheaper (3 ns a pair: "a\n" * 10,000 renders in 0.3 s): half a mark.
_INLINE_MARKS = ("*", "_", "`", "<", "&", "\\", "  \n")
# A newline that continues a paragraph or a list item (not one before the next item).
_CONTINUED_LINE = re.compile(r"\n(?![ \t]*(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$))")
_HEAVY_INLINE_MARKS = ("[", "|")


@dataclass(frozen=True)
class Complexity:
    """What a text asks of the renderer: its deepest nesting and the characters its scans read."""

    nesting: int
    link_work: int
    tag_work: int
    block_work: int
    inline_work: int


def measure(text: str) -> Complexity:
    """The nesting and scan work of a text, in time linear in its length (log-linear for tags)."""
    # Line endings as the renderer has them (browsers send CRLF), so blank lines end
    # paragraphs, and the blank lines the renderer puts before a list under a paragraph.
    text = separate_lists(_LINE_BREAK.sub("\n", text))
    return Complexity(
        nesting=_nesting(text),
        link_work=_link_work(text),
        tag_work=_tag_work(text),
        block_work=_block_work(text),
        inline_work=_inline_work(text),
    )


def problem(text: str | None) -> LazyString | None:
    """Why the forum would not render this text (a message for the writer), or None."""
    if not text:
        return None
    found = measure(text)
    if found.nesting > MAX_NESTING:
        return _l(
            "Lists and quotes are nested more than %(max)d levels deep here; "
            "nest them less so the text can be shown.",
            max=MAX_NESTING,
        )
    if found.link_work > MAX_LINK_WORK:
        return _l(
            "Too many “[” or “(” are left open or nested inside one another for the "
            "text to be shown: close each one, or write “\\[” and “\\(” for a "
            "bracket that opens nothing."
        )
    if found.tag_work > MAX_TAG_WORK:
        return _l(
            "Too many “<” start an HTML tag that is never closed for the text to be "
            "shown: close each with “>”, or write “&lt;” for a “<” that opens nothing."
        )
    if found.block_work > MAX_BLOCK_WORK:
        return _l(
            "Too many headings, rules or code fences follow one another without blank "
            "lines for the text to be shown: put a blank line before and after each."
        )
    if found.inline_work > MAX_INLINE_WORK:
        return _l(
            "A paragraph has too much formatting (emphasis, code, links, table cells) "
            "for the text to be shown: split it with blank lines, or format less."
        )
    return None


def _nesting(text: str) -> int:
    deepest = 0
    for line in text.split("\n"):
        if not line.strip(" \t"):
            continue  # the renderer empties blank lines before it reads them
        depth = columns = position = 0
        while match := _CONTAINER.match(line, position):
            depth += 1
            columns += _columns(match.group(1))
            position = match.end()
        # Indentation nests too (four columns a level inside a list), counted on
        # every line, code included, since the renderer decides what is a list.
        spaces = len(line) - len(line[position:].lstrip(" \t")) - position
        columns += _columns(line[position : position + spaces])
        deepest = max(deepest, depth + columns // _TAB_WIDTH)
    return deepest


def _columns(whitespace: str) -> int:
    # A tab as a full tab stop: never fewer columns than the renderer sees.
    return len(whitespace) + (_TAB_WIDTH - 1) * whitespace.count("\t")


def _link_work(text: str) -> int:
    """The characters the link, image and reference processors read, bounded above.

    Per paragraph (a blank line ends one; the renderer never reads past it): each
    "[" to its matching "]", and each "(" right after a "]" to its matching ")";
    to the paragraph's end when unmatched or when something the scan cannot
    follow lies in between. Distances are in the renderer's characters, where an
    escape, a code span or raw HTML has already become a longer placeholder.
    """
    work = 0
    brackets: list[tuple[int, int]] = []  # (where, hiding characters seen before it)
    parens: list[tuple[int, int, bool]] = []  # (where, hiding or quotes seen, opens a link)
    hiding = quotes = 0
    to_end: list[int] = []  # openers whose scan runs to the paragraph's end
    previous_end = -1  # where the last "]" was, to tell a link's "(" from any other
    growth = 0  # how much longer the renderer's text is than ours, so far

    def end_paragraph(end: int) -> int:
        cost = sum(end - start for start in to_end)
        cost += sum(end - start for start, _ in brackets)
        cost += sum(end - start for start, _, link in parens if link)
        to_end.clear()
        brackets.clear()
        parens.clear()
        return cost

    for match in _LINK_TOKENS.finditer(text):
        token, position = match.group(), match.start()
        where = position + growth
        if token == "\n":
            work += end_paragraph(where)
        elif len(token) == 2:  # an escape
            growth += _PLACEHOLDER_GROWTH[0]
        elif token in _HIDING:
            hiding += 1
            growth += _PLACEHOLDER_GROWTH[token]
        elif token in _QUOTES:
            quotes += 1
        elif token == "[":
            brackets.append((where, hiding))
        elif token == "]":
            previous_end = position
            if brackets:
                start, hidden = brackets.pop()
                if hidden == hiding:
                    work += where - start
                else:
                    to_end.append(start)
        elif token == "(":
            parens.append((where, hiding + quotes, previous_end == position - 1))
        elif parens:  # ")"
            start, seen, link = parens.pop()
            if link:
                if seen == hiding + quotes:
                    work += where - start
                else:
                    to_end.append(start)
    return work + end_paragraph(len(text) + growth)


def _tag_work(text: str) -> int:
    """The characters html.parser reads looking for the ends of tags, bounded above.

    Over the whole text (the HTML block parser reads it at once): each "<" that
    may open something to where that thing ends, or to the text's end when it
    never does or a quoted attribute value could carry it past its first ">".
    """
    if "<" not in text:
        return 0
    length = len(text)
    ends = {
        ">": [match.start() for match in re.finditer(">", text)],
        "-->": [match.start() for match in re.finditer("-->", text)],
        "]]>": [match.start() for match in re.finditer(r"\]\]>", text)],
    }
    quotes = [match.start() for match in _QUOTE.finditer(text)]
    work = 0
    for match in _TAG_OPEN.finditer(text):
        start = match.start()
        opened = match.group()
        closer = "-->" if opened == "<!--" else "]]>" if opened == "<![" else ">"
        positions = ends[closer]
        index = bisect_left(positions, match.end())
        end = positions[index] if index < len(positions) else length
        quote = bisect_left(quotes, start)
        if quote < len(quotes) and quotes[quote] < end:
            end = length
        work += end - start
    return work


def _block_work(text: str) -> int:
    """The characters the block processors reread, bounded above.

    A line that splits its paragraph costs the rest of that paragraph (a blank
    line ends one); a code fence costs the whole text, which the fenced-code
    preprocessor searches again from the start after each block it finds.
    """
    ends = [match.start() for match in _BLANK_LINE.finditer(text)]
    work = 0
    for match in _SPLITTING_LINE.finditer(text):
        index = bisect_left(ends, match.start())
        work += (ends[index] if index < len(ends) else len(text)) - match.start()
    fences = sum(1 for _ in _FENCE_LINE.finditer(text))
    return work + fences * len(text)


def _inline_work(text: str) -> int:
    """Per paragraph, the square of the marks that may make inline elements, summed."""
    work = 0
    for paragraph in _BLANK_LINE.split(text):
        marks = sum(paragraph.count(mark) for mark in _INLINE_MARKS)
        marks += 2 * sum(paragraph.count(mark) for mark in _HEAVY_INLINE_MARKS)
        marks += sum(1 for _ in _CONTINUED_LINE.finditer(paragraph)) // 2
        work += marks * marks
    return work
