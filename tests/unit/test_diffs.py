"""The forum's one line diff: every changed line is shown, whatever it starts with."""

from __future__ import annotations

import ast
import difflib
from pathlib import Path

from forum.services.revisions import DiffLine, diff_texts
from tests.factories import ask_question, question_form

# Lines a unified diff prints as "----", "+---", "-+++", "+++x": they look like its headers.
BEFORE = "Intro\n\n---\n\nMiddle\n+++ kept\nEnd"
AFTER = "Intro\n\nMiddle\n--- rule text\n++x\nEnd"


def test_lines_starting_with_dashes_or_pluses_are_diffed_like_any_other():
    diff = diff_texts(BEFORE, AFTER)
    assert DiffLine("removed", "---") in diff
    assert DiffLine("removed", "+++ kept") in diff
    assert DiffLine("added", "--- rule text") in diff
    assert DiffLine("added", "++x") in diff
    assert [line.kind for line in diff].count("hunk") == 1
    assert diff[0] == DiffLine("hunk", "@@ -1,7 +1,6 @@")


def test_a_text_against_nothing_is_all_added_and_equal_texts_have_no_diff():
    assert diff_texts("", "---\n+++\nx") == [
        DiffLine("hunk", "@@ -0,0 +1,3 @@"),
        DiffLine("added", "---"),
        DiffLine("added", "+++"),
        DiffLine("added", "x"),
    ]
    assert diff_texts(AFTER, AFTER) == []


def test_hunks_keep_two_lines_of_context_and_number_like_a_unified_diff():
    before = "\n".join(f"line {n}" for n in range(1, 21))
    after = before.replace("line 5", "---").replace("line 16", "+++")
    expected = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2)
    ][2:]
    ours = [
        line.text
        if line.kind == "hunk"
        else {"added": "+", "removed": "-", "context": " "}[line.kind] + line.text
        for line in diff_texts(before, after)
    ]
    assert ours == expected


def test_a_question_history_shows_a_removed_rule_and_an_added_plus_line(client, make_user, login):
    author = make_user()
    question = ask_question(
        author,
        title="Do we need Ministry authorisation for a class IIb study?",
        body="Our monitor is ready.\n\n---\n\nSecond part of the question.",
    )
    login(author)
    client.post(
        f"/questions/{question.id}/edit",
        data=question_form(body="Our monitor is ready.\n\nSecond part of the question.\n++x"),
    )
    history = client.get(f"/questions/{question.id}/revisions").get_data(as_text=True)
    assert '<span class="diff-removed">- ---</span>' in history
    assert '<span class="diff-added">+ ++x</span>' in history


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
    assert importers == ["services/revisions.py"]
