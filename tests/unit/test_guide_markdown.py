"""The guide's Markdown: parsing into a tree, rendering back byte for byte, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.services.guide.markdown import (
    GuideDocument,
    GuideFormatError,
    Section,
    anchor_for,
    check_body,
    clean_body,
    decode,
    first_difference,
    parse,
    render,
)

GUIDE_FILE = Path(__file__).resolve().parents[2] / "docs" / "requirements_guide.md"


def test_the_projects_guide_parses_into_sections_and_renders_back_byte_for_byte():
    data = GUIDE_FILE.read_bytes()
    document = parse(decode(data))
    assert document.title == "Requirements for a sound clinical investigation of a medical device"
    assert document.introduction.startswith("This guide is for small companies")
    assert [section.level for section in document.sections] == [2] * len(document.sections)
    first = document.sections[0]
    assert (first.title, first.anchor) == (
        "Is my study a clinical investigation?",
        "is-my-study-a-clinical-investigation",
    )
    assert first.children[0].title == "Do you need a pre-market investigation at all?"
    assert first.children[0].level == 3
    ending = next(
        section
        for section in document.sections
        if section.title == "Ending the study and reporting"
    )
    assert ending.body == "" and ending.children  # a heading straight after a heading
    assert render(document).encode("utf-8") == data
    assert first_difference(data.decode("utf-8")) is None


def test_hash_lines_inside_code_fences_are_text_not_headings():
    text = "# Guide\n\n## Setup\n\n```sh\n# a shell comment\n## not a section\n```\n\n~~~\n### nor this\n~~~\n"
    document = parse(text)
    assert [section.title for section in document.walk()] == ["Setup"]
    assert "# a shell comment" in document.sections[0].body
    assert render(document) == text


def test_a_longer_fence_closes_only_with_as_many_marks():
    text = "# Guide\n\n## A\n\n````\n```\n## still code\n```\n````\n"
    assert [section.title for section in parse(text).walk()] == ["A"]


def test_inline_code_of_three_backticks_does_not_open_a_fence():
    text = "# Guide\n\n## A\n\n```inline``` code\n\n## B\n"
    assert [section.title for section in parse(text).walk()] == ["A", "B"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "title"),
        ("Guide\n\n## A\n", 1, "title"),
        ("\n# Guide\n", 1, "title"),
        ("## Guide\n", 1, "title"),
        ("# Guide\n\n### Early\n", 3, "after a “##” section"),
        ("# Guide\n\n## A\n\n#### Deep\n", 5, "down to “###”"),
        ("# Guide\n\n## A\n\n###### Deeper\n", 5, "down to “###”"),
        ("# Guide\n\n##\n", 3, "no title"),
        ("# Guide\n\n##    \n", 3, "no title"),
        ("#\n", 1, "no title"),
        ("# Guide\n\n## ???\n", 3, "letter or digit"),
        ("# Guide\n\n## Ethics\n\ntext\n\n## ethics\n", 7, "line 3"),
        ("# Guide\n\n## Guide\n", 3, "line 1"),
        ("# Guide\n\n## A\n\n# Another title\n", 5, "first line"),
        ("# Guide\n\n## A\n\n```\n## B\n", 5, "never closed"),
        ("# Guide\n\n## A\n\ntext\x00more\n", 5, "NUL"),
        ("# Guide\n\n## " + "x" * 201 + "\n", 3, "at most 200"),
        ("# Guide\n\n## A\tB\x07\n", 3, "one line"),
    ],
)
def test_a_malformed_guide_is_refused_with_the_line_at_fault(text, line, words):
    with pytest.raises(GuideFormatError) as refused:
        parse(text)
    assert refused.value.line == line
    assert words in str(refused.value.message)


def test_invalid_utf8_is_reported_at_its_line():
    with pytest.raises(GuideFormatError) as refused:
        decode(b"# Guide\n\n## A\n\ncaf\xe9\n")
    assert refused.value.line == 5


def test_harmless_departures_are_normalised_and_first_difference_finds_them():
    sloppy = "\ufeff# Guide  \r\n\r\n\r\nIntro.\r\n##   A\r\n\r\nBody.\r\n\r\n\r\n"
    document = parse(sloppy)
    assert render(document) == "# Guide\n\nIntro.\n\n## A\n\nBody.\n"
    assert first_difference("# Guide\n\nIntro.\n## A\n") == 4
    assert first_difference("# Guide\n\nIntro.") == 3
    assert first_difference(render(document)) is None


def test_a_body_with_a_heading_or_an_open_fence_cannot_go_under_a_heading():
    check_body("Plain text.\n\n```\n# fine in code\n```")
    with pytest.raises(GuideFormatError) as heading:
        check_body("One.\n\n## Two")
    assert heading.value.line == 3
    with pytest.raises(GuideFormatError) as fence:
        check_body("One.\n\n~~~\ncode")
    assert fence.value.line == 3
    assert clean_body("\r\n\r\n  \r\nText  \r\nmore\r\n\r\n") == "Text  \nmore"


# --- properties ------------------------------------------------------------------

_WORDS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.:;()[]'?!-/*_àéü",
    min_size=1,
    max_size=40,
)
_TITLES = _WORDS.map(str.strip).filter(
    lambda title: any(c.isascii() and c.isalnum() for c in title) and not title.startswith("#")
)
# A text line that is not a heading, a fence or blank.
_LINES = st.text(alphabet="abcdefghij XYZ0123456789#`~-*>|.[]()", min_size=1, max_size=30).filter(
    lambda line: (
        line.strip() and not line.startswith("#") and "```" not in line and "~~~" not in line
    )
)
_FENCED = st.lists(
    st.one_of(_LINES, st.sampled_from(["# comment", "## not a heading", "", "### x"])), max_size=4
).map(lambda lines: "\n".join(["```text", *lines, "```"]))
_BLOCKS = st.lists(
    st.one_of(st.lists(_LINES, min_size=1, max_size=3).map("\n".join), _FENCED), max_size=4
)
_BODIES = st.tuples(_BLOCKS, st.sampled_from(["\n\n", "\n\n\n"])).map(
    lambda pair: pair[1].join(pair[0])
)


@st.composite
def documents(draw) -> GuideDocument:
    titles = draw(st.lists(_TITLES, min_size=1, max_size=9, unique_by=anchor_for))
    title, rest = titles[0], titles[1:]
    sections: list[Section] = []
    while rest:
        count = draw(st.integers(min_value=0, max_value=len(rest) - 1))
        heading, subs, rest = rest[0], rest[1 : 1 + count], rest[1 + count :]
        children = tuple(Section(3, sub, draw(_BODIES)) for sub in subs)
        sections.append(Section(2, heading, draw(_BODIES), children))
    return GuideDocument(title, draw(_BODIES), tuple(sections))


@settings(max_examples=300)
@given(documents())
def test_any_guide_tree_renders_to_text_that_parses_back_to_the_same_tree(document):
    text = render(document)
    assert parse(text) == document
    assert render(parse(text)) == text
    assert first_difference(text) is None


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("#`~ \n\r\tab1-")) | st.characters(), max_size=200))
def test_any_text_is_either_refused_with_a_line_or_normalised_stably(text):
    try:
        document = parse(text)
    except GuideFormatError as error:
        assert 1 <= error.line <= text.count("\n") + text.count("\r") + 1
        return
    canonical = render(document)
    assert parse(canonical) == document
    assert render(parse(canonical)) == canonical
