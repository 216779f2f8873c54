"""The released guide's Italian text (docs/requirements_guide.it.md) stays a faithful twin of
the English: same sections in the same order, the same citations and the same URLs, so a
reader of either language meets the same rules with the same sources."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from forum.config import PROJECT_ROOT
from forum.services.guide import markdown
from forum.slugs import slugify

ENGLISH = PROJECT_ROOT / "docs" / "requirements_guide.md"
ITALIAN = PROJECT_ROOT / "docs" / "requirements_guide.it.md"
# A citation is bracketed text not followed by a link target: [MDR Art. 70], [L1].
CITATION = re.compile(r"\[[^\]\n]+\](?!\()")
URL = re.compile(r"https?://[^\s)>\]]+")


@pytest.fixture(scope="module")
def texts() -> tuple[str, str]:
    return ENGLISH.read_text(encoding="utf-8"), ITALIAN.read_text(encoding="utf-8")


def _shape(document) -> list[int]:
    return [len(section.children) for section in document.sections]


def _bodies(document) -> list[str]:
    return [document.introduction] + [
        body
        for section in document.sections
        for body in [section.body] + [child.body for child in section.children]
    ]


def test_the_italian_guide_is_in_canonical_form(texts):
    _, italian = texts
    assert markdown.first_difference(italian) is None
    assert markdown.render(markdown.parse(italian)) == italian


def test_the_italian_guide_has_the_english_structure_and_its_own_anchors(texts):
    english, italian = (markdown.parse(text) for text in texts)
    assert _shape(italian) == _shape(english)
    titles = [section.title for section in italian.sections] + [
        child.title for section in italian.sections for child in section.children
    ]
    assert len({slugify(title) for title in titles}) == len(titles)


def test_each_part_cites_the_same_sources_as_its_english_twin(texts):
    english, italian = (markdown.parse(text) for text in texts)
    for english_body, italian_body in zip(_bodies(english), _bodies(italian), strict=True):
        assert Counter(CITATION.findall(italian_body)) == Counter(CITATION.findall(english_body))


def test_the_italian_guide_links_the_same_official_texts(texts):
    english, italian = texts
    assert Counter(URL.findall(italian)) == Counter(URL.findall(english))
