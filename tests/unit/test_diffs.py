"""The forum's one difference between texts (services/diffs.py): lines kept, words marked
within a changed line, long unchanged stretches folded, bounded work on hostile sizes."""

from __future__ import annotations

import ast
import difflib
from pathlib import Path

import pytest

from forum.services import diffs
from forum.services.diffs import (
    ADDED,
    CHANGED,
    CONTEXT,
    FOLD,
    REMOVED,
    SAME,
    DiffLine,
    Segment,
    diff_texts,
    tokenize,
)


def _segments(line: DiffLine) -> list[tuple[str, str]]:
    return [(segment.kind, segment.text) for segment in line.segments]


def _shown(lines: list[DiffLine]) -> tuple[list[str], list[str]]:
    """The texts before and after as the diff tells them (folds aside)."""
    before = [line.before for line in lines if line.kind not in (FOLD, ADDED)]
    after = [line.after for line in lines if line.kind not in (FOLD, REMOVED)]
    return before, after


def test_words_inserted_mid_line_are_the_only_ones_marked():
    [line] = diff_texts(
        "Report serious adverse events.", "Report serious adverse events within 7 days."
    )
    assert line.kind == CHANGED
    assert _segments(line) == [
        (SAME, "Report serious adverse events"),
        (ADDED, " within 7 days"),
        (SAME, "."),
    ]


def test_words_deleted_mid_line_are_marked_removed():
    [line] = diff_texts("Notify the Ministry of Health first.", "Notify the Ministry first.")
    assert _segments(line) == [
        (SAME, "Notify the Ministry "),
        (REMOVED, "of Health "),
        (SAME, "first."),
    ]


def test_a_replaced_phrase_reads_as_one_deletion_then_one_insertion():
    [line] = diff_texts("The quick brown fox jumps", "The slow red fox jumps")
    assert _segments(line) == [
        (SAME, "The "),
        (REMOVED, "quick brown"),
        (ADDED, "slow red"),
        (SAME, " fox jumps"),
    ]
    assert (line.before, line.after) == ("The quick brown fox jumps", "The slow red fox jumps")


def test_identical_texts_have_no_difference():
    text = "Line one.\n\nLine two with è and ü."
    assert diff_texts(text, text) == []
    assert diff_texts("", "") == []


def test_a_whitespace_only_change_is_marked_and_rejoins_exactly():
    [line] = diff_texts("Two  spaces here.", "Two spaces here. ")
    assert line.kind == CHANGED
    assert (line.before, line.after) == ("Two  spaces here.", "Two spaces here. ")
    assert (REMOVED, "  ") in _segments(line) and (ADDED, " ") in _segments(line)
    assert _segments(line)[-1] == (ADDED, " ")


def test_italian_words_with_accents_stay_whole():
    assert tokenize("Perché però è città?") == ["Perché", " ", "però", " ", "è", " ", "città", "?"]
    [line] = diff_texts("La sperimentazione è già iniziata.", "La sperimentazione è già conclusa.")
    assert _segments(line) == [
        (SAME, "La sperimentazione è già "),
        (REMOVED, "iniziata"),
        (ADDED, "conclusa"),
        (SAME, "."),
    ]


def test_tokens_rejoin_to_the_line_whatever_it_holds():
    line = "  Art. 70(1)\tMDR — «consenso» **bold** <b>x</b>  "
    assert "".join(tokenize(line)) == line


def test_a_text_against_nothing_is_all_added_and_nothing_after_is_all_removed():
    assert diff_texts("", "First.\n\nThird.") == [
        DiffLine(ADDED, (Segment(ADDED, "First."),)),
        DiffLine(ADDED, (Segment(ADDED, ""),)),
        DiffLine(ADDED, (Segment(ADDED, "Third."),)),
    ]
    assert [line.kind for line in diff_texts("a\nb", "")] == [REMOVED, REMOVED]


def test_lines_keep_their_breaks_and_a_rewritten_line_is_shown_whole():
    before = "Intro\n\n---\n\nMiddle\n+++ kept\nEnd"
    after = "Intro\n\nMiddle\n--- rule text\n++x\nEnd"
    lines = diff_texts(before, after)
    assert DiffLine(REMOVED, (Segment(REMOVED, "---"),)) in lines
    assert DiffLine(ADDED, (Segment(ADDED, "++x"),)) in lines
    assert _shown(lines) == (before.splitlines(), after.splitlines())


def test_long_unchanged_stretches_are_folded_with_three_lines_of_context():
    before = "\n".join(f"line {n}" for n in range(1, 31))
    after = before.replace("line 15", "line fifteen")
    lines = diff_texts(before, after)
    assert [line.kind for line in lines] == [FOLD, *[CONTEXT] * 3, CHANGED, *[CONTEXT] * 3, FOLD]
    assert (lines[0].folded, lines[-1].folded) == (11, 12)
    assert [line.after for line in lines[1:4]] == ["line 12", "line 13", "line 14"]
    assert _segments(lines[4]) == [(SAME, "line "), (REMOVED, "15"), (ADDED, "fifteen")]


def test_a_short_stretch_between_two_changes_is_not_folded():
    before = "\n".join(f"line {n}" for n in range(1, 11))
    after = before.replace("line 2", "line two").replace("line 9", "line nine")
    kinds = [line.kind for line in diff_texts(before, after)]
    assert FOLD not in kinds and kinds.count(CHANGED) == 2 and len(kinds) == 10


class _CountingMatcher(difflib.SequenceMatcher):
    """Records the size of every comparison asked of difflib: its work grows with it."""

    sizes: list[int] = []

    def set_seqs(self, a, b):
        _CountingMatcher.sizes.append(len(a) * len(b))
        super().set_seqs(a, b)


@pytest.fixture
def comparisons(monkeypatch):
    _CountingMatcher.sizes = []
    monkeypatch.setattr(diffs.difflib, "SequenceMatcher", _CountingMatcher)
    return _CountingMatcher.sizes


def test_two_100_kb_lines_are_marked_whole_without_a_word_pass(comparisons):
    words = [f"word{n}" for n in range(14_000)]  # about 100 KB
    before = " ".join(words)
    after = " ".join(words[:7000] + ["changed"] + words[7001:])
    lines = diff_texts(before, after)
    assert [line.kind for line in lines] == [REMOVED, ADDED]
    assert _shown(lines) == ([before], [after])
    assert comparisons == [1]  # only the line pass, one line against one


def test_100_kb_of_changed_lines_stays_within_the_word_budget(comparisons):
    clause = "the sponsor reports every serious adverse event to the competent authority"
    before_lines = [f"Line {n}: {clause}, and {clause}." for n in range(700)]
    after_lines = [f"Line {n}: {clause}, or {clause} at once." for n in range(700)]
    before, after = "\n".join(before_lines), "\n".join(after_lines)
    assert len(before) > 100_000
    lines = diff_texts(before, after)
    assert _shown(lines) == (before_lines, after_lines)
    # The budget ran out: early lines are marked word by word, the rest as whole lines.
    assert lines[0].kind == CHANGED and lines[-1].kind == ADDED
    line_pass, *word_passes = comparisons
    assert line_pass <= diffs.MAX_LINE_PAIRS
    assert sum(word_passes) <= diffs.MAX_WORD_PAIRS


def test_100_kb_of_reordered_short_lines_skips_the_line_pass(comparisons):
    before_lines = [f"{n}" for n in range(20_000)]
    after_lines = list(reversed(before_lines))
    lines = diff_texts("\n".join(before_lines), "\n".join(after_lines))
    assert _shown(lines) == (before_lines, after_lines)
    assert all(size <= diffs.MAX_WORD_PAIRS_PER_LINE for size in comparisons)
    assert sum(comparisons) <= diffs.MAX_WORD_PAIRS


def test_no_other_module_builds_a_diff_of_its_own():
    forum = Path(__file__).resolve().parents[2] / "forum"
    importers = sorted(
        str(path.relative_to(forum))
        for path in forum.rglob("*.py")
        if any(
            isinstance(node, (ast.Import, ast.ImportFrom))
            and "difflib"
            in (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
            )
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    )
    assert importers == ["services/diffs.py"]
