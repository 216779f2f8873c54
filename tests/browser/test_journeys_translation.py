"""The translation journey, end to end in Chromium with an Italian browser.

An admin translates a guide section side by side with its English; an Italian
visitor reads it in Italian, and the untranslated sections in English marked
lang="en". The admin edits the section's English: the visitor sees the dated
notice that the translation may be out of date, the admin sees in the editor
what changed in the English, translates it again, and the notice is gone.
"""

from __future__ import annotations

import re

from forum.models import Role
from forum.services.guide import importing
from tests.browser.chromium import local_context, log_in
from tests.fixtures.people import PASSWORD

GUIDE = """# A small guide

An introduction.

## Choosing the pathway

Pick the route before anything else.

## Safety reporting

Report serious adverse events.
"""

# "Traduci" and the section's title, hidden but for screen readers (Chromium puts a space
# between the two in the link's name).
TRANSLATE_SAFETY = re.compile(r"^Traduci\W+Safety reporting$")


def _save(page) -> None:
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()


def test_an_admin_translates_a_section_and_translates_it_again_after_the_english_changes(
    app,
    chromium,
    live_server,
    make_user,  # noqa: F811  (fixtures)
):
    admin = make_user(Role.ADMIN, name="Giulia Admin")
    importing.import_guide(GUIDE, None)
    admin_context = local_context(chromium, live_server, locale="it-IT")
    reader_context = local_context(chromium, live_server, locale="it-IT")
    try:
        page = admin_context.new_page()
        log_in(page, live_server, admin.email, PASSWORD)
        page.goto(live_server.url("/guide/translations/it"))
        page.get_by_role("link", name=TRANSLATE_SAFETY).click()
        page.wait_for_load_state()
        assert (
            page.locator(".translation-source .post-body").inner_text()
            == "Report serious adverse events."
        )
        page.locator("#title").fill("Segnalazione della sicurezza")
        page.locator("#body").fill("Segnalate gli eventi avversi gravi.")
        _save(page)
        assert page.get_by_text("La revisione 1 della traduzione è salvata.").is_visible()

        reader = reader_context.new_page()
        reader.goto(live_server.url("/guide"))
        heading = reader.locator("h2#safety-reporting")
        assert heading.inner_text() == "Segnalazione della sicurezza"
        assert heading.get_attribute("lang") is None
        assert reader.locator("h2#choosing-the-pathway").get_attribute("lang") == "en"

        # The English changes: the translation is outdated for its readers.
        page.goto(live_server.url("/guide"))
        page.locator("section[aria-labelledby=safety-reporting] a", has_text="Modifica").click()
        page.wait_for_load_state()
        page.locator("#body").fill("Report serious adverse events within 7 days.")
        _save(page)
        reader.goto(live_server.url("/guide"))
        notice = reader.locator("section[aria-labelledby=safety-reporting] .translation-notice")
        assert "questa traduzione potrebbe non essere aggiornata" in notice.inner_text()
        notice.get_by_role("link", name="Leggi il testo inglese").click()
        reader.wait_for_load_state()
        assert reader.locator("h2#safety-reporting").get_attribute("lang") == "en"

        # The admin sees what changed in the English and translates it again.
        page.goto(live_server.url("/guide/translations/it"))
        page.get_by_role("link", name=TRANSLATE_SAFETY).click()
        page.wait_for_load_state()
        # The words added, after the hidden label a screen reader hears in Italian.
        assert page.locator(".diff ins").text_content() == "aggiunto:  within 7 days"
        page.locator("#body").fill("Segnalate gli eventi avversi gravi entro 7 giorni.")
        _save(page)
        reader.goto(live_server.url("/guide"))
        section = reader.locator("section[aria-labelledby=safety-reporting]")
        assert "entro 7 giorni" in section.inner_text()
        assert section.locator(".translation-notice").count() == 0
    finally:
        admin_context.close()
        reader_context.close()
