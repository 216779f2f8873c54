"""The curation journeys, end to end in a real browser against a live server.

3. Three experts from two areas endorse a board answer (one of them drafted it and
   submitted it for review), and the chair publishes it: the question page shows the
   board's answer with its endorsers' names.
4. An admin promotes a published board answer into the FAQ and into a section of the
   guide, releases the guide, and the changelog lists the release and the section.
5. A member answers the open survey; the admin exports the six-month review as XLSX,
   and the workbook opens with the sheets the export defines, the survey's figures
   counting the member's answer.

Everything a journey names is done through the pages (forms filled, buttons
clicked); the cast, the question, the guide and the survey a journey does not name
are set up through the services.
"""
from __future__ import annotations

import io

import openpyxl

from forum.models import ExpertArea, Role, SurveyItemKind
from forum.services import guide, guide_releases
from forum.services import survey as surveys
from forum.services.survey import ItemDraft
from tests.access_matrix import SMALL_GUIDE
from tests.browser import chromium, local_context, log_in, log_out  # noqa: F401  (a fixture)
from tests.conftest import PASSWORD
from tests.factories import ask_question, published_board_answer
from tests.live_server import live_server  # noqa: F401  (a fixture)

BOARD_TEXT = ("A first study of a class IIb tool needs the Ministry's authorisation "
              "under MDR Art. 70 before the first patient.")


def _assert_flash(page, message: str) -> None:
    assert page.get_by_text(message, exact=True).first.is_visible(), (
        f"expected the message {message!r} on {page.url}"
    )


def _submit(page, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").click()
    page.wait_for_load_state()


# --- journey 3 ----------------------------------------------------------------------

def _draft_and_submit_board_answer(page, question_url: str) -> str:
    """The first expert starts the board answer and submits it; the workspace's address."""
    page.goto(question_url)
    page.locator("a[href*='/board/questions/'][href$='/new']").click()
    page.wait_for_load_state()
    page.locator("#body").fill(BOARD_TEXT)
    _submit(page, "main form[method=post]")
    _assert_flash(page, "The board answer is opened as a draft. Experts can now edit it; "
                        "submit it for review when it is ready.")
    _submit(page, "form[action$='/submit']")
    _assert_flash(page, "The draft is in review: the experts are asked for their stance.")
    return page.url.split("#")[0]


def _endorse(page, workspace_url: str) -> None:
    page.goto(workspace_url)
    page.locator("input[name=kind][value=endorse]").check()
    _submit(page, "form[action$='/stance']")
    _assert_flash(page, "Your stance is recorded.")


def test_three_experts_from_two_areas_endorse_and_the_chair_publishes(
    app, chromium, live_server, people, make_user,  # noqa: F811  (fixtures)
):
    second_researcher = make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Sara Research")
    question = ask_question(people.asker)
    question_url = live_server.url(f"/questions/{question.id}")
    endorsers = [people.expert, second_researcher, people.clinical]  # research twice, clinical

    context = local_context(chromium, live_server)
    page = context.new_page()
    try:
        log_in(page, live_server, people.expert.email, PASSWORD)
        workspace_url = _draft_and_submit_board_answer(page, question_url)
        for number, expert in enumerate(endorsers):
            if number:
                log_out(page, live_server)
                log_in(page, live_server, expert.email, PASSWORD)
            _endorse(page, workspace_url)
        quorum = page.locator("section.quorum").inner_text()
        assert "Endorsements: 3 of 3" in quorum
        assert "Expert areas among them: 2 of 2" in quorum
        assert "Quorum is met." in quorum

        log_out(page, live_server)
        log_in(page, live_server, people.chair.email, PASSWORD)
        page.goto(workspace_url)
        _submit(page, "form[action$='/publish']")
        _assert_flash(page, "The board answer is published.")
    finally:
        context.close()

    # A visitor reads the published answer with the names of those who endorsed it.
    context = local_context(chromium, live_server)
    page = context.new_page()
    try:
        page.goto(question_url)
        section = page.locator("#board-answer")
        assert section.get_by_role("heading", name="The board's answer").is_visible()
        text = section.inner_text()
        assert BOARD_TEXT in text
        assert "by Marco Chair, chair of the board" in text
        endorsements = section.locator("li.stance-endorse")
        assert endorsements.count() == 3
        for expert in endorsers:
            assert endorsements.filter(has_text=expert.display_name).count() == 1, expert
    finally:
        context.close()


# --- journey 4 ----------------------------------------------------------------------

FAQ_QUESTION = "Does a first study of a class IIb tool need the Ministry's authorisation?"
FAQ_ANSWER = "Yes: under MDR Art. 70 the Ministry authorises it before the first patient."
GUIDE_TEXT = "Before a first study of a class IIb tool, ask the Ministry for authorisation."


def test_admin_promotes_a_board_answer_to_the_faq_and_the_guide_and_releases_it(
    app, chromium, live_server, people,  # noqa: F811  (fixtures)
):
    question = ask_question(people.asker)
    published_board_answer(question, people.board, BOARD_TEXT)
    guide.import_guide(SMALL_GUIDE, None)
    guide_releases.release("1.0", "First release", None)
    question_url = live_server.url(f"/questions/{question.id}")

    context = local_context(chromium, live_server)
    page = context.new_page()
    try:
        log_in(page, live_server, people.admin.email, PASSWORD)

        # Into the FAQ, from the link on the board's answer.
        page.goto(question_url)
        page.locator("#board-answer a[href*='/faq/promote']").click()
        page.wait_for_load_state()
        page.locator("#question_text").fill(FAQ_QUESTION)
        page.locator("#answer_text").fill(FAQ_ANSWER)
        _submit(page, "form[action*='/faq/promote']")
        _assert_flash(page, "The answer is in the FAQ.")
        page.goto(live_server.url("/faq"))
        faq = page.locator("main").inner_text()
        assert FAQ_QUESTION in faq
        assert "the Ministry authorises it before the first patient" in faq

        # Into the guide's "Safety reporting" section, from the same answer.
        page.goto(question_url)
        page.locator("#board-answer a[href*='/guide/propose']").click()
        page.wait_for_load_state()
        page.locator("#propose-section").select_option(label="Safety reporting")
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_load_state()
        editor = page.locator(".propose-editor")
        editor.locator("#body").fill(f"Report serious adverse events.\n\n{GUIDE_TEXT}")
        _submit(page, ".propose-editor form")
        _assert_flash(page, "Revision 2 of “Safety reporting” is saved, drawn from the answer.")
        page.goto(live_server.url("/guide"))
        assert GUIDE_TEXT in page.locator("main").inner_text()

        # The release, then its changelog.
        page.goto(live_server.url("/guide/release"))
        assert page.locator("#version").input_value() == "1.1"
        assert "Safety reporting" in page.locator("main").inner_text()
        page.locator("#notes").fill("The board's answer on first studies.")
        _submit(page, "main form[method=post]")
        _assert_flash(page, "The guide is released as version 1.1.")
        page.goto(live_server.url("/guide/changelog"))
        release = page.locator("#release-1\\.1")
        assert release.get_by_role("heading", name="Version 1.1").is_visible()
        entry = release.inner_text()
        assert "The board's answer on first studies." in entry
        assert "Since version 1.0:" in entry
        change = release.locator("li.guide-change").filter(has_text="Safety reporting")
        assert change.count() == 1
        assert "Changed" in change.inner_text()
    finally:
        context.close()


# --- journey 5 ----------------------------------------------------------------------

SURVEY_TITLE = "How useful is the forum?"
LIKERT_PROMPT = "The answers were useful."
TEXT_PROMPT = "What should we improve?"
MEMBER_TEXT = "More answers on paediatric devices, please."
# The sheets of the review's workbook (services.review_export): the period, then one
# per table of the review, in the review's order.
EXPORT_SHEETS = [
    "period", "visits_by_month", "visits_by_section", "users_by_role",
    "users_by_organisation_kind", "questions_by_topic", "questions_by_visibility",
    "answering", "knowledge", "facilitations_by_status", "trials_facilitated",
    "trials_by_month", "survey", "survey_answers", "survey_quotes",
]


def _open_survey(admin):
    survey = surveys.create_survey(admin, SURVEY_TITLE, "Two minutes, once.")
    likert = surveys.add_item(survey, admin, ItemDraft(SurveyItemKind.LIKERT, LIKERT_PROMPT))
    text = surveys.add_item(survey, admin, ItemDraft(SurveyItemKind.TEXT, TEXT_PROMPT,
                                                     required=False))
    surveys.open_survey(survey, admin)
    return likert.id, text.id


def test_member_answers_the_survey_and_the_admin_exports_the_review_as_xlsx(
    app, chromium, live_server, people,  # noqa: F811  (fixtures)
):
    likert_id, text_id = _open_survey(people.admin)

    context = local_context(chromium, live_server, accept_downloads=True)
    page = context.new_page()
    try:
        log_in(page, live_server, people.asker.email, PASSWORD)
        page.goto(live_server.url("/survey"))
        assert page.get_by_role("heading", name=SURVEY_TITLE).is_visible()
        page.locator(f"input[name=item_{likert_id}][value='4']").check()
        page.locator(f"[name=item_{text_id}]").fill(MEMBER_TEXT)
        page.locator("input[name=quote_consent]").check()
        _submit(page, "form.survey-form")
        _assert_flash(page, "Thank you! Your answers are saved.")

        log_out(page, live_server)
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/review"))
        assert page.get_by_role("heading", name="Six-month review").is_visible()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Excel workbook (XLSX)").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        # The saved download has no extension, so openpyxl reads it as a file object.
        workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    finally:
        context.close()

    assert workbook.sheetnames == EXPORT_SHEETS

    survey_rows = list(workbook["survey"].iter_rows(values_only=True))
    assert survey_rows[0] == ("Survey", "Item", "Kind", "Answers", "Result")
    by_item = {row[1]: row for row in survey_rows[1:]}
    assert by_item[LIKERT_PROMPT][0] == SURVEY_TITLE
    assert by_item[LIKERT_PROMPT][3] == 1
    assert by_item[LIKERT_PROMPT][4] == "mean 4.0 of 5"
    assert by_item[TEXT_PROMPT][3] == 1
    quotes = list(workbook["survey_quotes"].iter_rows(values_only=True))
    assert (SURVEY_TITLE, TEXT_PROMPT, MEMBER_TEXT) in quotes
