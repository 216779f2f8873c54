"""A list written right under a line of text starts a list, as GitHub and Discourse read it.

Python-Markdown follows the original Markdown: a list must follow a blank line, so
"Documents needed:\\n- the plan\\n- the brochure" is one paragraph with dashes in it,
which is not what members who write on GitHub or Discourse expect. ``separate_lists``
puts the blank line in for them, before the renderer sees the text, with CommonMark's
rule for what may interrupt a paragraph: a bullet ("-", "*" or "+") followed by some
text, or an ordered item numbered 1 ("1." or "1)"), so "in\\n2024. we" stays a sentence.

Only a paragraph's line is followed by the blank line: never a line of a list (that
would make the list loose), of a quote, of an indented or fenced code block (its text
stays as written). One pass over the lines, so ``forum/markdown_limits.py`` measures
the text as the renderer will read it at the cost of a scan.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# What may interrupt a paragraph: at most three spaces, a bullet or "1." / "1)", a space, text.
_LIST_START = re.compile(r" {0,3}(?:[*+-]|1[.)])[ \t]+\S")
# Python-Markdown's fenced_code opens a block at column 0 and closes it with the same fence.
_FENCE = re.compile(r"(`{3,}|~{3,})")
_LINE_BREAK = re.compile(r"\r\n?")
_INDENTED = re.compile(r"(?: {4}| {0,3}\t)")


def separate_lists(text: str) -> str:
    """The text with a blank line put before each list that starts right under a paragraph."""
    lines = _LINE_BREAK.sub("\n", text).split("\n")
    closers = _fence_closers(lines)
    out: list[str] = []
    # What the previous line was part of: "start" (after a blank line or a heading),
    # "paragraph", "list", or "other" (a quote or indented code: left as written).
    state = "start"
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        close = _closing_line(closers, fence, index) if fence else None
        if close is not None:  # a fenced code block: copied as it is, whole
            out.extend(lines[index : close + 1])
            index, state = close + 1, "start"
            continue
        if not line.strip():
            state = "start"
        elif _LIST_START.match(line):
            if state == "paragraph":
                out.append("")
            state = "list"
        elif state == "start":
            stripped = line.lstrip(" ")
            if _INDENTED.match(line) or stripped.startswith(">"):
                state = "other"
            elif stripped.startswith("#"):
                state = "start"  # a heading is one line; the renderer starts afresh after it
            else:
                state = "paragraph"
        out.append(line)
        index += 1
    return "\n".join(out)


def _fence_closers(lines: list[str]) -> dict[str, list[int]]:
    """For each fence, the lines that are only that fence (and spaces): where it may close."""
    closers: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        fence = _FENCE.match(line)
        if fence and not line[fence.end() :].strip(" "):
            closers.setdefault(fence.group(1), []).append(number)
    return closers


def _closing_line(closers: dict[str, list[int]], fence: re.Match, index: int) -> int | None:
    # A fence never closed opens no block (fenced_code needs both ends): the line is text.
    found = closers.get(fence.group(1), [])
    after = bisect_right(found, index)
    return found[after] if after < len(found) else None
