"""The guide page's document kept per text (forum/web/guide/reading.py): rendered once for
every reader who is not a curator, and new at once after any change of what it shows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import GuideSection, Role
from forum.services.guide import editing, importing, translated

GUIDE = """# A small guide

An introduction that cites MDR Art. 70.

## Choosing the pathway

Pick the route before anything else [MDR Art. 62].

### Italy

Notify the Ministry of Health.

## Safety reporting

Report serious adverse events.
"""


@pytest.fixture
def guide(app):
    app.config["PAGE_CACHE_SECONDS"] = 0  # the document is rendered, not the page served
    importing.import_guide(GUIDE, None)
    return app


def _section(title: str) -> GuideSection:
    return db.session.scalar(select(GuideSection).where(GuideSection.title == title))


def _kept(app) -> dict:
    return app.extensions.get("guide_reading", {})


def _page(client, language: str = "en") -> str:
    response = client.get("/guide", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_visitor_gets_the_document_rendered_once(guide, client, make_user, login):
    first = _page(client)
    assert len(_kept(guide)) == 1
    login(make_user())  # a member who is neither curator nor expert reads the same document
    member_page = _page(client)
    assert len(_kept(guide)) == 1
    assert "Notify the Ministry of Health." in member_page
    start = first.index('<nav class="toc"')
    end = first.index("</article>")
    assert member_page[start - 200 :].count(first[start:end]) == 1


def test_an_edit_is_shown_at_once(guide, client, make_user):
    assert "Report serious adverse events." in _page(client)
    safety = _section("Safety reporting")
    editing.edit_section(
        safety,
        make_user(Role.ADMIN),
        title="Safety reporting",
        body="Report every serious adverse event within seven days.",
        base_number=safety.current_number,
    )
    page = _page(client)
    assert "Report every serious adverse event within seven days." in page
    assert "Report serious adverse events." not in page


def test_a_review_date_is_shown_at_once(guide, client, make_user):
    assert "Not reviewed since it was loaded." in _page(client)
    editing.mark_reviewed(_section("Italy"), make_user(Role.ADMIN), today=date(2026, 3, 5))
    assert "Last reviewed Mar 5, 2026." in _page(client)


def test_each_language_and_each_translation_gets_its_own_document(guide, client, make_user):
    assert "Non ancora tradotto in italiano" not in _page(client)
    assert "Non ancora tradotto in italiano" in _page(client, "it")
    italy = _section("Italy")
    translated.edit_translation(
        italy,
        make_user(Role.ADMIN),
        "it",
        title="Italia",
        body="Notificare il Ministero della Salute.",
        source_number=italy.current_number,
        base_number=0,
    )
    assert "Notificare il Ministero della Salute." in _page(client, "it")
    assert "Notificare" not in _page(client)
    assert len(_kept(guide)) == 3  # English; Italian before and after the translation


def test_a_curators_forms_are_never_kept_nor_shown_to_anyone_else(guide, client, make_user, login):
    login(make_user(Role.ADMIN))
    curated = _page(client)
    assert "Mark reviewed today" in curated and 'name="csrf_token"' in curated
    assert len(_kept(guide)) == 0
    client.post("/logout")
    visitor = _page(client)
    assert "Mark reviewed today" not in visitor and 'name="csrf_token"' not in visitor
    assert len(_kept(guide)) == 1


def test_an_experts_proposal_links_are_kept_apart_from_the_visitors_document(
    guide, client, make_user, login
):
    login(make_user(Role.EXPERT))
    assert "Propose a change" in _page(client)
    client.post("/logout")
    assert "Propose a change" not in _page(client)
    assert len(_kept(guide)) == 2
