"""Issue 29's study visits end to end in a real browser: an admin records a study visit
with two directory organisations; a member whose browser and account speak Italian
registers interest in it with a note; the admin finds the member, the organisation and
the note on the visit's page and downloads the list as CSV.

The directory's profiles are written straight to the tables (the directory's pages are
another branch's); everything the journey names is done through the pages. Fields are
found by their ids, so the journey reads the same in both languages.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum import calendar
from forum.extensions import db
from forum.models import NetworkRegion, StudyVisit, VisitInterest
from tests.browser.chromium import local_context, log_in, log_out
from tests.factories import make_network_profile
from tests.fixtures.people import PASSWORD

TITLE = "Lombard delegation to the Maastricht health campus"


def test_an_admin_records_a_visit_a_member_registers_in_italian_and_the_admin_sees_it(
    app,
    chromium,
    live_server,
    people,  # noqa: F811  (fixtures)
):
    lab = make_network_profile("Lombard MedTech Lab", NetworkRegion.LOMBARDY)
    campus = make_network_profile("Maas Health Campus", NetworkRegion.LIMBURG)
    people.asker.organisation_id = lab.organisation_id
    people.asker.locale = "it"
    db.session.commit()
    start = calendar.today() + timedelta(days=40)

    admin_context = local_context(chromium, live_server, accept_downloads=True)
    page = admin_context.new_page()
    try:
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/admin/network/visits/new"))
        page.locator("#kind").select_option("study-visit")
        page.locator("#title").fill(TITLE)
        page.locator("#starts_on").fill(start.isoformat())
        page.locator("#ends_on").fill((start + timedelta(days=1)).isoformat())
        page.locator("#place").fill("Maastricht, health campus")
        page.locator("#programme").fill("Day one: the labs.\n\nDay two: the trial unit.")
        page.get_by_label("Lombard MedTech Lab (Lombardy)").check()
        page.get_by_label("Maas Health Campus (Limburg)").check()
        page.locator("#status").select_option("planned")
        page.locator("main form.narrow button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name=TITLE).is_visible()
        visit_url = page.url
        log_out(page, live_server)

        # The member, in Italian, registers interest with a note.
        member_context = local_context(chromium, live_server, locale="it-IT")
        member = member_context.new_page()
        log_in(member, live_server, people.asker.email, PASSWORD)
        member.goto(visit_url)
        assert member.locator("html").get_attribute("lang") == "it"
        assert member.get_by_role("heading", name=TITLE).is_visible()
        member.locator("#note").fill("Vorremmo vedere la camera bianca condivisa.")
        member.locator("form[action$='/interest'] button[type=submit]").click()
        member.wait_for_load_state()
        assert member.locator("form[action$='/interest/withdraw']").is_visible()
        member_context.close()

        # The admin sees who registered, and downloads the list.
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(visit_url)
        row = page.locator("table.data-table tbody tr").first
        assert people.asker.display_name in row.inner_text()
        assert "Lombard MedTech Lab" in row.inner_text()
        assert "camera bianca condivisa" in row.inner_text()
        with page.expect_download() as download:
            page.locator("a[href$='/interest.csv']").click()
        text = open(download.value.path(), encoding="utf-8").read()
        assert people.asker.email in text and "Vorremmo vedere" in text
    finally:
        admin_context.close()

    visit = db.session.scalar(select(StudyVisit))
    assert {profile.id for profile in visit.participants} == {lab.id, campus.id}
    interest = db.session.scalar(select(VisitInterest))
    assert interest.organisation_id == lab.organisation_id
