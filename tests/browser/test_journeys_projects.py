"""Issue 23's funded projects and the Region's review, end to end in a real browser.

An admin registers a project of two organisations; a member of one asks a question for
it from the ask form; an expert records a counselling session on the project's page;
the admin sets the period's targets and narrative, finds the project among those
counselled on /review, and downloads the meeting's report in Italian with one click:
its page 1 holds the three figures, the previous period and the targets.

The cast and the organisations are set up through the services; everything the journey
names is done through the pages.
"""

from __future__ import annotations

import io

from pypdf import PdfReader

from forum import calendar
from forum.extensions import db
from forum.models import Organisation, OrganisationKind
from forum.services.review.period import six_months_before
from tests.browser.chromium import local_context, log_in, log_out
from tests.fixtures.people import PASSWORD

PROJECT = "Smart insole for diabetic foot"


def _submit(page, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").click()
    page.wait_for_load_state()


def test_a_project_is_registered_used_counselled_and_reported_to_the_region(
    app,
    chromium,
    live_server,
    people,  # noqa: F811  (fixtures)
):
    alfa = Organisation(name="Alfa Medical", kind=OrganisationKind.SME)
    beta = Organisation(name="Beta Sensors", kind=OrganisationKind.START_UP)
    db.session.add_all([alfa, beta])
    people.asker.organisation = alfa
    db.session.commit()
    start = six_months_before(calendar.today()).isoformat()

    context = local_context(chromium, live_server, accept_downloads=True)
    page = context.new_page()
    try:
        # The admin registers the project with both beneficiaries.
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/projects/new"))
        page.get_by_label("Title").fill(PROJECT)
        page.get_by_label("Programme").fill("POR FESR 2014-2020")
        page.get_by_label("Axis").fill("Axis I – Research and Innovation")
        page.get_by_label("Call").fill("HUB")
        page.get_by_label("Alfa Medical").check()
        page.get_by_label("Beta Sensors").check()
        page.get_by_label("Start date").fill(start)
        _submit(page, "form.narrow")
        assert page.get_by_role("heading", name=PROJECT).is_visible()
        project_url = page.url
        log_out(page, live_server)

        # A member of Alfa asks a question for it.
        log_in(page, live_server, people.asker.email, PASSWORD)
        page.goto(live_server.url("/questions/ask"))
        page.get_by_label("Title").fill("Which ethics committee reviews our insole pilot?")
        page.get_by_label("Your question").fill(
            "Our insole pilot enrols 40 patients at two diabetes clinics in Lombardy."
        )
        page.locator("input[name=topics]").first.check()
        page.locator("#device_class").select_option("IIa")  # both start on "Choose…"
        page.locator("#stage").select_option("prototype")
        page.get_by_label("Funded project").select_option(label=PROJECT)
        page.locator("form button[type=submit].primary").click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name=PROJECT).is_visible()
        log_out(page, live_server)

        # An expert records a counselling session on the project's page.
        log_in(page, live_server, people.expert.email, PASSWORD)
        page.goto(project_url)
        page.get_by_label("Elena Research").check()
        page.get_by_label("Actions agreed").fill("Alfa sends the draft protocol by May.")
        page.get_by_label("Private notes").fill("The timeline is optimistic.")
        page.locator("form[action$='/sessions'] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_text("The counselling session is recorded.").is_visible()
        log_out(page, live_server)

        # The admin sets the targets, reads the review and prints the report.
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/review"))
        page.get_by_role("link", name="Set the targets and the narrative").click()
        page.get_by_label("Target: visits (unique visitors, sum of the days)").fill("4500")
        page.get_by_label("Target: questions answered").fill("30")
        page.get_by_label("Target: clinical trials facilitated").fill("2")
        page.get_by_label("Summary").fill("Two HUB projects counselled.")
        _submit(page, "form.narrow")
        assert page.get_by_text(
            "The targets and the narrative for this period are saved."
        ).is_visible()
        counselled = page.locator("section[aria-labelledby='table-projects_counselled']")
        assert counselled.get_by_role("heading", name="Funded projects counselled: 1").is_visible()
        assert counselled.get_by_role("rowheader", name=PROJECT).is_visible()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="in Italian").click()
        download = download_info.value
        assert download.suggested_filename.endswith("-it.pdf")
        first = PdfReader(io.BytesIO(download.path().read_bytes())).pages[0].extract_text()
    finally:
        context.close()

    flat = " ".join(first.split())
    for text in (
        "Riesame semestrale",
        "Visite",
        "Domande con risposta",
        "Sperimentazioni cliniche facilitate",
        "Periodo precedente",
        "4.500",
        "Two HUB projects counselled.",
    ):  # 4,500 as Italian writes it
        assert text in flat, text
