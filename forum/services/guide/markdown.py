"""The requirements guide as Markdown: parsing a file into a tree, rendering a tree back.

Pure functions, no database. ``render(parse(text)) == text`` byte for byte
whenever ``text`` is in the canonical form:

- The first line is the document's title: ``# `` and the title.
- Then, optionally, the introduction; then the sections. A section is a
  ``## `` heading and its body; a section holds optional subsections, each a
  ``### `` heading and its body. No other headings: ``#`` appears only on the
  first line, a ``###`` never comes before the first ``##``, and ``####`` or
  deeper is not used (bold text or a list instead).
- Blocks (the title, the introduction, each heading, each non-empty body) are
  separated by exactly one blank line; a heading with an empty body is
  followed directly by the next heading after that one blank line.
- A heading is the hashes, one space and the title, with nothing after it; a
  title has at least one ASCII letter or digit, since it names the section's
  anchor (``slugify(title)``), and anchors are unique in the document.
- Bodies are kept verbatim between their first and last non-blank lines
  (inner blank lines, indentation and trailing spaces are the author's).
- Lines end with ``\\n`` only; the file ends with exactly one newline.

``#`` lines inside fenced code blocks (``` or ~~~) are text, not headings;
a fence left open is an error, since it would swallow the headings after it.

``parse`` also accepts a few harmless departures and normalises them (CRLF
line endings, a byte-order mark, spaces around a heading's title, extra blank
lines between blocks, a missing final newline); ``first_difference`` says
where a text departs from its canonical form. Anything else that is not a
well-formed guide raises ``GuideFormatError`` with the line at fault.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from forum import markdown_limits
from forum.slugs import slugify

MAX_TITLE_LENGTH = 200  # GuideSection.title
SECTION_LEVEL = 2
SUBSECTION_LEVEL = 3

_HEADING = re.compile(r"(#{1,6})(?=[ \t]|$)")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_FENCE_CLOSE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class GuideFormatError(ValueError):
    """The text is not a well-formed guide; ``line`` is the 1-based line at fault."""

    def __init__(self, line: int, message):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Section:
    """A ``##`` section (level 2) or a ``###`` subsection (level 3) with its body."""

    level: int
    title: str
    body: str = ""
    children: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def anchor(self) -> str:
        return anchor_for(self.title)


@dataclass(frozen=True)
class GuideDocument:
    """The whole guide: its title, introduction and sections in reading order."""

    title: str
    introduction: str = ""
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def anchor(self) -> str:
        return anchor_for(self.title)

    def walk(self) -> Iterator[Section]:
        """Every section and subsection, depth first (the order of the file)."""
        for section in self.sections:
            yield section
            yield from section.children


def anchor_for(title: str) -> str:
    """The anchor a heading gets: its slug, as in ``forum.slugs``."""
    return slugify(title)


# --- parsing ------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's bytes as text; GuideFormatError at the line of invalid UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GuideFormatError(line, _l("This line is not valid UTF-8 text.")) from None


def parse(text: str) -> GuideDocument:
    """Split the guide's Markdown into its title, introduction and section tree.

    Raises GuideFormatError (with the line number) for a malformed guide.
    """
    if "\x00" in text:
        raise GuideFormatError(
            text[: text.index("\x00")].count("\n") + 1, _l("The text contains a NUL character.")
        )
    lines = _lines(text)
    if not lines or _heading_level(lines[0]) != 1:
        raise GuideFormatError(
            1, _l("The guide must begin with its title: a line starting with “# ”.")
        )
    title = _heading_title(lines[0], 1)
    anchors = {anchor_for(title): 1}

    # Each block: [heading level, title, first body line index, body lines].
    introduction: list[str] = []
    blocks: list[tuple[int, str, list[str]]] = []
    current = introduction
    fence_line, fence = 0, None
    for index, line in enumerate(lines[1:], start=2):
        if fence is not None:
            if _closes(line, fence):
                fence = None
            current.append(line)
            continue
        opened = _opens(line)
        if opened is not None:
            fence_line, fence = index, opened
            current.append(line)
            continue
        level = _heading_level(line)
        if level is None:
            current.append(line)
            continue
        if level == 1:
            raise GuideFormatError(
                index, _l("Only the first line is a “# ” title; a section starts with “## ”.")
            )
        if level > SUBSECTION_LEVEL:
            raise GuideFormatError(
                index,
                _l(
                    "Headings go down to “###”; use bold text or a list instead of a deeper heading."
                ),
            )
        if level == SUBSECTION_LEVEL and not blocks:
            raise GuideFormatError(index, _l("A “###” subsection must come after a “##” section."))
        heading = _heading_title(line, index)
        anchor = anchor_for(heading)
        if anchor in anchors:
            raise GuideFormatError(
                index,
                _l(
                    "This heading has the same anchor (#%(anchor)s) as the heading on line "
                    "%(other)d: give one of them another title.",
                    anchor=anchor,
                    other=anchors[anchor],
                ),
            )
        anchors[anchor] = index
        current = []
        blocks.append((level, heading, current))
    if fence is not None:
        raise GuideFormatError(
            fence_line,
            _l("This code block is never closed: add a closing %(fence)s line.", fence=fence),
        )

    sections: list[Section] = []
    children: list[Section] = []
    for level, heading, body in reversed(blocks):
        if level == SUBSECTION_LEVEL:
            children.insert(0, Section(level, heading, _join(body)))
        else:
            sections.insert(0, Section(level, heading, _join(body), tuple(children)))
            children = []
    return GuideDocument(title, _join(introduction), tuple(sections))


def _lines(text: str) -> list[str]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start another
    return lines


def _heading_level(line: str) -> int | None:
    match = _HEADING.match(line)
    return len(match.group(1)) if match else None


def _heading_title(line: str, number: int) -> str:
    title = line.lstrip("#").strip()
    check_title(title, number)
    return title


def _opens(line: str) -> str | None:
    match = _FENCE_OPEN.fullmatch(line)
    if match is None:
        return None
    fence, info = match.groups()
    if fence.startswith("`") and "`" in info:
        return None  # a line of inline code, not a fence
    return fence


def _closes(line: str, fence: str) -> bool:
    match = _FENCE_CLOSE.fullmatch(line)
    return bool(match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence))


def _join(lines: list[str]) -> str:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


# --- checks used by the editing services ------------------------------------------


def check_title(title: str, line: int = 1) -> None:
    """Raise GuideFormatError unless ``title`` (already stripped) can head a section."""
    if not title:
        raise GuideFormatError(line, _l("The heading has no title."))
    if _CONTROL.search(title):
        raise GuideFormatError(line, _l("A title is one line of text."))
    if len(title) > MAX_TITLE_LENGTH:
        raise GuideFormatError(
            line, _l("A title has at most %(max)d characters.", max=MAX_TITLE_LENGTH)
        )
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    if not re.search(r"[A-Za-z0-9]", ascii_title):
        raise GuideFormatError(
            line, _l("A title needs at least one letter or digit: it names the section's anchor.")
        )


def clean_body(text: str) -> str:
    """A body as stored: LF line endings, no blank lines before or after the text."""
    return _join(_lines(text or ""))


def check_body(body: str) -> None:
    """Raise GuideFormatError (line within the body) unless ``body`` fits under a heading.

    A body holds no heading outside code blocks (a heading would start a new
    section), leaves no code block open, and is within what the forum renders
    (forum/markdown_limits.py).
    """
    if "\x00" in body:
        raise GuideFormatError(
            body[: body.index("\x00")].count("\n") + 1, _l("The text contains a NUL character.")
        )
    fence_line, fence = 0, None
    for index, line in enumerate(body.split("\n"), start=1):
        if fence is not None:
            if _closes(line, fence):
                fence = None
            continue
        opened = _opens(line)
        if opened is not None:
            fence_line, fence = index, opened
        elif _heading_level(line) is not None:
            raise GuideFormatError(
                index,
                _l(
                    "A line starting with “#” is a heading, which would start a new section: "
                    "add a section instead, or use bold text."
                ),
            )
    if fence is not None:
        raise GuideFormatError(
            fence_line,
            _l("This code block is never closed: add a closing %(fence)s line.", fence=fence),
        )
    too_complex = markdown_limits.problem(body)
    if too_complex is not None:
        raise GuideFormatError(1, too_complex)


# --- rendering ----------------------------------------------------------------------


def render(document: GuideDocument) -> str:
    """The guide as canonical Markdown (see the module's docstring)."""
    blocks = [f"# {document.title}"]
    if document.introduction:
        blocks.append(document.introduction)
    for section in document.walk():
        blocks.append(f"{'#' * section.level} {section.title}")
        if section.body:
            blocks.append(section.body)
    return "\n\n".join(blocks) + "\n"


def first_difference(text: str) -> int | None:
    """The first line where ``text`` departs from its canonical form; None if it is canonical.

    Raises GuideFormatError if the text is not a guide at all.
    """
    canonical = render(parse(text))
    if canonical == text:
        return None
    ours, theirs = canonical.split("\n"), text.split("\n")
    for number, (a, b) in enumerate(zip(ours, theirs), start=1):
        if a != b:
            return number
    return min(len(ours), len(theirs))
