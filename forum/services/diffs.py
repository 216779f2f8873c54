"""The forum's one difference between two texts, as a reader sees it: lines kept in place,
the words inserted and deleted within a changed line marked, long unchanged stretches
folded. Every history, comparison and conflict display uses it; templates/macros/diff.html
draws it.

A pure function of two strings: no database, no request. Two passes of difflib, the lines
first, then the words of each pair of changed lines. Both passes are bounded, so a 100 KB
text against another costs a bounded amount of work: difflib is quadratic in the worst case,
and the texts are typed by anyone who may edit.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Segment and line kinds.
SAME = "same"
ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"  # a line whose words changed: its segments mix the three kinds
CONTEXT = "context"  # an unchanged line shown around a change
FOLD = "fold"  # unchanged lines not shown: ``folded`` says how many

CONTEXT_LINES = 3  # unchanged lines shown on each side of a change
# An unchanged stretch is folded only when that hides at least this many lines: folding one
# line behind "1 unchanged line" saves nothing.
MIN_FOLD = 2

# The word pass of one pair of lines compares at most this many pairs of words
# (tokens before x tokens after); a longer pair is marked as a whole line removed and added.
MAX_WORD_PAIRS_PER_LINE = 250_000
# And all the word passes of one diff together at most this many, so a text of thousands of
# changed lines cannot add up what a single line may not.
MAX_WORD_PAIRS = 2_000_000
# The line pass compares at most this many pairs of lines once the common head and tail are
# set aside; beyond that the middle is shown as removed, then added.
MAX_LINE_PAIRS = 4_000_000
# Below this share of unchanged words, a pair of lines is shown as one removed and one added
# rather than as a confetti of small changes.
MIN_SHARED_WORDS = 0.3

# Words (letters and digits of any script, so "è" and "però" stay whole), runs of white space,
# and any other character on its own: joined back they give the line exactly.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w", re.UNICODE)
# Punctuation this short between two changes joins them ("Art. 80"), longer stays apart.
MAX_GLUE = 2


@dataclass(frozen=True)
class Segment:
    """A stretch of a line: ``same``, ``added`` or ``removed`` text."""

    kind: str
    text: str


@dataclass(frozen=True)
class DiffLine:
    """One line of a difference, as a template draws it.

    ``context``: an unchanged line (one ``same`` segment); ``added`` / ``removed``: a whole
    line inserted or deleted (one segment of that kind); ``changed``: a line edited within,
    its segments in reading order; ``fold``: ``folded`` unchanged lines not shown.
    """

    kind: str
    segments: tuple[Segment, ...] = ()
    folded: int = 0

    @property
    def before(self) -> str:
        """The line as it was (empty for an added line or a fold)."""
        return "".join(s.text for s in self.segments if s.kind != ADDED)

    @property
    def after(self) -> str:
        """The line as it is now (empty for a removed line or a fold)."""
        return "".join(s.text for s in self.segments if s.kind != REMOVED)


def tokenize(line: str) -> list[str]:
    """A line cut into words, runs of white space and single other characters."""
    return _TOKEN.findall(line)


class _Budget:
    """The word pairs the word pass may still compare in this diff."""

    def __init__(self, pairs: int) -> None:
        self.left = pairs

    def take(self, pairs: int) -> bool:
        if pairs > MAX_WORD_PAIRS_PER_LINE or pairs > self.left:
            return False
        self.left -= pairs
        return True


def diff_texts(before: str, after: str) -> list[DiffLine]:
    """The difference from ``before`` to ``after``, line by line: empty when they are equal.

    Lines keep their order and their breaks; a pair of edited lines becomes one ``changed``
    line with its inserted and deleted words; unchanged lines are kept as context around
    each change (``CONTEXT_LINES``) and folded beyond that. Never raises.
    """
    old, new = before.splitlines(), after.splitlines()
    if old == new:
        return []
    budget = _Budget(MAX_WORD_PAIRS)
    lines: list[DiffLine] = []
    opcodes = _line_opcodes(old, new)
    for index, (tag, old_start, old_end, new_start, new_end) in enumerate(opcodes):
        if tag == "equal":
            lines.extend(
                _context(
                    old[old_start:old_end],
                    first=index == 0,
                    last=index == len(opcodes) - 1,
                )
            )
        else:
            lines.extend(_changed(old[old_start:old_end], new[new_start:new_end], budget))
    return lines


def _line_opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes over lines, with the common head and tail taken first (cheap, and
    most edits touch a few lines) and the middle given up as a whole when it is too big."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(old), len(new)) - head
        and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]
    ):
        tail += 1
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    if len(old_mid) * len(new_mid) > MAX_LINE_PAIRS:
        middle = [("replace", 0, len(old_mid), 0, len(new_mid))]
    else:
        middle = difflib.SequenceMatcher(None, old_mid, new_mid).get_opcodes()
    opcodes = []
    if head:
        opcodes.append(("equal", 0, head, 0, head))
    opcodes.extend(
        (tag, a1 + head, a2 + head, b1 + head, b2 + head) for tag, a1, a2, b1, b2 in middle
    )
    if tail:
        opcodes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return [opcode for opcode in opcodes if opcode[1] != opcode[2] or opcode[3] != opcode[4]]


def _context(lines: list[str], *, first: bool, last: bool) -> list[DiffLine]:
    """An unchanged stretch: the lines next to a change shown, the rest folded."""
    keep_head = 0 if first else CONTEXT_LINES
    keep_tail = 0 if last else CONTEXT_LINES
    hidden = len(lines) - keep_head - keep_tail
    if hidden < MIN_FOLD:
        return [_same(line) for line in lines]
    shown_tail = lines[len(lines) - keep_tail :] if keep_tail else []
    return [
        *(_same(line) for line in lines[:keep_head]),
        DiffLine(FOLD, folded=hidden),
        *(_same(line) for line in shown_tail),
    ]


def _same(line: str) -> DiffLine:
    return DiffLine(CONTEXT, (Segment(SAME, line),))


def _whole(kind: str, line: str) -> DiffLine:
    return DiffLine(kind, (Segment(kind, line),))


def _changed(old: list[str], new: list[str], budget: _Budget) -> list[DiffLine]:
    """A replaced block: its lines paired in order and diffed word by word; lines left over
    on one side are whole lines removed or added."""
    lines: list[DiffLine] = []
    pending_added: list[DiffLine] = []
    for old_line, new_line in zip(old, new, strict=False):
        pair = _word_diff(old_line, new_line, budget)
        if pair is None:
            # Shown as a removed line then an added one; the added ones wait until the
            # removed ones of the block are out, so the old text reads on in one piece.
            lines.append(_whole(REMOVED, old_line))
            pending_added.append(_whole(ADDED, new_line))
        else:
            lines.extend(pending_added)
            pending_added = []
            lines.append(pair)
    lines.extend(_whole(REMOVED, line) for line in old[len(new) :])
    lines.extend(pending_added)
    lines.extend(_whole(ADDED, line) for line in new[len(old) :])
    return lines


def _word_diff(old_line: str, new_line: str, budget: _Budget) -> DiffLine | None:
    """One edited line with its words marked, or None when the two lines are better shown
    whole (too long to compare within the budget, or too little left in common)."""
    old_tokens, new_tokens = tokenize(old_line), tokenize(new_line)
    if not budget.take(max(1, len(old_tokens)) * max(1, len(new_tokens))):
        return None
    # autojunk off: in a long line the space between words is "popular" and would be
    # ignored, leaving every word change glued to its neighbours.
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    chunks = [
        (tag, "".join(old_tokens[a1:a2]), "".join(new_tokens[b1:b2]))
        for tag, a1, a2, b1, b2 in matcher.get_opcodes()
    ]
    shared = sum(
        len(old_text) for tag, old_text, _ in chunks if tag == "equal" and old_text.strip()
    )
    longer = max(len(old_line.strip()), len(new_line.strip()))
    if longer and shared / longer < MIN_SHARED_WORDS:
        return None
    return DiffLine(CHANGED, tuple(_segments(_absorb_spaces(chunks))))


def _absorb_spaces(chunks: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Merge a short unchanged run of white space or punctuation between two changes into
    them, so that "quick brown" -> "slow red" reads as one deletion and one insertion, not
    two of each, and "Art. 80" inserted is not cut at its full stop."""
    merged: list[tuple[str, str, str]] = []
    for index, chunk in enumerate(chunks):
        tag, old_text, new_text = chunk
        between_changes = (
            tag == "equal"
            and _is_glue(old_text)
            and 0 < index < len(chunks) - 1
            and merged
            and merged[-1][0] != "equal"
            and chunks[index + 1][0] != "equal"
        )
        if between_changes or (tag != "equal" and merged and merged[-1][0] != "equal"):
            _, old_so_far, new_so_far = merged.pop()
            merged.append(("replace", old_so_far + old_text, new_so_far + new_text))
        else:
            merged.append(chunk)
    return merged


def _is_glue(text: str) -> bool:
    """White space, or a few characters of punctuation: no word of the reader's."""
    return not text.strip() or (len(text.strip()) <= MAX_GLUE and not _WORD.search(text))


def _segments(chunks: list[tuple[str, str, str]]):
    for tag, old_text, new_text in chunks:
        if tag == "equal":
            yield Segment(SAME, old_text)
            continue
        if old_text:
            yield Segment(REMOVED, old_text)
        if new_text:
            yield Segment(ADDED, new_text)
