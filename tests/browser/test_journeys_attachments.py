"""Issue 26's attachments journey in the browser, in English and in Italian.

An SME member asks a confidential question and attaches a protocol synopsis (a PDF):
first an HTML page renamed ``.pdf``, refused beside the field with the text kept,
then the real PDF. A visitor who has the file's address gets a 404; an expert opens
the question and downloads the file, byte for byte.

With FORUM_SCREENSHOTS set, the pages are saved there (``attachments-<step>-<lang>.png``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from forum.extensions import db
from forum.models import OrganisationKind, Role
from forum.services.accounts import creation
from tests.browser.chromium import local_context, log_in
from tests.fixtures import files
from tests.fixtures.people import PASSWORD


@dataclass(frozen=True)
class Words:
    browser_locale: str
    posted: str
    refused: str
    choose_again: str
    files_heading: str


ENGLISH = Words(
    "en-GB",
    "Your question is posted.",
    "synopsis.pdf is not a PDF",
    "choose them again (synopsis.pdf)",
    "Attached file",
)
ITALIAN = Words(
    "it-IT",
    "La tua domanda è pubblicata.",
    "synopsis.pdf non è un PDF",
    "selezionali di nuovo (synopsis.pdf)",
    "File allegato",
)
TITLE = "Is our implantable glucose sensor's synopsis enough for the ethics committee?"
BODY = "We attach the protocol synopsis of the first-in-human study of our unreleased sensor."


def _shot(page, tmp_path: Path, name: str) -> None:
    directory = Path(os.environ.get("FORUM_SCREENSHOTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def _pdf(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": data}


@pytest.mark.parametrize("words", [ENGLISH, ITALIAN], ids=["en", "it"])
def test_an_sme_attaches_a_pdf_to_a_confidential_question_only_its_readers_download(
    chromium, live_server, make_user, tmp_path, words
):
    language = words.browser_locale[:2]
    organisation = creation.get_or_create_organisation("Orobie Devices", OrganisationKind.SME)
    member = make_user(name="Sara Bianchi")
    member.organisation = organisation
    expert = make_user(Role.EXPERT, name="Elena Esperta")
    db.session.commit()

    asking = local_context(chromium, live_server, locale=words.browser_locale)
    page = asking.new_page()
    log_in(page, live_server, member.email, PASSWORD)
    page.goto(live_server.url("/questions/ask"))

    def fill_the_form() -> None:
        page.locator("#title").fill(TITLE)
        page.locator("#body").fill(BODY)
        page.locator("input[name=topics]").first.check()
        page.locator("#device_class").select_option("III")
        page.locator("#stage").select_option("prototype")
        page.locator("input[name=visibility][value=confidential]").check()

    # An HTML page renamed synopsis.pdf: refused by its content, the text kept.
    fill_the_form()
    page.locator("#attachments").set_input_files([_pdf("synopsis.pdf", files.HTML_PAGE)])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("#attachments-error")
    assert words.refused in error.inner_text()
    assert page.locator("#title").input_value() == TITLE
    assert page.locator("#body").input_value() == BODY
    assert words.choose_again in page.locator(".attachments-again").inner_text()
    _shot(page, tmp_path, f"attachments-refused-{language}")

    # The real synopsis.
    page.locator("#attachments").set_input_files([_pdf("Protocol synopsis.pdf", files.MINIMAL_PDF)])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text(words.posted, exact=True).first.is_visible()
    files_section = page.locator("section.attachments")
    assert words.files_heading in files_section.inner_text()
    link = files_section.get_by_role("link", name="Protocol synopsis.pdf")
    file_url = live_server.url(link.get_attribute("href"))
    question_url = page.url
    _shot(page, tmp_path, f"attachments-asked-{language}")

    # A visitor with the address: a 404, as for a file that does not exist.
    visiting = local_context(chromium, live_server, locale=words.browser_locale)
    visitor = visiting.new_page()
    assert visitor.goto(file_url).status == 404
    assert visitor.goto(question_url).status == 404
    _shot(visitor, tmp_path, f"attachments-visitor-{language}")

    # An expert opens the question and downloads the file.
    answering = local_context(chromium, live_server, locale=words.browser_locale)
    expert_page = answering.new_page()
    log_in(expert_page, live_server, expert.email, PASSWORD)
    expert_page.goto(question_url)
    _shot(expert_page, tmp_path, f"attachments-expert-{language}")
    with expert_page.expect_download() as download_info:
        expert_page.locator("section.attachments").get_by_role(
            "link", name="Protocol synopsis.pdf"
        ).click()
    download = download_info.value
    assert download.suggested_filename == "Protocol synopsis.pdf"
    assert Path(download.path()).read_bytes() == files.MINIMAL_PDF
    for context in (asking, visiting, answering):
        context.close()
