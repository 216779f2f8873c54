"""Readable history, end to end in Chromium: a member edits their question through the
form, opens its history from the question and sees the words they changed marked (struck
through and underlined, named for a screen reader), in English and in Italian, with no
"@@" line and no serious accessibility violation (axe, colour contrast among its rules).

With FORUM_SCREENSHOTS set to a directory, the history is saved there as
``history-en.png`` and ``history-it.png``.
"""

from __future__ import annotations

from forum.models import Role
from tests.browser.chromium import local_context, log_in
from tests.browser.test_accessibility import (
    DESKTOP,
    _axe_source,
    _save_screenshot,
    _screenshot_dir,
    _serious_violations,
)
from tests.factories import ask_question
from tests.fixtures.people import PASSWORD

TITLE = "Do we need Ministry authorisation for a class IIb study?"
BODY = (
    "Our monitor is ready for a first study in Lombardy.\n\n"
    "The sponsor will insure every patient.\n\n"
    "We plan to enrol 40 patients in two hospitals."
)
# One word replaced, one phrase added, one deleted; the other paragraphs unchanged.
EDITED = (
    "Our monitor is ready for a first study in Lombardy.\n\n"
    "The sponsor will insure every participant.\n\n"
    "We plan to enrol 40 patients, all adults."
)


def test_a_member_edits_a_question_and_reads_the_changed_words_in_its_history(
    app,
    chromium,
    live_server,
    make_user,  # noqa: F811  (fixtures)
):
    axe = _axe_source()
    shots = _screenshot_dir()
    member = make_user(Role.MEMBER, name="Anna Member")
    question = ask_question(member, title=TITLE, body=BODY)
    question_id = question.id
    for language, locale in (("en", "en-GB"), ("it", "it-IT")):
        # axe is injected as an inline script, which the CSP rightly refuses: the context
        # bypasses it for the check only, as test_accessibility.py does.
        context = local_context(
            chromium, live_server, locale=locale, viewport=DESKTOP, bypass_csp=True
        )
        try:
            page = context.new_page()
            log_in(page, live_server, member.email, PASSWORD)
            page.goto(live_server.url(f"/questions/{question_id}"))
            if language == "en":
                page.get_by_role("link", name="Edit question").click()
                page.wait_for_load_state()
                page.locator("#body").fill(EDITED)
                page.locator("main form button[type=submit]").click()
                page.wait_for_load_state()
                assert f"/questions/{question_id}" in page.url
            page.get_by_role(
                "link",
                name="Revision history" if language == "en" else "Cronologia delle revisioni",
            ).click()
            page.wait_for_load_state()
            assert page.get_attribute("html", "lang") == language

            newest = page.locator("#revision-2 .diff")
            assert [text.strip() for text in newest.locator("del").all_inner_texts()] != []
            marked_in = newest.locator("ins").evaluate_all(
                "nodes => nodes.map(n => n.lastChild.textContent)"
            )
            marked_out = newest.locator("del").evaluate_all(
                "nodes => nodes.map(n => n.lastChild.textContent)"
            )
            assert marked_in == ["participant", ", all adults"]
            assert marked_out == ["patient", " in two hospitals"]
            label = "added:" if language == "en" else "aggiunto:"
            assert newest.locator("ins .visually-hidden").first.text_content().strip() == label
            # Not colour alone: the marks are underlined and struck through.
            assert "underline" in newest.locator("ins").first.evaluate(
                "n => getComputedStyle(n).textDecorationLine"
            )
            assert "line-through" in newest.locator("del").first.evaluate(
                "n => getComputedStyle(n).textDecorationLine"
            )
            # The unchanged first paragraph stays as it was, unmarked.
            assert "Our monitor is ready" in newest.inner_text()
            assert "@@" not in page.content()

            page.add_script_tag(path=str(axe))
            assert _serious_violations(page, f"history-{language}") == []
            _save_screenshot(page, shots, f"history-{language}.png", full_page=True)
        finally:
            context.close()
