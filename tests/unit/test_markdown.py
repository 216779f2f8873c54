"""User Markdown is rendered, then cleaned: no script, handler or javascript: link survives."""

from __future__ import annotations

import pytest

from forum.markdown_render import mark_english_citations, render_markdown
from forum.models import Role
from forum.services import answers
from tests.factories import ask_question

DANGEROUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript&#58;alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "![x](javascript:alert(1))",
    '<p onclick="alert(1)">para</p>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<form action="https://evil.example"><button>go</button></form>',
]


@pytest.mark.parametrize("source", DANGEROUS)
def test_dangerous_markup_never_survives(source):
    html = str(render_markdown(source)).lower()
    for forbidden in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<iframe",
        "<svg",
        "style=",
        "data:text",
        "<form",
    ):
        assert forbidden not in html, (source, html)


def test_ordinary_markdown_renders():
    html = str(render_markdown("**MDR** Art. 70\n\n- one\n- two\n\n[guide](https://example.org)"))
    assert "<strong>MDR</strong>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer ugc"' in html


def test_a_posted_script_is_shown_as_nothing_harmful(client, make_user, login, app):
    author = make_user()
    question = ask_question(
        author, body="Hello <script>alert('q')</script> **world** [x](javascript:alert(2))"
    )
    answers.post_answer(
        question,
        make_user(Role.EXPERT),
        "An answer with <img src=x onerror=alert(3)> inside it, citing MDR Art. 70.",
    )
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "onerror" not in page and "javascript:alert" not in page
    assert "<strong>world</strong>" in page


def test_no_template_has_inline_script_or_event_handlers(app):
    import re
    from pathlib import Path

    from forum.config import PROJECT_ROOT

    for template in Path(PROJECT_ROOT, "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert "|safe" not in text.replace(" ", ""), template


def test_a_span_keeps_only_its_language():
    html = str(
        render_markdown(
            'Il <span lang="en" style="color:red" onclick="x()">clinical benefit</span> conta.'
        )
    )
    assert '<span lang="en">clinical benefit</span>' in html
    assert "style" not in html and "onclick" not in html


def test_citations_are_marked_english_on_other_languages_pages_only():
    html = render_markdown("Vedi [MDR Art. 70] [L1] e [il sito](https://example.org/a[1]).")
    marked = str(mark_english_citations(html, "it"))
    assert '<span lang="en">[MDR Art. 70]</span> <span lang="en">[L1]</span>' in marked
    # A bracket inside a tag's attribute is left alone: the link still works.
    assert 'href="https://example.org/a[1]"' in marked
    assert mark_english_citations(html, "en") == html
