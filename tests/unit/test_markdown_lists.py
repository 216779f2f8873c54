"""Lists and line breaks as GitHub comments and Discourse render them (issue 26, item 3)."""

from __future__ import annotations

import time

from forum.markdown_lists import separate_lists
from forum.markdown_render import render_markdown


def html(text: str) -> str:
    return str(render_markdown(text))


def test_a_list_right_under_a_line_of_text_is_a_list():
    rendered = html("Documents needed:\n- the plan\n- the brochure")
    assert rendered == (
        "<p>Documents needed:</p>\n<ul>\n<li>the plan</li>\n<li>the brochure</li>\n</ul>"
    )


def test_an_ordered_list_under_text_starts_at_one_and_a_sentence_starting_with_a_year_does_not():
    assert "<ol>\n<li>Write the plan</li>" in html("Steps:\n1. Write the plan\n2. Submit it")
    sentence = html("The decree came into force in\n2024. We applied at once.")
    assert "<ol" not in sentence and "<li" not in sentence
    assert "in<br>\n2024. We applied" in sentence


def test_an_ordered_list_keeps_its_start_number():
    assert '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>' in html("3. third\n4. fourth")


def test_a_nested_list_under_text_stays_nested_and_tight():
    rendered = html("Sites:\n- Milan\n    - Niguarda\n    - San Raffaele\n- Pavia")
    assert rendered.startswith("<p>Sites:</p>\n<ul>\n<li>Milan<ul>")
    assert "<li>Niguarda</li>" in rendered and "<li>Pavia</li>" in rendered
    assert "<p>Milan" not in rendered  # no blank line was put inside the list


def test_a_single_newline_inside_a_paragraph_is_a_line_break():
    assert html("Dear board,\nthank you.\n\nAnna") == (
        "<p>Dear board,<br>\nthank you.</p>\n<p>Anna</p>"
    )


def test_code_blocks_are_left_as_written():
    fenced = html("Run:\n```\nstep one\n- not a list\nstep two\n```")
    assert "<pre><code>step one\n- not a list\nstep two\n</code></pre>" in fenced
    assert "<br>" not in fenced.split("<pre>")[1]
    indented = html("Example:\n\n    line one\n    - line two")
    assert "<pre><code>line one\n- line two\n</code></pre>" in indented


def test_an_unclosed_fence_is_text_and_a_list_after_it_still_starts():
    rendered = html("```\nNeeded:\n- a")
    assert "<li>a</li>" in rendered


def test_quotes_and_lazy_list_lines_are_not_split():
    assert separate_lists("> quoted\n- still the quote's") == "> quoted\n- still the quote's"
    assert separate_lists("- a\nlazy line\n- b") == "- a\nlazy line\n- b"


def test_tables_still_render():
    rendered = html("| Class | Days |\n|---|---|\n| IIa | 60 |")
    assert "<table>" in rendered and "<td>IIa</td>" in rendered and "<br>" not in rendered


def test_separating_lists_is_linear():
    text = "Needed:\n- a\n```\n" * 20000  # many fences never closed: no search from each
    start = time.thread_time()  # CPU time: other processes' load does not count
    separate_lists(text)
    assert time.thread_time() - start < 2.0
