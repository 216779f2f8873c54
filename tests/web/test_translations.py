"""The guide and the FAQ in Italian: translations' states, the readers' fallback and notices,
side-by-side editing with the English's diff, histories, releases, the files, search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    FaqEntryTranslation,
    GuideReleaseTranslation,
    GuideSection,
    GuideSectionTranslation,
    GuideSectionTranslationRevision,
    Role,
    SearchDocument,
    SearchText,
)
from forum.services import answers, faq, faq_translations
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.guide import editing, importing, publishing, translated
from forum.services.search import finder
from forum.services.search.terms import index_terms
from forum.services.translations import TranslationConflict, TranslationState
from tests.factories import ask_question, topic_id
from tests.fixtures.diffs import deletions, insertions

ITALIAN = {"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}

SMALL = """# A small guide

An introduction that cites MDR Art. 70.

## Choosing the pathway

Pick the route before anything else [MDR Art. 62].

### Italy

Notify the Ministry of Health.

## Safety reporting

Report serious adverse events.
"""

# The same structure; "Safety reporting" left in English (not translated).
SMALL_IT = """# Una piccola guida

Un'introduzione che cita MDR Art. 70.

## Scegliere il percorso

Scegliete il percorso prima di tutto [MDR Art. 62].

### Italia

Notificate il Ministero della Salute.

## Safety reporting

Report serious adverse events.
"""


@pytest.fixture(autouse=True)
def _app_context(app):
    return app


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Giulia Admin")


def _section(title: str) -> GuideSection:
    return db.session.scalar(select(GuideSection).where(GuideSection.title == title))


def _translate(section, admin, title, body, *, base=None):
    existing = translated.TABLES.find(section.id, "it")
    return translated.edit_translation(
        section,
        admin,
        "it",
        title=title,
        body=body,
        source_number=section.current_number,
        base_number=existing.current_number if existing else 0 if base is None else base,
    )


def _article(page: str, anchor: str) -> str:
    """The HTML of one section of the guide page, from its heading to the next section."""
    start = page.rfind("<", 0, page.index(f'id="{anchor}"'))
    end = page.find('<section class="guide-', start + 1)
    return page[start : end if end != -1 else len(page)]


# --- the guide: states, the reader's fallback, the notices ---------------------------------


def test_an_italian_reader_gets_translations_and_the_english_marked_where_missing(client, admin):
    importing.import_guide(SMALL, None)
    _translate(
        _section("Choosing the pathway"),
        admin,
        "Scegliere il percorso",
        "Scegliete il percorso prima di tutto [MDR Art. 62].",
    )
    page = client.get("/guide", headers=ITALIAN).get_data(as_text=True)
    translated = _article(page, "choosing-the-pathway")
    assert '<h2 id="choosing-the-pathway">Scegliere il percorso</h2>' in translated
    assert "lang=" not in translated.split("</h2>")[0]
    missing = _article(page, "safety-reporting")
    assert '<h2 id="safety-reporting" lang="en">Safety reporting</h2>' in missing
    assert '<div class="post-body" lang="en">' in missing
    assert "Non ancora tradotto in italiano" in missing
    # The same page in English shows the source and no notice.
    english = client.get("/guide", headers=ENGLISH).get_data(as_text=True)
    assert "Choosing the pathway</h2>" in english and "Scegliere" not in english
    assert 'lang="en"' not in english.split("<main", 1)[1]


def test_a_section_edited_in_english_shows_its_translation_outdated_with_the_diff_until_translated_again(
    client, admin, login
):
    importing.import_guide(SMALL, None)
    section = _section("Safety reporting")
    _translate(
        section, admin, "Segnalazione della sicurezza", "Segnalate gli eventi avversi gravi."
    )
    assert translated.editing(section, "it").state == TranslationState.CURRENT
    editing.edit_section(
        section,
        admin,
        title="Safety reporting",
        body="Report serious adverse events within 7 days.",
        base_number=section.current_number,
    )

    page = client.get("/guide", headers=ITALIAN).get_data(as_text=True)
    notice = _article(page, "safety-reporting")
    assert "Segnalazione della sicurezza" in notice
    assert re.search(
        r"Il testo inglese è cambiato il [^;]+; questa traduzione potrebbe non "
        r"essere aggiornata",
        notice,
    )
    assert 'href="/guide?text=en#safety-reporting"' in notice

    login(admin)
    editor = client.get(f"/guide/sections/{section.id}/translations/it", headers=ITALIAN)
    body = editor.get_data(as_text=True)
    assert editor.status_code == 200
    assert 'badge-outdated">Da aggiornare</span>' in body
    assert insertions(body) == [" within 7 days"] and deletions(body) == []
    # Both texts side by side: the English (marked so) and the form in Italian; the diff's
    # hidden labels stay in the page's language inside the English.
    assert 'class="diff" lang="en"' in body and 'lang="it"' in body
    assert '<span class="visually-hidden" lang="it">aggiunto: </span>' in body

    saved = client.post(
        f"/guide/sections/{section.id}/translations/it",
        headers=ITALIAN,
        data={
            "title": "Segnalazione della sicurezza",
            "body": "Segnalate gli eventi avversi gravi entro 7 giorni.",
            "base_number": "1",
            "source_number": str(section.current_number),
        },
    )
    assert saved.status_code == 302
    page = client.get("/guide", headers=ITALIAN).get_data(as_text=True)
    assert "entro 7 giorni" in page and "potrebbe non essere aggiornata" not in page
    assert translated.editing(_section("Safety reporting"), "it").state == TranslationState.CURRENT


def test_the_english_link_shows_the_original_under_the_italian_interface(client, admin):
    importing.import_guide(SMALL, None)
    _translate(_section("Choosing the pathway"), admin, "Scegliere il percorso", "Testo.")
    page = client.get("/guide?text=en", headers=ITALIAN).get_data(as_text=True)
    assert '<html lang="it">' in page
    assert '<h2 id="choosing-the-pathway" lang="en">Choosing the pathway</h2>' in page
    assert "Stai leggendo l'originale inglese." in page


def test_saving_the_same_translation_against_the_new_english_confirms_it_current(admin):
    importing.import_guide(SMALL, None)
    section = _section("Safety reporting")
    _translate(section, admin, "Sicurezza", "Segnalate.")
    editing.edit_section(
        section,
        admin,
        title="Safety reporting",
        body="Report them.",
        base_number=section.current_number,
    )
    section = _section("Safety reporting")
    assert translated.editing(section, "it").state == TranslationState.OUTDATED
    revision = _translate(section, admin, "Sicurezza", "Segnalate.")
    assert revision.number == 2 and revision.source_number == section.current_number
    assert translated.editing(section, "it").state == TranslationState.CURRENT


def test_each_translation_keeps_its_own_revisions_and_history_page(client, admin):
    importing.import_guide(SMALL, None)
    section = _section("Safety reporting")
    _translate(section, admin, "Sicurezza", "Prima versione.")
    _translate(section, admin, "Sicurezza", "Seconda versione.", base=1)
    assert db.session.scalar(select(func.count()).select_from(GuideSectionTranslationRevision)) == 2
    page = client.get(
        f"/guide/sections/{section.id}/translations/it/history", headers=ITALIAN
    ).get_data(as_text=True)
    assert "Revisione 2" in page and "Revisione 1" in page
    # Revision 2 marks the one word it changed; revision 1, the first, is all added.
    assert insertions(page)[0] == "Seconda" and deletions(page) == ["Prima"]
    assert insertions(page)[1:] == ["Sicurezza", "Prima versione."]
    assert [
        entry.action
        for entry in db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == AuditAction.GUIDE_SECTION_TRANSLATED.value
            )
        )
    ]


def test_a_stale_save_is_a_conflict_and_bad_input_stays_beside_its_field(client, admin, login):
    importing.import_guide(SMALL, None)
    section = _section("Safety reporting")
    _translate(section, admin, "Sicurezza", "Prima.")
    with pytest.raises(TranslationConflict):
        translated.edit_translation(
            section, admin, "it", title="Sicurezza", body="Altra.", source_number=1, base_number=0
        )
    login(admin)
    url = f"/guide/sections/{section.id}/translations/it"
    empty = client.post(
        url,
        headers=ITALIAN,
        data={"title": "", "body": "Testo tenuto.", "base_number": "1", "source_number": "1"},
    )
    assert empty.status_code == 422
    assert "Testo tenuto." in empty.get_data(as_text=True)
    heading = client.post(
        url,
        headers=ITALIAN,
        data={
            "title": "Sicurezza",
            "body": "## Un titolo",
            "base_number": "1",
            "source_number": "1",
        },
    )
    assert heading.status_code == 422 and "## Un titolo" in heading.get_data(as_text=True)
    stale = client.post(
        url,
        headers=ITALIAN,
        data={"title": "Sicurezza", "body": "Nuovo.", "base_number": "0", "source_number": "1"},
    )
    assert stale.status_code == 409 and "Nuovo." in stale.get_data(as_text=True)
    taken = client.post(
        url,
        headers=ITALIAN,
        data={
            "title": "Choosing the pathway",
            "body": "X.",
            "base_number": "1",
            "source_number": "1",
        },
    )
    assert taken.status_code == 422  # the Italian file would have two equal anchors
    untranslated = client.post(
        url,
        headers=ITALIAN,
        data={
            "title": "Safety reporting",
            "body": "Report serious adverse events.",
            "base_number": "1",
            "source_number": "1",
        },
    )
    assert untranslated.status_code == 422
    assert "Questo è il testo inglese" in untranslated.get_data(as_text=True)


def test_only_admins_translate(make_user, admin):
    importing.import_guide(SMALL, None)
    with pytest.raises(PermissionDenied):
        translated.edit_translation(
            _section("Safety reporting"),
            make_user(Role.EXPERT),
            "it",
            title="X",
            body="",
            source_number=1,
            base_number=0,
        )
    with pytest.raises(RuleViolation):
        translated.edit_translation(
            _section("Safety reporting"),
            admin,
            "fr",
            title="X",
            body="",
            source_number=1,
            base_number=0,
        )


def test_the_italian_guide_page_costs_the_same_queries_however_many_translations(
    client, admin, count_queries
):
    importing.import_guide(SMALL, None)
    _translate(_section("Italy"), admin, "Italia", "Notificate.")
    with count_queries() as few:
        client.get("/guide?fresh=1", headers=ITALIAN)
    for title in ("Choosing the pathway", "Safety reporting"):
        _translate(_section(title), admin, f"{title} (it)", "Tradotto.")
    with count_queries() as many:
        client.get("/guide?fresh=2", headers=ITALIAN)
    assert len(many) == len(few)


# --- the files: export and import of both languages ------------------------------------------


def test_export_and_import_of_both_files_round_trip_byte_for_byte(app, tmp_path):
    (tmp_path / "guide.md").write_text(SMALL, encoding="utf-8")
    (tmp_path / "guide.it.md").write_text(SMALL_IT, encoding="utf-8")
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["guide", "import", str(tmp_path / "guide.md")])
    assert imported.exit_code == 0, imported.output
    assert "3 sections translated anew, 0 unchanged, 1 not translated" in imported.output
    assert db.session.scalar(select(func.count()).select_from(GuideSectionTranslation)) == 3
    out = tmp_path / "out"
    out.mkdir()
    exported = runner.invoke(args=["guide", "export", "--output", str(out / "guide.md")])
    assert exported.exit_code == 0, exported.output
    assert (out / "guide.md").read_bytes() == SMALL.encode()
    assert (out / "guide.it.md").read_bytes() == SMALL_IT.encode()
    # Importing the same files again changes nothing.
    again = runner.invoke(args=["guide", "import", str(tmp_path / "guide.md")])
    assert "0 sections translated anew, 3 unchanged, 1 not translated" in again.output


def test_the_projects_guide_files_round_trip_in_both_languages(app, tmp_path):
    """The project's own files: with docs/requirements_guide.it.md, both come back byte for
    byte; without it, every section is missing and the Italian export is the English."""
    english = Path(app.config["GUIDE_PATH"])
    italian = translated.translated_path(english, "it")
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["guide", "import", str(english)])
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "requirements_guide.md"
    assert runner.invoke(args=["guide", "export", "--output", str(out)]).exit_code == 0
    assert out.read_bytes() == english.read_bytes()
    expected = italian.read_bytes() if italian.is_file() else english.read_bytes()
    assert translated.translated_path(out, "it").read_bytes() == expected


def test_a_missing_italian_file_leaves_every_section_untranslated_on_a_fresh_import(app, tmp_path):
    (tmp_path / "guide.md").write_text(SMALL, encoding="utf-8")
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["guide", "import", str(tmp_path / "guide.md")])
    assert imported.exit_code == 0 and "translations into it are unchanged" in imported.output
    assert db.session.scalar(select(func.count()).select_from(GuideSectionTranslation)) == 0
    assert translated.export_current("it") == SMALL  # all in English: all missing


def test_an_italian_file_of_another_structure_is_refused_and_nothing_is_imported(app, tmp_path):
    (tmp_path / "guide.md").write_text(SMALL, encoding="utf-8")
    (tmp_path / "guide.it.md").write_text(
        SMALL_IT.replace("### Italia\n\nNotificate il Ministero della Salute.\n\n", ""),
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["guide", "import", str(tmp_path / "guide.md")])
    assert result.exit_code != 0
    assert "0 subsections" in result.output and "has 1" in result.output
    assert db.session.scalar(select(func.count()).select_from(GuideSection)) == 0


# --- releases in both languages --------------------------------------------------------------


def test_a_release_freezes_both_languages_and_serves_each(client, admin, login):
    importing.import_guide(SMALL, None)
    translated.import_translation(SMALL_IT, "it", None)
    publishing.release("1.0", "First", None)
    frozen = db.session.scalar(select(GuideReleaseTranslation))
    assert frozen.language == "it" and frozen.markdown == SMALL_IT
    # Later translation work does not touch the release.
    section = _section("Safety reporting")
    _translate(section, admin, "Segnalazione della sicurezza", "Segnalate gli eventi gravi.")
    download = client.get("/guide/releases/1.0/it.md")
    assert download.status_code == 200 and download.get_data(as_text=True) == SMALL_IT
    assert 'guide-1.0.it.md"' in download.headers["Content-Disposition"]
    assert client.get("/guide/releases/1.0.md").get_data(as_text=True) == SMALL
    assert client.get("/guide/releases/1.0/fr.md").status_code == 404
    page = client.get("/guide/releases/1.0", headers=ITALIAN).get_data(as_text=True)
    assert "Scegliere il percorso</h2>" in page
    assert '<h2 id="safety-reporting" lang="en">Safety reporting</h2>' in page
    # A translation alone is worth a release; the changelog in Italian shows it.
    publishing.release("1.1", "Italian safety reporting", None)
    changelog = client.get("/guide/changelog", headers=ITALIAN).get_data(as_text=True)
    assert "Segnalazione della sicurezza" in changelog
    english = client.get("/guide/changelog", headers=ENGLISH).get_data(as_text=True)
    assert "No section changed since version 1.0." in english
    compare = client.get("/guide/compare?from=1.0&to=1.1", headers=ITALIAN)
    assert "Segnalate gli eventi gravi." in compare.get_data(as_text=True)


def test_the_italian_pdf_of_a_release_is_in_italian(client):
    importing.import_guide(SMALL, None)
    translated.import_translation(SMALL_IT, "it", None)
    publishing.release("1.0", "First", None)
    response = client.get("/guide/releases/1.0/it.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert "Una piccola guida" in text and "Scegliere il percorso" in text


# --- the FAQ ------------------------------------------------------------------------------


@pytest.fixture
def entry(make_user, admin):
    question = ask_question(make_user(name="Anna Asker"))
    answer = answers.post_answer(
        question,
        make_user(Role.EXPERT),
        "Notify the Ministry of Health 30 days before (MDR Art. 74(1)).",
    )
    return faq.promote_answer(
        admin,
        answer,
        question_text="Do we notify a PMCF study?",
        answer_text=answer.body,
        topic=db.session.get(__import__("forum.models", fromlist=["Topic"]).Topic, topic_id()),
    )


def test_faq_entries_read_in_italian_fall_back_to_marked_english_and_go_outdated(
    client, admin, entry, login
):
    page = client.get("/faq", headers=ITALIAN).get_data(as_text=True)
    assert '<h3 lang="en">Do we notify a PMCF study?</h3>' in page
    assert "Non ancora tradotto in italiano" in page

    login(admin)
    editor = client.get(f"/faq/entries/{entry.id}/translations/it", headers=ITALIAN)
    assert editor.status_code == 200 and "Do we notify a PMCF study?" in editor.get_data(
        as_text=True
    )
    saved = client.post(
        f"/faq/entries/{entry.id}/translations/it",
        headers=ITALIAN,
        data={
            "title": "Dobbiamo notificare uno studio PMCF?",
            "body": "Notificate il Ministero della Salute 30 giorni prima (MDR Art. 74(1)).",
            "base_number": "0",
            "source_number": "1",
        },
    )
    assert saved.status_code == 302
    client.post("/logout")
    page = client.get("/faq", headers=ITALIAN).get_data(as_text=True)
    assert "<h3>Dobbiamo notificare uno studio PMCF?</h3>" in page
    assert "Non ancora tradotto" not in page

    faq.edit_entry(
        db.session.get(type(entry), entry.id),
        admin,
        "Do we notify a PMCF study?",
        "Notify it 30 days before the first patient (MDR Art. 74(1)).",
        db.session.get(type(entry), entry.id).topic,
    )
    page = client.get("/faq", headers=ITALIAN).get_data(as_text=True)
    assert "questa traduzione potrebbe non essere aggiornata" in page
    assert f'href="/faq?text=en&amp;entry={entry.id}#faq-{entry.id}"' in page
    login(admin)
    body = client.get(f"/faq/entries/{entry.id}/translations/it", headers=ITALIAN).get_data(
        as_text=True
    )
    assert insertions(body) == ["it", " the first patient"]
    assert deletions(body) == ["the Ministry of Health"]
    admin_list = client.get("/faq/admin", headers=ITALIAN).get_data(as_text=True)
    assert "badge-outdated" in admin_list
    history = client.get(f"/faq/entries/{entry.id}/translations/it/history", headers=ITALIAN)
    assert "Revisione 1" in history.get_data(as_text=True)


def test_faq_translation_refuses_an_empty_question_beside_the_field(client, admin, entry, login):
    login(admin)
    response = client.post(
        f"/faq/entries/{entry.id}/translations/it",
        headers=ITALIAN,
        data={"title": " ", "body": "Risposta tenuta.", "base_number": "0", "source_number": "1"},
    )
    assert response.status_code == 422
    assert "Risposta tenuta." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(FaqEntryTranslation)) == 0


# --- search -------------------------------------------------------------------------------


def test_italian_texts_are_found_by_italian_words_and_listed_once(admin, entry):
    importing.import_guide(SMALL, None)
    _translate(
        _section("Safety reporting"),
        admin,
        "Segnalazione della sicurezza",
        "Segnalate gli eventi avversi gravi al Ministero.",
    )
    faq_translations.edit_translation(
        entry,
        admin,
        "it",
        title="Dobbiamo notificare?",
        body="Notificate lo studio trenta giorni prima.",
        source_number=1,
        base_number=0,
    )
    found = finder.search(None, "segnalazione eventi avversi")
    guide_hits = [hit for hit in found.hits if hit.kind == "guide"]
    assert [hit.title for hit in guide_hits][:1] == ["Safety reporting"]
    assert len({hit.object_id for hit in guide_hits}) == len(guide_hits)
    faq_hits = finder.search(None, "trenta giorni").hits
    assert [hit.object_id for hit in faq_hits if hit.kind == "faq"] == [entry.id]
    # English words still find the same one document.
    english = [
        hit for hit in finder.search(None, "serious adverse events").hits if hit.kind == "guide"
    ]
    assert len(english) == 1


def test_a_translation_adds_no_second_score_for_words_its_source_already_has(admin):
    # An English query brings the Italian equivalents of its words (search_glossary):
    # had the translation's "eventi avversi gravi" been indexed beside the source's
    # "serious adverse events", the section would score each word twice and outrank
    # the questions it was drawn from.
    importing.import_guide(SMALL, None)
    section = _section("Safety reporting")
    _translate(
        section,
        admin,
        "Segnalazione della sicurezza",
        "Segnalate gli eventi avversi gravi al Ministero entro trenta giorni.",
    )
    indexed = db.session.execute(
        select(SearchText.title_terms, SearchText.body_terms)
        .join(SearchDocument, SearchDocument.id == SearchText.document_id)
        .where(SearchDocument.guide_section_id == section.id)
    ).one()
    terms = set(" ".join(indexed).split())
    source = set(index_terms("Safety reporting. Report serious adverse events.").split())
    # Of the translation, only the words the English does not say are indexed, as Italian
    # (its Italian stems only: search_text.word_terms), and they find the section.
    assert terms - source == set(index_terms("Ministero entro trenta giorni", "it").split())
    assert [
        hit.object_id for hit in finder.search(None, "trenta giorni").hits if hit.kind == "guide"
    ] == [section.id]


def test_the_search_page_lists_a_translated_text_under_its_title_in_the_readers_language(
    client, admin
):
    importing.import_guide(SMALL, None)
    _translate(
        _section("Safety reporting"),
        admin,
        "Segnalazione della sicurezza",
        "Segnalate gli eventi avversi gravi al Ministero.",
    )
    italian = client.get("/search?q=eventi+avversi", headers=ITALIAN).get_data(as_text=True)
    assert "Segnalazione della sicurezza" in italian
    assert italian.count('href="/guide#safety-reporting"') == 1
    english = client.get("/search?q=adverse+events", headers=ENGLISH).get_data(as_text=True)
    assert "Safety reporting" in english and "Segnalazione" not in english.split("<ol", 1)[1]
    # In Italian, an untranslated text's English title is marked so.
    untranslated = client.get("/search?q=notify+ministry", headers=ITALIAN).get_data(as_text=True)
    assert '<a href="/guide#italy" lang="en">' in untranslated


# --- experts' proposals in Italian ----------------------------------------------------------


def test_an_expert_proposes_a_translation_and_the_admin_accepts_it_crediting_them(
    client, admin, make_user, login
):
    from forum.models import GuideProposal
    from forum.services.guide import proposals

    importing.import_guide(SMALL, None)
    section = _section("Safety reporting")
    expert = make_user(Role.EXPERT, name="Elena Research")
    login(expert)
    form = client.get(f"/guide/sections/{section.id}/propose?language=it", headers=ITALIAN)
    assert form.status_code == 200
    assert 'name="language" type="hidden" value="it"' in form.get_data(as_text=True)
    sent = client.post(
        f"/guide/sections/{section.id}/propose",
        headers=ITALIAN,
        data={
            "language": "it",
            "title": "Segnalazione della sicurezza",
            "body": "Segnalate gli eventi avversi gravi.",
        },
    )
    assert sent.status_code == 302
    proposal = db.session.scalar(select(GuideProposal))
    assert proposal.language == "it" and proposal.base_number == section.current_number
    english = client.post(
        f"/guide/sections/{section.id}/propose",
        headers=ITALIAN,
        data={
            "language": "it",
            "title": "Safety reporting",
            "body": "Report serious adverse events.",
        },
    )
    assert english.status_code == 422  # the English is not a translation

    login(admin)
    shown = client.get(f"/guide/proposals/{proposal.id}", headers=ITALIAN).get_data(as_text=True)
    assert "Segnalazione della sicurezza" in insertions(shown)
    revision = proposals.accept(db.session.get(GuideProposal, proposal.id), admin)
    assert revision.proposer_id == expert.id and revision.source_number == section.current_number
    # The English section is untouched; the Italian reads as proposed, current.
    assert _section("Safety reporting").body == "Report serious adverse events."
    assert translated.editing(_section("Safety reporting"), "it").state == TranslationState.CURRENT
    history = client.get(
        f"/guide/sections/{section.id}/translations/it/history", headers=ITALIAN
    ).get_data(as_text=True)
    assert "Elena Research" in history


# --- the API ---------------------------------------------------------------------------


def test_the_api_gives_the_guide_and_a_releases_file_in_italian(client, admin):
    importing.import_guide(SMALL, None)
    translated.import_translation(SMALL_IT, "it", None)
    publishing.release("1.0", "First", None)
    italian = client.get("/api/v1/guide?language=it").get_json()
    assert (italian["title"], italian["lang"], italian["translation_state"]) == (
        "Una piccola guida",
        "it",
        "current",
    )
    pathway, safety = italian["sections"]
    assert (pathway["title"], pathway["lang"]) == ("Scegliere il percorso", "it")
    assert (safety["title"], safety["lang"], safety["translation_state"]) == (
        "Safety reporting",
        "en",
        "missing",
    )
    english = client.get("/api/v1/guide").get_json()
    assert english["sections"][0]["title"] == "Choosing the pathway"
    assert english["sections"][0]["translation_state"] is None
    assert (
        client.get("/api/v1/guide/releases/1.0.md?language=it").get_data(as_text=True) == SMALL_IT
    )
    refused = client.get("/api/v1/guide?language=fr")
    assert refused.status_code == 400
    assert refused.get_json()["errors"][0]["field"] == "language"


def test_the_api_gives_faq_entries_in_italian_or_in_english_marked_so(client, admin, entry):
    assert (
        client.get("/api/v1/faq?language=it").get_json()["items"][0]["translation_state"]
        == "missing"
    )
    faq_translations.edit_translation(
        entry,
        admin,
        "it",
        title="Dobbiamo notificare?",
        body="Sì, 30 giorni prima.",
        source_number=1,
        base_number=0,
    )
    item = client.get(f"/api/v1/faq/{entry.id}?language=it").get_json()
    assert (item["question"], item["lang"], item["translation_state"]) == (
        "Dobbiamo notificare?",
        "it",
        "current",
    )
    english = client.get(f"/api/v1/faq/{entry.id}").get_json()
    assert (english["question"], english["lang"]) == ("Do we notify a PMCF study?", "en")
