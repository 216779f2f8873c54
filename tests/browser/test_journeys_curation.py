"""The curation journeys, end to end in a real browser against a live server.

3. Three experts from two areas endorse a board answer (one of them drafted it and
   submitted it for review), and the chair publishes it: the question page shows the
   board's answer with its endorsers' names.
4. An admin promotes a published board answer into the FAQ and into a section of the
   guide, releases the guide, the chair approves the release, and the changelog lists
   the release and the section.
5. A member answers the open survey; the admin exports the six-month review as XLSX,
   and the workbook opens with the sheets the export defines, the survey's figures
   counting the member's answer.

6. An expert proposes a change to a section of the guide, an admin accepts it, the
   admin makes the first version and the chair approves it; a visitor downloads its
   PDF, whose first page names the version and the approval. An admin records that
   MDCG 2021-6 changed, and the texts citing it are due for review, with a notice.

Everything a journey names is done through the pages (forms filled, buttons
clicked); the cast, the question, the guide and the survey a journey does not name
are set up through the services.
"""

from __future__ import annotations

import io

import openpyxl
from pypdf import PdfReader

from forum.models import ExpertArea, Role, SurveyItemKind
from forum.services import answers
from forum.services import survey as surveys
from forum.services.citations import clause_slug
from forum.services.guide import importing, publishing
from forum.services.survey import ItemDraft
from tests.access_matrix import SMALL_GUIDE
from tests.browser.chromium import local_context, log_in, log_out
from tests.factories import ask_question, published_board_answer
from tests.fixtures.people import PASSWORD

BOARD_TEXT = (
    "A first study of a class IIb tool needs the Ministry's authorisation "
    "under MDR Art. 70 before the first patient."
)


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
    _assert_flash(
        page,
        "The board answer is opened as a draft. Experts can now edit it; "
        "submit it for review when it is ready.",
    )
    _submit(page, "form[action$='/submit']")
    _assert_flash(page, "The draft is in review: the experts are asked for their stance.")
    return page.url.split("#")[0]


def _endorse(page, workspace_url: str) -> None:
    page.goto(workspace_url)
    page.locator("input[name=kind][value=endorse]").check()
    _submit(page, "form[action$='/stance']")
    _assert_flash(page, "Your stance is recorded.")


def test_three_experts_from_two_areas_endorse_and_the_chair_publishes(
    app,
    chromium,
    live_server,
    people,
    make_user,  # noqa: F811  (fixtures)
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
        assert "3 endorsements from 2 areas needed: 3 from 2 areas so far." in quorum
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
    app,
    chromium,
    live_server,
    people,  # noqa: F811  (fixtures)
):
    question = ask_question(people.asker)
    published_board_answer(question, people.board, BOARD_TEXT)
    importing.import_guide(SMALL_GUIDE, None)
    publishing.release("1.0", "First release", None)
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
        page.locator("details.faq-entry summary").first.click()  # entries open on demand
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
        _assert_flash(
            page,
            "Version 1.1 is saved as a draft: a chair of the board, or the "
            "board by quorum, approves it to publish it.",
        )
        # The chair approves it, which publishes it.
        _approve_as_chair(page, live_server, people.chair, "1.1")
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


def _approve_as_chair(page, live_server, chair, version: str) -> None:
    log_out(page, live_server)
    log_in(page, live_server, chair.email, PASSWORD)
    page.goto(live_server.url(f"/guide/releases/{version}"))
    _submit(page, "form[action$='/approve']")
    _assert_flash(page, f"You approved version {version}: it is published.")


# --- journey 5 ----------------------------------------------------------------------

SURVEY_TITLE = "How useful is the forum?"
LIKERT_PROMPT = "The answers were useful."
TEXT_PROMPT = "What should we improve?"
MEMBER_TEXT = "More answers on paediatric devices, please."
# The sheets of the review's workbook (services/review/export.py), named in the reader's
# language: the summary first, then one per table of the review, in the review's order.
EXPORT_SHEETS = [
    "Summary",
    "Organisations served",
    "Served by province",
    "Served by region",
    "Served by country",
    "Projects counselled",
    "Answers",
    "Experts' workload",
    "Trials by device class",
    "Trials by stage",
    "Visits per month",
    "Visits per section",
    "Users by role",
    "Users by organisation",
    "Questions by topic",
    "Questions by visibility",
    "Questions answered",
    "Board, FAQ and guide",
    "Referrals by status",
    "Trials facilitated",
    "Trials per month",
    "Survey",
    "Survey answers",
    "Survey quotes",
    # The Lombardy-Limburg network's section (issue 29), last as on the page.
    "Network in figures",
    "Network organisations",
    "Network introductions",
    "Network visits held",
    "Network joint projects",
]


def _open_survey(admin):
    survey = surveys.create_survey(admin, SURVEY_TITLE, "Two minutes, once.")
    likert = surveys.add_item(survey, admin, ItemDraft(SurveyItemKind.LIKERT, LIKERT_PROMPT))
    text = surveys.add_item(
        survey, admin, ItemDraft(SurveyItemKind.TEXT, TEXT_PROMPT, required=False)
    )
    surveys.open_survey(survey, admin)
    return likert.id, text.id


def test_member_answers_the_survey_and_the_admin_exports_the_review_as_xlsx(
    app,
    chromium,
    live_server,
    people,  # noqa: F811  (fixtures)
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

    survey_rows = list(workbook["Survey"].iter_rows(values_only=True))
    assert survey_rows[0] == ("Survey", "Item", "Kind", "Answers", "Result")
    by_item = {row[1]: row for row in survey_rows[1:]}
    assert by_item[LIKERT_PROMPT][0] == SURVEY_TITLE
    assert by_item[LIKERT_PROMPT][3] == 1
    assert by_item[LIKERT_PROMPT][4] == "mean 4.0 of 5"
    assert by_item[TEXT_PROMPT][3] == 1
    quotes = list(workbook["Survey quotes"].iter_rows(values_only=True))
    assert (SURVEY_TITLE, TEXT_PROMPT, MEMBER_TEXT) in quotes


# --- journey 6 ----------------------------------------------------------------------

CITING_GUIDE = """# The requirements guide

How to run a clinical investigation of a medical device in Italy.

## Choosing the pathway

Most questions on clinical investigations are answered in MDCG 2021-6.

## Safety reporting

Report serious adverse events.
"""
PROPOSED = "Report serious adverse events to the Ministry within seven days."


def test_expert_proposes_admin_accepts_chair_approves_visitor_downloads_the_pdf_and_a_change_of_the_law_is_flagged(  # noqa: E501
    app,
    chromium,
    live_server,
    people,  # noqa: F811  (fixtures)
):
    importing.import_guide(CITING_GUIDE, None)
    question = ask_question(people.asker, title="Which guidance covers our investigation?")
    answers.post_answer(question, people.expert, "Start from MDCG 2021-6, question 3.")

    context = local_context(chromium, live_server)
    page = context.new_page()
    try:
        # The expert proposes new text for "Safety reporting".
        log_in(page, live_server, people.expert.email, PASSWORD)
        page.goto(live_server.url("/guide"))
        page.locator("#safety-reporting ~ .guide-meta a", has_text="Propose a change").click()
        page.wait_for_load_state()
        page.locator("#body").fill(PROPOSED)
        page.locator("#note").fill("The deadline was missing.")
        _submit(page, ".propose-editor form")
        _assert_flash(page, "Your proposal is sent to the admins; you will hear what they decide.")

        # The admin accepts it from the list of proposals.
        log_out(page, live_server)
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/guide/proposals"))
        page.get_by_role("link", name="“Safety reporting”").click()
        page.wait_for_load_state()
        # The words the proposal adds, marked, the rest of the line as it was.
        change = page.locator(".diff .diff-changed")
        assert change.locator("ins").text_content() == "added:  to the Ministry within seven days"
        assert change.locator("del").count() == 0
        page.locator("#note").fill("Thank you, Elena.")
        page.get_by_role("button", name="Accept: make it a revision").click()
        page.wait_for_load_state()
        _assert_flash(page, "Accepted: revision 2 of “Safety reporting” credits Elena Research.")
        assert (
            "proposed by Elena Research, accepted by Giulia Admin"
            in page.locator("main").inner_text()
        )

        # The admin makes the first version; the chair approves it.
        page.goto(live_server.url("/guide/release"))
        assert page.locator("#version").input_value() == "1.0"
        page.locator("#kind").select_option("first-version")
        page.locator("#notes").fill("The first version, for the action plan.")
        _submit(page, "main form[method=post]")
        _assert_flash(
            page,
            "Version 1.0 is saved as a draft: a chair of the board, or the "
            "board by quorum, approves it to publish it.",
        )
        _approve_as_chair(page, live_server, people.chair, "1.0")
    finally:
        context.close()

    # A visitor reads who approved it and downloads its PDF.
    context = local_context(chromium, live_server, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(live_server.url("/guide/releases"))
        page.get_by_role("link", name="1.0", exact=True).click()
        page.wait_for_load_state()
        status = page.locator(".release-status").inner_text()
        assert "First version" in status
        assert "Approved by Marco Chair, chair of the board" in status
        assert "Elena Research" in status  # a contributor
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download as PDF").click()
        download = download_info.value
        assert download.suggested_filename == "requirements-guide-1.0.pdf"
        pdf = download.path().read_bytes()
    finally:
        context.close()
    assert pdf.startswith(b"%PDF-")
    first_page = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Version 1.0" in first_page and "First version" in first_page
    assert "Approved by Marco Chair, chair of the board, on" in first_page

    # An admin records that MDCG 2021-6 changed: the texts citing it are due for review.
    context = local_context(chromium, live_server)
    page = context.new_page()
    try:
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/law-changes"))
        page.locator("#clause").select_option(clause_slug("MDCG 2021-6"))
        page.locator("#description").fill("MDCG 2021-6 Rev.2 published")
        page.locator("#changed_on").fill("2026-11-20")
        _submit(page, "main form:has(#clause)")
        _assert_flash(page, "Recorded: 2 texts citing MDCG 2021-6 are due for review.")
        due = page.locator("#due").inner_text()
        assert "2 texts due for review" in due
        assert "Choosing the pathway" in due and question.title in due
        assert "MDCG 2021-6 Rev.2 published" in due
        page.goto(live_server.url("/guide"))
        notice = page.locator("section[aria-labelledby=choosing-the-pathway] .law-notice")
        assert (
            "The law this text cites changed on Nov 20, 2026: MDCG 2021-6 Rev.2 published; "
            "this text is being reviewed." in notice.inner_text()
        )
    finally:
        context.close()
